// One function's machine control-flow graph, rebuilt from the shipped ELF, with the
// llvm::GraphTraits that let LLVM's dominator, loop and SCC algorithms run on it.
#pragma once

#include <clockwork/analyzer/binary/program.hpp>
#include <clockwork/analyzer/cfg/flow.hpp>

#include <llvm/ADT/GraphTraits.h>
#include <llvm/ADT/STLExtras.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::analyzer::cfg {

class FunctionGraph;

struct Call {
    uint64_t address = 0;           // of the call instruction (of the branch, for a tail call)
    std::optional<uint64_t> callee; // unknown for a call through a register
    bool tail = false;
    bool through_jump = false; // an indirect jump taken to be a tail call
};

class Block {
  public:
    uint64_t address = 0;
    uint32_t index = 0; // position in FunctionGraph::blocks()
    std::vector<binary::Instruction> instructions;
    std::vector<Flow> flows; // parallel to instructions: how each one moves the control flow
    std::vector<Block*> successors;
    std::vector<bool>
        taken; // parallel to successors: reached by a taken branch, not by falling through
    std::vector<Block*> predecessors;
    std::vector<Call> calls;
    bool exits = false;    // the function returns (or tail-calls) from here
    bool virtual_ = false; // holds no instruction: a tail call or a conditional return's target

    FunctionGraph* getParent() const { return parent_; }
    void printAsOperand(llvm::raw_ostream& out, bool /*print_type*/) const;
    void print(llvm::raw_ostream& out) const { printAsOperand(out, false); }

  private:
    friend class FunctionGraph;
    FunctionGraph* parent_ = nullptr;
};

class FunctionGraph {
  public:
    FunctionGraph(std::string name, uint64_t address) : name_(std::move(name)), address_(address) {}
    FunctionGraph(const FunctionGraph&) = delete;
    FunctionGraph& operator=(const FunctionGraph&) = delete;

    const std::string& name() const { return name_; }
    uint64_t address() const { return address_; }
    Block& front() { return *blocks_.front(); }
    const Block& front() const { return *blocks_.front(); }
    const std::vector<std::unique_ptr<Block>>& blocks() const { return blocks_; }

    Block& add_block(uint64_t address);
    void add_edge(Block& from, Block& to, bool taken);

  private:
    std::string name_;
    uint64_t address_;
    std::vector<std::unique_ptr<Block>> blocks_; // [0] is the entry
};

struct BuildOptions {
    // Calls through a register are recorded with an unknown callee instead of failing; the
    // analysis then charges them with an assumed cost that goes into the Evidence.
    bool allow_indirect_calls = false;
    // With allow_indirect_calls: an indirect jump is taken to be a tail call through a function
    // pointer (the compiler's form of `return f(...)` through a pointer), not a jump table. Only
    // sound for code built without jump tables (-fno-jump-tables), which the analysis states.
    bool indirect_jumps_are_tail_calls = false;
};

// Reconstructs the CFG by following the control flow from the symbol's entry. Errors name the
// function, the address and file:line, and say how to fix: an unresolved indirect jump, a call
// through a register (unless allowed), a branch out of the function that is not a tail call,
// control falling off the end of the symbol.
llvm::Expected<std::unique_ptr<FunctionGraph>> build_function(const binary::Program& program,
                                                              const binary::FunctionSymbol& symbol,
                                                              const BuildOptions& options = {});

// "heap.cpp:312" or "0x1a4" when the line table has no row for the address.
std::string describe_location(const binary::Program& program, uint64_t address);

} // namespace clockwork::analyzer::cfg

namespace llvm {

template <>
struct GraphTraits<clockwork::analyzer::cfg::Block*> {
    using NodeRef = clockwork::analyzer::cfg::Block*;
    using ChildIteratorType = std::vector<NodeRef>::iterator;
    static NodeRef getEntryNode(NodeRef block) { return block; }
    static ChildIteratorType child_begin(NodeRef block) { return block->successors.begin(); }
    static ChildIteratorType child_end(NodeRef block) { return block->successors.end(); }
};

template <>
struct GraphTraits<Inverse<clockwork::analyzer::cfg::Block*>> {
    using NodeRef = clockwork::analyzer::cfg::Block*;
    using ChildIteratorType = std::vector<NodeRef>::iterator;
    static NodeRef getEntryNode(Inverse<NodeRef> block) { return block.Graph; }
    static ChildIteratorType child_begin(NodeRef block) { return block->predecessors.begin(); }
    static ChildIteratorType child_end(NodeRef block) { return block->predecessors.end(); }
};

template <>
struct GraphTraits<const clockwork::analyzer::cfg::Block*> {
    using NodeRef = const clockwork::analyzer::cfg::Block*;
    using ChildIteratorType = std::vector<clockwork::analyzer::cfg::Block*>::const_iterator;
    static NodeRef getEntryNode(NodeRef block) { return block; }
    static ChildIteratorType child_begin(NodeRef block) { return block->successors.begin(); }
    static ChildIteratorType child_end(NodeRef block) { return block->successors.end(); }
};

template <>
struct GraphTraits<Inverse<const clockwork::analyzer::cfg::Block*>> {
    using NodeRef = const clockwork::analyzer::cfg::Block*;
    using ChildIteratorType = std::vector<clockwork::analyzer::cfg::Block*>::const_iterator;
    static NodeRef getEntryNode(Inverse<NodeRef> block) { return block.Graph; }
    static ChildIteratorType child_begin(NodeRef block) { return block->predecessors.begin(); }
    static ChildIteratorType child_end(NodeRef block) { return block->predecessors.end(); }
};

template <>
struct GraphTraits<clockwork::analyzer::cfg::FunctionGraph*>
    : GraphTraits<clockwork::analyzer::cfg::Block*> {
    using GraphRef = clockwork::analyzer::cfg::FunctionGraph*;
    static NodeRef block_of(const std::unique_ptr<clockwork::analyzer::cfg::Block>& block) {
        return block.get();
    }
    using nodes_iterator = mapped_iterator<
        std::vector<std::unique_ptr<clockwork::analyzer::cfg::Block>>::const_iterator,
        decltype(&block_of)>;
    static NodeRef getEntryNode(GraphRef graph) { return &graph->front(); }
    static nodes_iterator nodes_begin(GraphRef graph) {
        return {graph->blocks().begin(), &block_of};
    }
    static nodes_iterator nodes_end(GraphRef graph) { return {graph->blocks().end(), &block_of}; }
    static unsigned size(GraphRef graph) { return static_cast<unsigned>(graph->blocks().size()); }
};

} // namespace llvm
