// The worst-case path of one function for one metric, by implicit path enumeration (IPET):
// an integer linear program over block and edge execution counts, maximised with Z3, whose
// optimum is then re-checked without trusting Z3, and cross-checked against an independent
// longest-path computation over the loop-unrolled CFG.
//
// The problems this library accepts (anything else is rejected with an Error that says how
// to fix it):
//  - Edges name blocks that exist; there is at least one exit; block counts are per call.
//  - Loop bodies are laminar: two loops are disjoint or one body strictly contains the other,
//    and each loop has its own header (a natural loop is identified by its header).
//  - A loop is entered only at its header, and `entry_edges` lists every edge that enters the
//    header from outside the body (an unlisted entry would make the bound unsound). Edges from
//    blocks unreachable from the entry are exempt: they never carry flow. If the function entry
//    lies in a loop, it is that loop's header and the call itself counts as one entry.
//  - Counted edges lie inside the body (both ends in it).
//  - Every cycle that can lie on a path from the entry to an exit takes a counted edge of a loop
//    whose body holds the whole cycle. Blocks on no such path (unreachable code, a `for (;;)`
//    after a failed check) cannot contribute to a returning call: they are held at zero.
//
// When the ILP and the longest path must agree: a loop's bound is per entry, but the ILP can
// only say "counted edges <= bound x entries" summed over the whole call. The two are the same
// when every loop is in per-entry normal form: its counted edges are exactly its back edges
// (the edges from the body to the header). Each iteration is then a cycle through the header,
// and iterations can be moved between entries of the same loop without changing the cost, so
// the summed constraint admits no more cost than the per-entry one. The CFG stage produces this
// form (natural loops, bound = back edges per entry), so there `solve` requires
// `dag_bound == bound`. Outside it (e.g. a counted edge that is not a back edge) the ILP is still
// a sound bound but may be above the per-entry longest path, and `solve` requires
// `dag_bound <= bound`.
//
// Thread-safety: every call builds its own Z3 context; concurrent calls are safe.
#pragma once

#include <llvm/Support/Error.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::analyzer::path {

struct Edge {
    uint32_t from = 0, to = 0;
    uint64_t cost = 0; // paid each time the edge is taken (e.g. a taken-branch pipeline refill)
};

// One function's CFG for one metric.
struct Graph {
    std::vector<uint64_t> node_cost; // cost per execution of each basic block
    std::vector<Edge> edges;
    uint32_t entry = 0; // the call starts here once
    // Blocks that return; the flow leaves the function through exactly one of them, once. An exit
    // may also have successors (a Thumb conditional return falls through when not taken).
    std::vector<uint32_t> exits;
};

struct LoopConstraint {
    uint32_t header = 0;
    std::vector<uint32_t> body;          // every node of the natural loop, header included
    std::vector<uint32_t> entry_edges;   // edge indices entering the header from outside the loop
    std::vector<uint32_t> counted_edges; // edge indices whose total count is bounded per entry
                                         // (normally the back edges)
    // sum(count(counted_edges)) <= max_per_entry * (sum(count(entry_edges)) + [header == entry])
    uint64_t max_per_entry = 0;
    std::string description; // "loop at heap.cpp:312 (header 0x1a4)", used in messages
};

struct Problem {
    Graph graph;
    std::vector<LoopConstraint> loops;
};

struct Solution {
    uint64_t bound = 0;
    std::vector<uint64_t> node_counts; // executions of each block on the worst path
    std::vector<uint64_t> edge_counts;
    bool relaxation_integral = false; // the LP relaxation's optimum was already integral
    bool dag_checked = false;         // the longest-path cross-check ran
    bool dag_exact = false;           // per-entry normal form: dag_bound == bound was required
    uint64_t dag_bound = 0;
};

using LongestPathFn =
    std::function<llvm::Expected<std::optional<uint64_t>>(const Problem&, uint64_t node_limit)>;

struct Options {
    uint64_t dag_node_limit = 200000; // expanded blocks above which the cross-check is skipped
    unsigned timeout_ms = 30000;      // per Z3 query (the optimisations, then the re-check)
    // Maximise the LP relaxation first and keep its optimum when integral. Off, Z3 maximises
    // over the integers directly (slower, at times by orders of magnitude; for comparison).
    bool relaxation_first = true;
    // The cross-check; empty means longest_path_by_expansion. Replaceable so that a test can
    // prove that a disagreement between the two methods is reported.
    LongestPathFn longest_path;
};

// The worst-case bound, with the block and edge counts of a worst path.
// Steps: validation (the rules at the top of this file), a boundedness check (one SCC pass per
// loop-nest level, naming the blocks of a cycle with no bound), Z3's optimum (of the LP
// relaxation when that is integral, as it is for most IPET problems; of the ILP otherwise),
// verify_optimum on it, then the longest-path cross-check when the expansion fits in
// `dag_node_limit`.
// Errors: invalid problem, a cycle with no bound, no exit reachable, no execution within the
// loop bounds, a bound above 2^64-1, a Z3 timeout, a failed re-check, a disagreement
// ("ILP bound X disagrees with longest-path bound Y").
// Cost: one Z3 optimisation (two when the relaxation ends on a fraction) and one Z3
// satisfiability query, exponential in the worst case, tens of milliseconds for CFGs of a few
// hundred blocks; plus the expansion below.
llvm::Expected<Solution> solve(const Problem& problem, const Options& options = {});

// Checks that `claimed` satisfies every constraint of the ILP (block and edge counts sized to
// the graph, zero off the entry-to-exit paths, flow conservation, one entry, exactly one return,
// the loop constraints, non-negative exit flows, objective == claimed.bound, all by exact 64-bit
// arithmetic that reports overflow), and that no solution has an objective above claimed.bound
// (a plain Z3 satisfiability query that must be UNSAT). The Error says which check failed.
llvm::Error verify_optimum(const Problem& problem, const Solution& claimed,
                           const Options& options = {});

// The independent cross-check, without Z3: expands the CFG into a DAG whose nodes are a block
// plus the iteration counter of every loop containing it (a loop entered several times gets a
// fresh counter per entry, so the loop is duplicated per entry context and nested loops are
// unrolled inside each iteration of their parents), and computes the longest path from the entry
// to an exit by dynamic programming in topological order (reverse DFS post-order).
// Size: sum over blocks of the product of (max_per_entry + 1) over the loops containing the
// block; above `node_limit` nothing is expanded and the result is std::nullopt (skipped).
// Errors: invalid problem, a cycle the loop bounds do not break, no path within the bounds,
// a path cost above 2^64-1.
llvm::Expected<std::optional<uint64_t>> longest_path_by_expansion(const Problem& problem,
                                                                  uint64_t node_limit);

} // namespace clockwork::analyzer::path
