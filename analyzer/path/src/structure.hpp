// Validation and the loop-nest view of a Problem, shared by the ILP and the longest path so that
// both reject exactly the same problems.
#pragma once

#include <clockwork/analyzer/path/ipet.hpp>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/BitVector.h>
#include <llvm/ADT/GraphTraits.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/Twine.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clockwork::analyzer::path::detail {

// A bare digraph over block numbers, so that LLVM's SCC and depth-first iterators can run on
// views of a Graph (the whole CFG, its reverse, one loop level with inner loops collapsed).
struct DigraphNode {
    uint32_t id = 0;
    llvm::SmallVector<DigraphNode*, 4> successors;
};

class Digraph {
  public:
    explicit Digraph(size_t size);
    Digraph(const Digraph&) = delete;
    Digraph& operator=(const Digraph&) = delete;

    void add_edge(uint32_t from, uint32_t to);
    DigraphNode* node(uint32_t id) { return &nodes_[id]; }
    size_t size() const { return nodes_.size(); }

    DigraphNode* root = nullptr; // where the LLVM iterators start

  private:
    std::vector<DigraphNode> nodes_; // never resized: successors point into it
};

struct Structure {
    std::vector<llvm::SmallVector<uint32_t, 4>> in_edges, out_edges; // edge indices per block
    std::vector<bool> is_exit;
    std::vector<bool> reachable;       // from the entry, ignoring loop bounds
    std::vector<llvm::BitVector> body; // per loop, over blocks
    // The loops containing each block, outermost first. Laminar bodies make this a chain, so
    // the loops containing both ends of an edge are a common prefix of the two chains.
    std::vector<llvm::SmallVector<uint32_t, 4>> loops_of;
    // Every loop counts exactly its back edges (see ipet.hpp: the ILP then equals the longest
    // path).
    bool normal_form = true;
};

// Checks every rule listed at the top of ipet.hpp except boundedness, which needs the loop nest
// this builds.
llvm::Expected<Structure> analyse(const Problem& problem);

// Blocks reachable from any of `starts` along the edges (against them when `backwards`).
std::vector<bool> reachable_from(const Graph& graph, llvm::ArrayRef<uint32_t> starts,
                                 bool backwards = false);

std::string describe(const LoopConstraint& loop);

llvm::Error fail(const llvm::Twine& message);

} // namespace clockwork::analyzer::path::detail

template <>
struct llvm::GraphTraits<clockwork::analyzer::path::detail::Digraph*> {
    using NodeRef = clockwork::analyzer::path::detail::DigraphNode*;
    using ChildIteratorType = llvm::SmallVectorImpl<NodeRef>::iterator;

    static NodeRef getEntryNode(clockwork::analyzer::path::detail::Digraph* graph) {
        return graph->root;
    }
    static ChildIteratorType child_begin(NodeRef node) { return node->successors.begin(); }
    static ChildIteratorType child_end(NodeRef node) { return node->successors.end(); }
};
