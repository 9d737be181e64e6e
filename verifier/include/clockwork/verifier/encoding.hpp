// The harness's entry function, translated into Z3 terms: what it assumes, what it asserts
// where, the nondeterministic inputs it read, and every loop's unwinding obligation.
#pragma once

#include "loop_bounds.hpp"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

#include <z3++.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::verifier {

struct SourceLine {
    std::string file; // file name only, as reports show it
    unsigned line = 0;
};

// The property every harness has besides its own: no input reaches an instruction whose
// poison or undefined-behaviour condition holds (LLVM's semantics, on which Clang optimised
// the code that ships). Its sites are the instructions that carry such a condition, plus one
// at the harness's entry that always holds, so that the property is proven, not vacuous, when
// every condition folds away.
inline constexpr const char* kNoUndefinedBehaviour = "no-undefined-arithmetic-or-control";
// An indirect call whose reachability the encoder cannot decide: it must be unreachable.
inline constexpr const char* kNoUnsupportedInstruction = "no-unsupported-instruction";

// Every guard below is the condition under which control reaches that point; guards of
// distinct points on one path are all true in a model of that path.
struct AssertionSite {
    std::string property; // the name given to cw_assert
    SourceLine where;
    z3::expr reached;
    z3::expr holds;
    // What failing means here, for no-undefined-arithmetic-or-control: "add nsw overflows at
    // heap.cpp:212".
    std::string violation;
};

struct NondetInput {
    unsigned index = 0; // order of the call in the harness's source order along a path
    SourceLine where;
    unsigned bits = 0;
    z3::expr value;
    z3::expr reached;
};

// The loop body can run bound + 1 times: the bound is refuted when `exceeded` is satisfiable.
struct LoopObligation {
    SourceLine loop;       // the loop header's line
    SourceLine annotation; // file: the flow fact's full path, as loop-bound properties name it
    uint64_t bound = 0;
    z3::expr entered;
    z3::expr exceeded;
};

struct TraceStep {
    SourceLine where;
    z3::expr reached;
};

struct MutationSiteValue {
    z3::expr reached; // its guard, and the assumptions made before it
    z3::expr original;
    z3::expr mutated;
};

struct Encoding {
    z3::expr assumptions;
    std::vector<AssertionSite> assertions;
    std::vector<NondetInput> inputs;
    std::vector<LoopObligation> loops;
    std::vector<TraceStep> trace; // basic blocks in execution order
    unsigned scope_blocks = 0;    // the harness's cw_scope_blocks, 0 when it has none
    // The state when the entry returns: comparing two encodings of one harness (mutants).
    std::optional<z3::expr> final_memory; // word index -> word, as the encoder's memory
    std::optional<z3::expr> returns;      // the guard under which the entry returns
    // Every execution of a block, with its guard: whether a mutated block runs at all.
    std::vector<std::pair<const llvm::BasicBlock*, z3::expr>> executed;
    // Every execution of a mutated instruction that keeps its original form (mutants.hpp,
    // original_form): when none of them computes other than the original would from the
    // same operands, the mutant runs exactly as the original does.
    std::vector<MutationSiteValue> mutation_site;
};

// Symbolically executes `entry` (no arguments, void) of `module`. Calls to functions the
// module defines are inlined; loops are unrolled until their entry is infeasible or one
// iteration past their bound. An IR construct it cannot encode is an error naming the
// instruction and its source line.
llvm::Expected<Encoding> encode(z3::context& z3, const llvm::Module& module, llvm::StringRef entry,
                                llvm::ArrayRef<LoopBoundFact> bounds);

// The error text of an encoding stopped at its deadline: a loop still unrolling when it passed.
// A mutant that keeps a loop running to a bound of 65536 would otherwise take hours.
inline constexpr const char* kOutOfTime = "error: the encoding ran out of time";
// When it runs out of time and `prefix` is given, *prefix receives what was encoded before the
// deadline: the assumptions, assertions and loop obligations met so far, without a final state.
// Each is a finished term about the executions that reach it, so an assertion refuted there
// fails in the program; one not reached yet is simply absent.
llvm::Expected<Encoding> encode(z3::context& z3, const llvm::Module& module, llvm::StringRef entry,
                                llvm::ArrayRef<LoopBoundFact> bounds,
                                std::optional<std::chrono::steady_clock::time_point> deadline,
                                std::optional<Encoding>* prefix = nullptr);

} // namespace clockwork::verifier
