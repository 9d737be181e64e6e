#include "structure.hpp"

#include <llvm/ADT/DepthFirstIterator.h>
#include <llvm/Support/FormatVariadic.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace clockwork::analyzer::path::detail {

Digraph::Digraph(size_t size) : nodes_(size) {
    for (size_t i = 0; i < size; ++i)
        nodes_[i].id = static_cast<uint32_t>(i);
}

void Digraph::add_edge(uint32_t from, uint32_t to) {
    nodes_[from].successors.push_back(&nodes_[to]);
}

std::string describe(const LoopConstraint& loop) {
    if (!loop.description.empty())
        return loop.description;
    return llvm::formatv("loop with header block {0}", loop.header).str();
}

llvm::Error fail(const llvm::Twine& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

namespace {

std::string edge_text(const Graph& graph, uint32_t index) {
    const Edge& edge = graph.edges[index];
    return llvm::formatv("edge {0} ({1}->{2})", index, edge.from, edge.to).str();
}

// Edge index lists are summed by the ILP, so a repeated index would count an edge twice.
llvm::Error check_edge_list(const Graph& graph, const LoopConstraint& loop,
                            const std::vector<uint32_t>& list, llvm::StringRef role) {
    std::vector<bool> seen(graph.edges.size(), false);
    for (uint32_t index : list) {
        if (index >= graph.edges.size())
            return fail(llvm::formatv("{0}: {1} edge index {2} does not exist (the graph has {3} "
                                      "edges); note: use indices into Graph::edges",
                                      describe(loop), role, index, graph.edges.size()));
        if (seen[index])
            return fail(llvm::formatv("{0}: {1} edges list {2} twice; note: list each edge once",
                                      describe(loop), role, edge_text(graph, index)));
        seen[index] = true;
    }
    return llvm::Error::success();
}

llvm::Error check_graph(const Graph& graph) {
    const size_t blocks = graph.node_cost.size();
    if (blocks == 0)
        return fail("the graph has no blocks; note: give at least the entry block a cost");
    if (blocks > std::numeric_limits<uint32_t>::max() ||
        graph.edges.size() > std::numeric_limits<uint32_t>::max())
        return fail("the graph has more than 2^32-1 blocks or edges; note: split the function");
    if (graph.entry >= blocks)
        return fail(llvm::formatv("entry block {0} does not exist (the graph has {1} blocks); "
                                  "note: blocks are numbered from 0 to {2}",
                                  graph.entry, blocks, blocks - 1));
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        const Edge& edge = graph.edges[i];
        if (edge.from >= blocks || edge.to >= blocks)
            return fail(llvm::formatv("edge {0} goes from block {1} to block {2}, but the graph "
                                      "has only {3} blocks; note: edges must name blocks 0 to {4}",
                                      i, edge.from, edge.to, blocks, blocks - 1));
    }
    if (graph.exits.empty())
        return fail("the graph has no exit block; note: list every block that returns in "
                    "Graph::exits");
    std::vector<bool> seen(blocks, false);
    for (uint32_t exit : graph.exits) {
        if (exit >= blocks)
            return fail(llvm::formatv("exit block {0} does not exist (the graph has {1} blocks)",
                                      exit, blocks));
        if (seen[exit])
            return fail(
                llvm::formatv("exit block {0} is listed twice; note: list each exit once", exit));
        seen[exit] = true;
    }
    return llvm::Error::success();
}

llvm::Error check_body(const Graph& graph, const LoopConstraint& loop, llvm::BitVector& body) {
    const size_t blocks = graph.node_cost.size();
    if (loop.header >= blocks)
        return fail(llvm::formatv("{0}: header block {1} does not exist (the graph has {2} "
                                  "blocks)",
                                  describe(loop), loop.header, blocks));
    body.resize(blocks);
    for (uint32_t block : loop.body) {
        if (block >= blocks)
            return fail(llvm::formatv("{0}: body block {1} does not exist (the graph has {2} "
                                      "blocks)",
                                      describe(loop), block, blocks));
        if (body.test(block))
            return fail(llvm::formatv("{0}: body lists block {1} twice", describe(loop), block));
        body.set(block);
    }
    if (!body.test(loop.header))
        return fail(llvm::formatv("{0}: the body does not contain the header block {1}; note: the "
                                  "body is every block of the natural loop, header included",
                                  describe(loop), loop.header));
    return llvm::Error::success();
}

llvm::Error check_edges(const Graph& graph, const LoopConstraint& loop, const llvm::BitVector& body,
                        const std::vector<bool>& reachable) {
    if (auto error = check_edge_list(graph, loop, loop.entry_edges, "entry"))
        return error;
    if (auto error = check_edge_list(graph, loop, loop.counted_edges, "counted"))
        return error;
    if (loop.counted_edges.empty())
        return fail(llvm::formatv("{0}: no counted edges, so max_per_entry bounds nothing; note: "
                                  "list the loop's back edges in counted_edges",
                                  describe(loop)));

    std::vector<bool> is_entry_edge(graph.edges.size(), false);
    for (uint32_t index : loop.entry_edges) {
        const Edge& edge = graph.edges[index];
        if (edge.to != loop.header || body.test(edge.from))
            return fail(llvm::formatv("{0}: entry {1} does not enter the header block {2} from "
                                      "outside the body; note: entry edges go from a block "
                                      "outside the loop to its header",
                                      describe(loop), edge_text(graph, index), loop.header));
        is_entry_edge[index] = true;
    }
    for (uint32_t index : loop.counted_edges) {
        const Edge& edge = graph.edges[index];
        if (!body.test(edge.from) || !body.test(edge.to))
            return fail(llvm::formatv("{0}: counted {1} does not lie inside the loop body; note: "
                                      "counted edges are normally the back edges to the header",
                                      describe(loop), edge_text(graph, index)));
    }
    // An entry the constraint does not see would let the loop run more often than its bound
    // says, so the bound would be unsound: every way into the body must be a listed entry.
    // Unreachable code is exempt (it never runs, and dominator-based loop finding ignores it).
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        const Edge& edge = graph.edges[i];
        if (body.test(edge.from) || !body.test(edge.to) || !reachable[edge.from])
            continue;
        const auto index = static_cast<uint32_t>(i);
        if (edge.to != loop.header)
            return fail(llvm::formatv("{0}: {1} enters the loop at block {2}, not at its header "
                                      "{3}: the CFG is irreducible there; note: such a cycle has "
                                      "no natural loop to bound",
                                      describe(loop), edge_text(graph, index), edge.to,
                                      loop.header));
        if (!is_entry_edge[i])
            return fail(llvm::formatv("{0}: {1} enters the header from outside the loop but is "
                                      "not among its entry_edges; note: list every edge into the "
                                      "header from outside, or the bound counts too few entries",
                                      describe(loop), edge_text(graph, index)));
    }
    if (body.test(graph.entry) && graph.entry != loop.header)
        return fail(llvm::formatv("{0}: the body contains the function entry block {1}, which is "
                                  "not its header {2}; note: the entry can only start a loop",
                                  describe(loop), graph.entry, loop.header));
    return llvm::Error::success();
}

