// Mutants of the allocator at the IR level: small faults (a flipped comparison, a constant off
// by one, a swapped operator, a lost store, an inverted branch) planted in the linked -O2
// module that the verifier checks. A mutant that every property still accepts, and that is not
// equivalent to the original, is a fault the properties cannot see.
#pragma once

#include "encoding.hpp"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

#include <optional>
#include <string>
#include <vector>

namespace clockwork::verifier {

enum class MutationOperator {
    predicate_negated,  // icmp ult -> uge, eq -> ne, ...
    predicate_boundary, // icmp ult -> ule, sgt -> sge, ...
    constant_plus_one,
    constant_minus_one,
    arithmetic_swapped, // add -> sub, and -> or, shl -> lshr, ...
    store_dropped,
    branch_inverted, // the successors of a conditional branch swapped
};

// "predicate-negated", ... as reports show them.
std::string operator_name(MutationOperator op);
std::optional<MutationOperator> operator_from_name(const std::string& name);

struct Mutant {
    unsigned id = 0; // 1-based, in enumeration order: stable while the IR does not change
    MutationOperator op = MutationOperator::predicate_negated;
    std::string function;        // the IR function that holds the instruction
    std::string source_function; // the source function it was inlined from (or `function`)
    SourceLine where;            // of the instruction, or of its block when it has no line
    // The calls it was inlined through, innermost first: one line of heap.cpp is often
    // inlined in several places of one function, and only these tell the copies apart.
    std::vector<SourceLine> inlined_at;
    std::string change; // "icmp ult -> uge", "i32 8 -> 9", "store i32 dropped", ...
    // Where it is, in any module linked from the same sources.
    unsigned instruction = 0; // ordinal of the instruction in `function`
    unsigned operand = 0;     // the constant's operand index (constant_*)
    unsigned replacement = 0; // the new icmp predicate or binary opcode
};

// Whether two mutants are the same fault at the same place (their ids aside).
bool same_mutant(const Mutant& a, const Mutant& b);

struct MutationScope {
    // File names (not paths) whose code is the implementation under test: "heap.cpp".
    std::vector<std::string> source_files;
    // Source functions that are the specification, not the implementation: an instruction
    // inlined from any of them (at any depth) is not mutated.
    std::vector<std::string> excluded_functions = {"cw_heap_invariants_hold", "blocks_hold",
                                                   "lists_hold", "start_map_holds"};
    // When not empty, only IR or source functions with one of these names are mutated.
    std::vector<std::string> only_functions;
};

// The defined functions that `entry` calls directly or transitively, `entry` included.
std::vector<std::string> reachable_functions(const llvm::Module& module, llvm::StringRef entry);

// Every mutant of the instructions of `functions` (IR names) that lie in the scope, in function
// order, then instruction order. Ids start at `first_id`.
std::vector<Mutant> enumerate_mutants(const llvm::Module& module,
                                      llvm::ArrayRef<std::string> functions,
                                      const MutationScope& scope, unsigned first_id = 1);

// The block that holds the mutant's instruction in `module`; null when there is none.
const llvm::BasicBlock* mutated_block(const llvm::Module& module, const Mutant& mutant);

// Plants `mutant` in `module` (a clone of one linked from the same sources). An error when the
// instruction it names is not there or not of the kind it mutates. A changed comparison,
// operator, or constant operand of either keeps what it was (as metadata), so that the encoder
// can compute the original's value next to the mutant's (Encoding::mutation_site).
llvm::Error apply_mutant(llvm::Module& module, const Mutant& mutant);

// A detached copy of `instruction` as it was before apply_mutant changed it, or null when
// apply_mutant kept no original form of it. The caller frees it with deleteValue().
llvm::Instruction* original_form(const llvm::Instruction& instruction);

// Whether apply_mutant kept the original form of `mutant`'s instruction in `module`.
bool records_original_value(const llvm::Module& module, const Mutant& mutant);

} // namespace clockwork::verifier
