#include <clockwork/analyzer/cfg/loops.hpp>

#include <llvm/ADT/PostOrderIterator.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/GenericDomTreeConstruction.h>
#include <llvm/Support/GenericLoopInfoImpl.h>

template class llvm::LoopBase<clockwork::analyzer::cfg::Block,
                              clockwork::analyzer::cfg::MachineLoop>;
template class llvm::LoopInfoBase<clockwork::analyzer::cfg::Block,
                                  clockwork::analyzer::cfg::MachineLoop>;
template class llvm::DominatorTreeBase<clockwork::analyzer::cfg::Block, false>;

namespace clockwork::analyzer::cfg {

namespace {

// A retreating edge (to a block still on the depth-first stack) whose target does not
// dominate its source closes a cycle with two entries: no natural loop, no loop bound.
const Block* irreducible_entry(const FunctionGraph& function, const DominatorTree& dominators) {
    enum class State { unvisited, active, done };
    std::vector<State> state(function.blocks().size(), State::unvisited);
    struct Frame {
        const Block* block;
        size_t next_successor;
    };
    std::vector<Frame> stack{{&function.front(), 0}};
    state[function.front().index] = State::active;
    while (!stack.empty()) {
        Frame& frame = stack.back();
        if (frame.next_successor == frame.block->successors.size()) {
            state[frame.block->index] = State::done;
            stack.pop_back();
            continue;
        }
        const Block* successor = frame.block->successors[frame.next_successor++];
        if (state[successor->index] == State::active) {
            if (!dominators.dominates(successor, frame.block)) {
                return successor;
            }
        } else if (state[successor->index] == State::unvisited) {
            state[successor->index] = State::active;
            stack.push_back({successor, 0});
        }
    }
    return nullptr;
}

} // namespace

llvm::Expected<std::unique_ptr<LoopForest>> LoopForest::analyze(const binary::Program& program,
                                                                FunctionGraph& function) {
    auto forest = std::make_unique<LoopForest>();
    forest->dominators_.recalculate(function);
    if (const Block* entry = irreducible_entry(function, forest->dominators_)) {
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            describe_location(program, entry->address) + ": error: an irreducible loop in " +
                function.name() + " at 0x" + llvm::utohexstr(entry->address) +
                " (a cycle with more than one entry); note: restructure the loop so that it is "
                "entered only through its header (no goto into a loop body)");
    }
    forest->loops_.analyze(forest->dominators_);
    return forest;
}

std::vector<MachineLoop*> LoopForest::all_loops() const {
    std::vector<MachineLoop*> result;
    std::vector<MachineLoop*> work(loops_.begin(), loops_.end());
    while (!work.empty()) {
        MachineLoop* loop = work.back();
        work.pop_back();
        result.push_back(loop);
        for (MachineLoop* inner : loop->getSubLoops()) {
            work.push_back(inner);
        }
    }
    return result;
}

} // namespace clockwork::analyzer::cfg