// A loop is in per-entry normal form when it counts exactly its back edges, or exactly the
// edges from its header into its body. Either way every counted edge starts (or closes) one
// iteration through the header, and iterations move between entries of the loop without
// changing the cost: an entry that leaves from the middle of the body uses one counted edge for
// its last, partial run, which the others' capacity (bound - 1 iterations each) absorbs, so the
// summed constraint admits no more cost than the per-entry one.
bool counts_exactly(const Graph& graph, const LoopConstraint& loop, const llvm::BitVector& body,
                    bool into_header) {
    size_t edges = 0;
    const auto counted = [&](const Edge& edge) {
        return into_header ? edge.to == loop.header && body.test(edge.from)
                           : edge.from == loop.header && body.test(edge.to);
    };
    for (const Edge& edge : graph.edges)
        if (counted(edge))
            ++edges;
    if (edges != loop.counted_edges.size())
        return false;
    return std::all_of(loop.counted_edges.begin(), loop.counted_edges.end(),
                       [&](uint32_t index) { return counted(graph.edges[index]); });
}

bool in_normal_form(const Graph& graph, const LoopConstraint& loop, const llvm::BitVector& body) {
    return counts_exactly(graph, loop, body, true) || counts_exactly(graph, loop, body, false);
}

} // namespace

