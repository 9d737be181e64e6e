// Loop bounds proven for every input of a function, not only inside a harness's scope: the
// trip count LLVM's ScalarEvolution derives for each annotated loop of the -O2 IR, checked by
// Z3 against the CW_LOOP_BOUND over every value of the count's free terms (arguments, loaded
// values). The count expression is ScalarEvolution's; Z3 decides only the arithmetic of the
// bound, in a width where it cannot overflow.
#pragma once

#include "check.hpp"
#include "loop_bounds.hpp"
#include "verify.hpp"

#include <clockwork/reports/evidence.hpp>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::verifier {

// The Evidence's harness field of these proofs: the method, since no harness is involved.
inline constexpr const char* kLoopProofHarness = "scalar-evolution";

// "loop-bound FILE:LINE <= N" with FILE resolved (symbolic links, relative parts) as the
// analyzer resolves a flow fact's file, so that `analyze --proofs` and `certify` match it.
std::string loop_bound_property(const std::string& annotation_file, unsigned annotation_line,
                                uint64_t bound);

// One IR loop of an annotated source loop: inlining and loop versioning give several.
struct LoopInstance {
    std::string function;
    unsigned header_line = 0;
    std::string count; // the body's runs per entry, as ScalarEvolution prints it; empty if none
    reports::ProofStatus status = reports::ProofStatus::unknown;
    std::string reason;
};

// One CW_LOOP_BOUND: proven when every IR loop of it is proven, refuted when one of them runs
// past the bound for input values that reach it, unknown otherwise (the bound stays assumed).
struct LoopBoundProof {
    std::string property;
    SourceLine where; // the annotation, file name only as reports show it
    uint64_t bound = 0;
    reports::ProofStatus status = reports::ProofStatus::unknown;
    std::string reason;
    std::optional<reports::Counterexample> counterexample;
    std::vector<LoopInstance> loops;
    double seconds = 0;
};

// Every natural loop of every function `module` defines whose header's debug line lies in a
// loop of `facts`, grouped per annotation in the order of the facts. Loops without a fact are
// the analyzer's to report and are skipped here.
std::vector<LoopBoundProof> prove_loop_bounds(const llvm::Module& module,
                                              llvm::ArrayRef<LoopBoundFact> facts,
                                              const CheckOptions& options);

struct LoopProofReport {
    std::string ir_sha256;
    std::vector<std::string> flags;
    std::vector<LoopBoundProof> proofs;
};

// The allocator sources of `options` alone, compiled and linked as clockwork verify compiles
// them, with their flow facts.
llvm::Expected<LoopProofReport> prove_allocator_loop_bounds(const VerifyOptions& options);

} // namespace clockwork::verifier
