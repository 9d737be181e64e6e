// The cross-check shares only validation with the ILP: no Z3, no flow variables, just the
// paths themselves, so that a mistake in the ILP encoding cannot hide in both.
#include "structure.hpp"

#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/MathExtras.h>

#include <algorithm>

namespace clockwork::analyzer::path {

namespace {

using detail::fail;

// One CFG edge as a move between expanded states: the counters of the loops containing both
// ends are carried over (a prefix of both loop chains), those of a loop being entered start at
// zero, and each loop that counts the edge advances by one.
struct Step {
    uint32_t to = 0;
    uint64_t cost = 0;
    uint32_t carried = 0;
    llvm::SmallVector<uint32_t, 2> advanced; // positions in the chain of loops of `to`
};

enum class Mark : uint8_t { unvisited, open, reaches_exit, dead_end };

struct Frame {
    uint64_t state = 0;
    uint32_t block = 0;
    uint32_t next_step = 0;
    uint32_t pending_step = 0; // the step that led to the frame above this one
    llvm::SmallVector<uint64_t, 4> counters;
    bool any_tail = false;
    uint64_t best_tail = 0;
};

} // namespace

llvm::Expected<std::optional<uint64_t>> longest_path_by_expansion(const Problem& problem,
                                                                  uint64_t node_limit) {
    auto analysed = detail::analyse(problem);
    if (!analysed)
        return analysed.takeError();
    const detail::Structure& structure = *analysed;
    const Graph& graph = problem.graph;
    const size_t blocks = graph.node_cost.size();

    // Mixed-radix numbering: block v with counters c has the state
    // offset[v] + sum(c[k] * stride[v][k]), counter k ranging over 0..max_per_entry.
    std::vector<uint64_t> offset(blocks);
    std::vector<llvm::SmallVector<uint64_t, 4>> stride(blocks);
    std::vector<llvm::SmallVector<uint64_t, 4>> radix(blocks);
    uint64_t states = 0;
    for (size_t block = 0; block < blocks; ++block) {
        uint64_t size = 1;
        for (uint32_t loop : structure.loops_of[block]) {
            const uint64_t iterations =
                llvm::SaturatingAdd<uint64_t>(problem.loops[loop].max_per_entry, 1);
            stride[block].push_back(size);
            radix[block].push_back(iterations);
            size = llvm::SaturatingMultiply(size, iterations);
        }
        offset[block] = states;
        states = llvm::SaturatingAdd(states, size);
        if (states > node_limit)
            return std::optional<uint64_t>{};
    }

    std::vector<llvm::SmallVector<uint32_t, 2>> counted_by(graph.edges.size());
    for (size_t loop = 0; loop < problem.loops.size(); ++loop)
        for (uint32_t edge : problem.loops[loop].counted_edges)
            counted_by[edge].push_back(static_cast<uint32_t>(loop));
    std::vector<Step> steps(graph.edges.size());
    for (size_t index = 0; index < graph.edges.size(); ++index) {
        const Edge& edge = graph.edges[index];
        const auto& from_chain = structure.loops_of[edge.from];
        const auto& to_chain = structure.loops_of[edge.to];
        Step& step = steps[index];
        step.to = edge.to;
        step.cost = edge.cost;
        while (step.carried < from_chain.size() && step.carried < to_chain.size() &&
               from_chain[step.carried] == to_chain[step.carried])
            ++step.carried;
        for (uint32_t loop : counted_by[index]) {
            // Counted edges lie inside their loop, so the loop is in the carried prefix.
            const auto* position = std::find(to_chain.begin(), to_chain.end(), loop);
            step.advanced.push_back(static_cast<uint32_t>(position - to_chain.begin()));
        }
    }

    std::vector<Mark> mark(states, Mark::unvisited);
    std::vector<uint64_t> best(states, 0);
    const auto overflow = [] {
        return fail("the longest path costs more than 2^64-1; note: the costs or loop bounds are "
                    "implausibly large");
    };

    std::vector<Frame> stack;
    Frame start;
    start.state = offset[graph.entry];
    start.block = graph.entry;
    // The call is a fresh entry of the loop the entry block heads, if any.
    start.counters.assign(structure.loops_of[graph.entry].size(), 0);
    mark[start.state] = Mark::open;
    stack.push_back(std::move(start));

    // Post-order finishing visits the DAG in reverse topological order, so every successor's
    // longest tail is final before its predecessors read it.
    while (!stack.empty()) {
        Frame& frame = stack.back();
        const auto& out = structure.out_edges[frame.block];
        if (frame.next_step < out.size()) {
            const uint32_t edge_index = out[frame.next_step++];
            const Step& step = steps[edge_index];
            llvm::SmallVector<uint64_t, 4> counters(structure.loops_of[step.to].size(), 0);
            std::copy_n(frame.counters.begin(), step.carried, counters.begin());
            bool within_bounds = true;
            for (uint32_t position : step.advanced) {
                const uint32_t loop = structure.loops_of[step.to][position];
                if (++counters[position] > problem.loops[loop].max_per_entry)
                    within_bounds = false;
            }
            if (!within_bounds)
                continue;
            uint64_t target = offset[step.to];
            for (size_t k = 0; k < counters.size(); ++k)
                target += counters[k] * stride[step.to][k];

            switch (mark[target]) {
            case Mark::unvisited: {
                frame.pending_step = edge_index;
                Frame next;
                next.state = target;
                next.block = step.to;
                next.counters = std::move(counters);
                mark[target] = Mark::open;
                stack.push_back(std::move(next));
                break;
            }
            case Mark::open: {
                std::string cycle;
                auto first = std::find_if(stack.begin(), stack.end(),
                                          [&](const Frame& f) { return f.state == target; });
                for (auto it = first; it != stack.end(); ++it)
                    cycle += (cycle.empty() ? "" : ", ") + std::to_string(it->block);
                return fail(llvm::formatv("blocks {0} form a cycle that no loop bound breaks; "
                                          "note: add a LoopConstraint whose counted edges lie on "
                                          "the cycle",
                                          cycle));
            }
            case Mark::reaches_exit: {
                bool overflowed = false;
                const uint64_t tail = llvm::SaturatingAdd(step.cost, best[target], &overflowed);
                if (overflowed)
                    return overflow();
                frame.best_tail = frame.any_tail ? std::max(frame.best_tail, tail) : tail;
                frame.any_tail = true;
                break;
            }
            case Mark::dead_end:
                break;
            }
            continue;
        }

        if (structure.is_exit[frame.block]) {
            frame.best_tail = frame.any_tail ? frame.best_tail : 0;
            frame.any_tail = true;
        }
        const uint64_t state = frame.state;
        const bool reaches_exit = frame.any_tail;
        if (reaches_exit) {
            bool overflowed = false;
            best[state] =
                llvm::SaturatingAdd(graph.node_cost[frame.block], frame.best_tail, &overflowed);
            if (overflowed)
                return overflow();
        }
        mark[state] = reaches_exit ? Mark::reaches_exit : Mark::dead_end;
        stack.pop_back();
        if (stack.empty() || !reaches_exit)
            continue;
        Frame& parent = stack.back();
        bool overflowed = false;
        const uint64_t tail =
            llvm::SaturatingAdd(steps[parent.pending_step].cost, best[state], &overflowed);
        if (overflowed)
            return overflow();
        parent.best_tail = parent.any_tail ? std::max(parent.best_tail, tail) : tail;
        parent.any_tail = true;
    }

    const uint64_t entry_state = offset[graph.entry];
    if (mark[entry_state] != Mark::reaches_exit)
        return fail(llvm::formatv("no path from the entry block {0} reaches an exit within the "
                                  "loop bounds; note: check Graph::exits and loops whose "
                                  "max_per_entry is 0",
                                  graph.entry));
    return std::optional<uint64_t>{best[entry_state]};
}

} // namespace clockwork::analyzer::path