std::vector<bool> reachable_from(const Graph& graph, llvm::ArrayRef<uint32_t> starts,
                                 bool backwards) {
    Digraph digraph(graph.node_cost.size());
    for (const Edge& edge : graph.edges)
        backwards ? digraph.add_edge(edge.to, edge.from) : digraph.add_edge(edge.from, edge.to);
    llvm::df_iterator_default_set<DigraphNode*> visited;
    for (uint32_t start : starts) {
        digraph.root = digraph.node(start);
        for (const DigraphNode* node : llvm::depth_first_ext(&digraph, visited))
            (void)node;
    }
    std::vector<bool> reached(graph.node_cost.size(), false);
    for (const DigraphNode* node : visited)
        reached[node->id] = true;
    return reached;
}

llvm::Expected<Structure> analyse(const Problem& problem) {
    const Graph& graph = problem.graph;
    if (auto error = check_graph(graph))
        return std::move(error);
    const size_t blocks = graph.node_cost.size();

    Structure structure;
    structure.in_edges.resize(blocks);
    structure.out_edges.resize(blocks);
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        structure.out_edges[graph.edges[i].from].push_back(static_cast<uint32_t>(i));
        structure.in_edges[graph.edges[i].to].push_back(static_cast<uint32_t>(i));
    }
    structure.is_exit.assign(blocks, false);
    for (uint32_t exit : graph.exits)
        structure.is_exit[exit] = true;
    structure.reachable = reachable_from(graph, graph.entry);

    const auto& loops = problem.loops;
    structure.body.resize(loops.size());
    for (size_t i = 0; i < loops.size(); ++i)
        if (auto error = check_body(graph, loops[i], structure.body[i]))
            return std::move(error);
    for (size_t a = 0; a < loops.size(); ++a) {
        for (size_t b = a + 1; b < loops.size(); ++b) {
            const llvm::BitVector& first = structure.body[a];
            const llvm::BitVector& second = structure.body[b];
            if (loops[a].header == loops[b].header)
                return fail(llvm::formatv("{0} and {1} share the header block {2}; note: give one "
                                          "constraint per natural loop",
                                          describe(loops[a]), describe(loops[b]), loops[a].header));
            if (!first.anyCommon(second))
                continue;
            const bool first_inside = !first.test(second);
            const bool second_inside = !second.test(first);
            if (first_inside && second_inside)
                return fail(llvm::formatv("{0} and {1} have the same body; note: give one "
                                          "constraint per natural loop",
                                          describe(loops[a]), describe(loops[b])));
            if (!first_inside && !second_inside)
                return fail(llvm::formatv("{0} and {1} overlap without one containing the other; "
                                          "note: natural loops are nested or disjoint",
                                          describe(loops[a]), describe(loops[b])));
        }
    }
    for (size_t i = 0; i < loops.size(); ++i) {
        if (auto error = check_edges(graph, loops[i], structure.body[i], structure.reachable))
            return std::move(error);
        if (!in_normal_form(graph, loops[i], structure.body[i]))
            structure.normal_form = false;
    }

    // Strict nesting makes a larger body an outer loop.
    std::vector<uint32_t> outermost_first(loops.size());
    std::iota(outermost_first.begin(), outermost_first.end(), 0U);
    std::sort(outermost_first.begin(), outermost_first.end(), [&](uint32_t a, uint32_t b) {
        const size_t size_a = structure.body[a].count(), size_b = structure.body[b].count();
        return size_a != size_b ? size_a > size_b : a < b;
    });
    structure.loops_of.resize(blocks);
    for (uint32_t loop : outermost_first)
        for (unsigned block : structure.body[loop].set_bits())
            structure.loops_of[block].push_back(loop);
    return structure;
}

} // namespace clockwork::analyzer::path::detail
