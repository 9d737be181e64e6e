// The worst-case search (DESIGN.md, targets/common): a cost-guided mutation search in the manner
// of PerfFuzz. It knows nothing of heaps or emulators: it maximises the cost that a callback
// measures for a byte string, keeping every input that raised one of the callback's features to
// a new maximum, and mutating those. What the bytes mean is the callback's business.
//
// Cost guidance is what beats random sampling on rare worst cases: when the worst input is
// reached in stages and each stage costs more, every stage found is kept and built upon, where
// a random sampler must hit the whole input at once. Two kinds of mutation, as in AFL: a sweep
// of every value of every byte of each new best input (only when that input is short enough
// for the sweep to take at most a quarter of the budget left), and otherwise havoc (a few
// stacked random changes of bytes and records) on an input drawn from the kept ones.
//
// Deterministic: the same options (seed included) and a deterministic callback give the same
// executions and the same result, on every host (no std:: distributions, whose output is
// implementation-defined).
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace clockwork::workloads {

// What one execution of an input measured.
struct Evaluation {
    uint64_t cost = 0; // the quantity maximised
    // Further quantities the input may be kept for when it raises one of them to a new maximum
    // (PerfFuzz keeps an input per edge that maximises that edge's count): they keep inputs
    // that reach states the cost does not show yet. Same length on every execution.
    std::vector<uint64_t> features;
};

using Evaluate = llvm::function_ref<llvm::Expected<Evaluation>(llvm::ArrayRef<uint8_t>)>;

enum class SearchStrategy {
    guided, // mutate the kept inputs that raised the cost or a feature
    random, // every execution a fresh random input: the baseline the guided search must beat
};

struct SearchProgress {
    uint64_t executions = 0;
    uint64_t best_cost = 0;
    uint64_t corpus_size = 0;
};

struct SearchOptions {
    uint64_t seed = 1;
    uint64_t executions = 10000; // the budget: inputs evaluated at most
    // Stop as soon as an execution costs at least this much (the analyzer's bound, say).
    std::optional<uint64_t> goal;
    SearchStrategy strategy = SearchStrategy::guided;
    // Inputs are whole records of record_bytes; their count stays in [min_records, max_records].
    // Insertions, deletions and splices move whole records, so a record keeps its meaning.
    size_t record_bytes = 1;
    size_t min_records = 1;
    size_t max_records = 64;
    // Records in a fresh random input (clipped to [min_records, max_records]).
    size_t initial_records = 8;
    // Inputs evaluated before the search starts (each clipped and padded to whole records);
    // empty: one fresh random input.
    std::vector<std::vector<uint8_t>> initial_inputs;
    // Called every progress_interval executions (0: never).
    uint64_t progress_interval = 0;
    std::function<void(const SearchProgress&)> progress;
};

struct SearchResult {
    std::vector<uint8_t> best_input;
    uint64_t best_cost = 0;
    uint64_t executions = 0;         // inputs evaluated
    uint64_t executions_to_best = 0; // the execution (1-based) that first reached best_cost
    bool goal_reached = false;
    size_t corpus_size = 0;
};

// Errors: an option out of range (record_bytes 0, min_records above max_records, a budget of
// 0), or the first error the callback returned, which ends the search.
llvm::Expected<SearchResult> search_worst_case(const SearchOptions& options, Evaluate evaluate);

} // namespace clockwork::workloads
