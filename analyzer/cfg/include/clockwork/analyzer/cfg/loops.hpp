// Natural loops of a FunctionGraph, found by LLVM's own LoopInfoBase over its DominatorTreeBase.
#pragma once

#include <clockwork/analyzer/cfg/function_graph.hpp>

#include <llvm/Support/GenericDomTree.h>
#include <llvm/Support/GenericLoopInfo.h>

#include <memory>

namespace llvm {

// LoopInfoBase walks the dominator tree in post order.
template <class Node>
struct ClockworkDomTreeTraits {
    using NodeRef = Node*;
    using ChildIteratorType =
        typename DomTreeNodeBase<clockwork::analyzer::cfg::Block>::const_iterator;
    static NodeRef getEntryNode(NodeRef node) { return node; }
    static ChildIteratorType child_begin(NodeRef node) { return node->begin(); }
    static ChildIteratorType child_end(NodeRef node) { return node->end(); }
};
template <>
struct GraphTraits<DomTreeNodeBase<clockwork::analyzer::cfg::Block>*>
    : ClockworkDomTreeTraits<DomTreeNodeBase<clockwork::analyzer::cfg::Block>> {};
template <>
struct GraphTraits<const DomTreeNodeBase<clockwork::analyzer::cfg::Block>*>
    : ClockworkDomTreeTraits<const DomTreeNodeBase<clockwork::analyzer::cfg::Block>> {};

} // namespace llvm

namespace clockwork::analyzer::cfg {

class MachineLoop : public llvm::LoopBase<Block, MachineLoop> {
  public:
    MachineLoop() = default;
    explicit MachineLoop(Block* header) : llvm::LoopBase<Block, MachineLoop>(header) {}
};

using DominatorTree = llvm::DominatorTreeBase<Block, false>;

class LoopForest {
  public:
    // Fails on an irreducible cycle (a cycle entered other than through one dominating header),
    // naming the function, the address and file:line.
    static llvm::Expected<std::unique_ptr<LoopForest>> analyze(const binary::Program& program,
                                                               FunctionGraph& function);

    const DominatorTree& dominators() const { return dominators_; }
    const llvm::LoopInfoBase<Block, MachineLoop>& loops() const { return loops_; }
    // Every loop, outer loops before the loops they contain.
    std::vector<MachineLoop*> all_loops() const;

  private:
    DominatorTree dominators_;
    llvm::LoopInfoBase<Block, MachineLoop> loops_;
};

} // namespace clockwork::analyzer::cfg
