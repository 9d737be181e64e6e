#include "structure.hpp"

#include <llvm/ADT/SCCIterator.h>
#include <llvm/ADT/STLExtras.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/MathExtras.h>

#include <z3++.h>

#include <algorithm>

namespace clockwork::analyzer::path {

namespace {

using detail::describe;
using detail::Digraph;
using detail::fail;
using detail::Structure;

std::string join(const std::vector<uint32_t>& values) {
    std::string text;
    for (uint32_t value : values)
        text += (text.empty() ? "" : ", ") + std::to_string(value);
    return text;
}

// Blocks on some path from the entry to an exit, ignoring loop bounds. Flow anywhere else would
// be a circulation detached from the call: it cannot belong to a returning execution, and left
// free it would make the ILP unbounded (or merely loose) for no real path.
std::vector<bool> on_return_paths(const Graph& graph, const Structure& structure) {
    std::vector<bool> useful = detail::reachable_from(graph, graph.exits, /*backwards=*/true);
    for (size_t block = 0; block < useful.size(); ++block)
        useful[block] = useful[block] && structure.reachable[block];
    return useful;
}

llvm::Error no_exit_reachable(const Graph& graph) {
    return fail(llvm::formatv("no exit block is reachable from the entry block {0}; note: every "
                              "path from the entry must end in a block listed in Graph::exits",
                              graph.entry));
}

// Every cycle on a return path must take a counted edge of a loop whose body holds the whole
// cycle. Level by level of the loop nest: inside a loop (or at function level), collapse each
// inner loop to one node and drop this loop's counted edges; what remains must be acyclic. A
// cycle that survives is exactly one that no bound limits.
llvm::Error check_bounded(const Problem& problem, const Structure& structure,
                          const std::vector<bool>& useful) {
    const Graph& graph = problem.graph;
    const auto blocks = static_cast<uint32_t>(graph.node_cost.size());
    const auto loops = static_cast<uint32_t>(problem.loops.size());
    std::vector<llvm::SmallVector<uint32_t, 1>> counted_by(graph.edges.size());
    for (uint32_t loop = 0; loop < loops; ++loop)
        for (uint32_t edge : problem.loops[loop].counted_edges)
            counted_by[edge].push_back(loop);

    // Level `loops` stands for the function itself; items below `blocks` are blocks, the rest
    // are collapsed inner loops.
    for (uint32_t level = 0; level <= loops; ++level) {
        const bool function_level = level == loops;
        const size_t depth = function_level ? 0 : 1 + [&] {
            const auto& chain = structure.loops_of[problem.loops[level].header];
            return std::find(chain.begin(), chain.end(), level) - chain.begin();
        }();
        const auto item_of = [&](uint32_t block) -> std::optional<uint32_t> {
            const auto& chain = structure.loops_of[block];
            if (!function_level && (depth > chain.size() || chain[depth - 1] != level))
                return std::nullopt;
            if (depth < chain.size())
                return blocks + chain[depth];
            return block;
        };

        Digraph items(blocks + loops + 1);
        items.root = items.node(blocks + loops);
        std::vector<bool> present(blocks + loops, false);
        for (size_t index = 0; index < graph.edges.size(); ++index) {
            const Edge& edge = graph.edges[index];
            if (!useful[edge.from] || !useful[edge.to] ||
                (!function_level && llvm::is_contained(counted_by[index], level)))
                continue;
            const auto from = item_of(edge.from), to = item_of(edge.to);
            if (!from || !to || (*from == *to && *from >= blocks))
                continue;
            items.add_edge(*from, *to);
            for (uint32_t item : {*from, *to})
                if (!present[item]) {
                    present[item] = true;
                    items.add_edge(blocks + loops, item);
                }
        }

        for (auto scc = llvm::scc_begin(&items); !scc.isAtEnd(); ++scc) {
            if (!scc.hasCycle())
                continue;
            std::vector<uint32_t> cycle_blocks, inner_loops;
            for (const auto* item : *scc) {
                if (item->id < blocks)
                    cycle_blocks.push_back(item->id);
                else
                    inner_loops.push_back(item->id - blocks);
            }
            std::sort(cycle_blocks.begin(), cycle_blocks.end());
            std::string what;
            if (!cycle_blocks.empty())
                what = (cycle_blocks.size() == 1 ? "block " : "blocks ") + join(cycle_blocks);
            for (uint32_t inner : inner_loops)
                what += (what.empty() ? "" : ", ") + describe(problem.loops[inner]);
            const llvm::StringRef verb = scc->size() == 1 ? "forms" : "form";
            if (function_level)
                return fail(llvm::formatv("{0} {1} a cycle with no bound: no loop constraint "
                                          "covers it; note: add a LoopConstraint for this loop "
                                          "(header, body, entry edges, back edges as counted "
                                          "edges)",
                                          what, verb));
            return fail(llvm::formatv("{0} {1} a cycle with no bound inside {2}, which takes "
                                      "none of its counted edges; note: add a LoopConstraint for "
                                      "the inner loop, or count all back edges of {2}",
                                      what, verb, describe(problem.loops[level])));
        }
    }
    return llvm::Error::success();
}

// The ILP of ipet.hpp in Z3 terms: the same encoding is optimised by solve() and re-queried by
// verify_optimum().
struct Encoding {
    explicit Encoding(z3::context& context)
        : nodes(context), edges(context), exits(context), constraints(context),
          objective(context.int_val(0)) {}
    z3::expr_vector nodes, edges, exits; // exits: the return flow of each Graph::exits entry
    z3::expr_vector constraints;
    z3::expr objective;
};

// Integers for the ILP; reals for its LP relaxation, which bounds it from above.
enum class Domain { integers, reals };

Encoding encode(z3::context& context, const Problem& problem, const Structure& structure,
                const std::vector<bool>& useful, Domain domain) {
    const Graph& graph = problem.graph;
    const auto variable = [&](const std::string& name) {
        return domain == Domain::integers ? context.int_const(name.c_str())
                                          : context.real_const(name.c_str());
    };
    const auto number = [&](uint64_t value) {
        return domain == Domain::integers ? context.int_val(value) : context.real_val(value);
    };
    const auto sum_or_zero = [&](const z3::expr_vector& terms) {
        return terms.empty() ? number(0) : z3::sum(terms);
    };

    Encoding encoding(context);
    for (size_t block = 0; block < graph.node_cost.size(); ++block)
        encoding.nodes.push_back(variable("n" + std::to_string(block)));
    for (size_t edge = 0; edge < graph.edges.size(); ++edge)
        encoding.edges.push_back(variable("e" + std::to_string(edge)));
    for (uint32_t exit : graph.exits)
        encoding.exits.push_back(variable("x" + std::to_string(exit)));

    const auto add = [&](const z3::expr& constraint) {
        encoding.constraints.push_back(constraint);
    };
    std::vector<int> exit_slot(graph.node_cost.size(), -1);
    for (size_t i = 0; i < graph.exits.size(); ++i)
        exit_slot[graph.exits[i]] = static_cast<int>(i);

    for (size_t index = 0; index < graph.edges.size(); ++index) {
        const Edge& edge = graph.edges[index];
        if (useful[edge.from] && useful[edge.to])
            add(encoding.edges[static_cast<unsigned>(index)] >= number(0));
        else
            add(encoding.edges[static_cast<unsigned>(index)] == number(0));
    }
    for (size_t block = 0; block < graph.node_cost.size(); ++block) {
        const z3::expr count = encoding.nodes[static_cast<unsigned>(block)];
        const int slot = exit_slot[block];
        if (!useful[block]) {
            add(count == number(0));
            if (slot >= 0)
                add(encoding.exits[static_cast<unsigned>(slot)] == number(0));
            continue;
        }
        z3::expr_vector in(context), out(context);
        for (uint32_t edge : structure.in_edges[block])
            in.push_back(encoding.edges[edge]);
        for (uint32_t edge : structure.out_edges[block])
            out.push_back(encoding.edges[edge]);
        if (block == graph.entry)
            in.push_back(number(1));
        if (slot >= 0) {
            out.push_back(encoding.exits[static_cast<unsigned>(slot)]);
            add(encoding.exits[static_cast<unsigned>(slot)] >= number(0));
        }
        add(count == sum_or_zero(in));
        add(count == sum_or_zero(out));
    }
    add(z3::sum(encoding.exits) == number(1));

    for (const LoopConstraint& loop : problem.loops) {
        z3::expr_vector counted(context), entries(context);
        for (uint32_t edge : loop.counted_edges)
            counted.push_back(encoding.edges[edge]);
        for (uint32_t edge : loop.entry_edges)
            entries.push_back(encoding.edges[edge]);
        if (loop.header == graph.entry)
            entries.push_back(number(1));
        add(z3::sum(counted) <= number(loop.max_per_entry) * sum_or_zero(entries));
    }

    z3::expr_vector terms(context);
    for (size_t block = 0; block < graph.node_cost.size(); ++block)
        if (graph.node_cost[block] != 0)
            terms.push_back(number(graph.node_cost[block]) *
                            encoding.nodes[static_cast<unsigned>(block)]);
    for (size_t edge = 0; edge < graph.edges.size(); ++edge)
        if (graph.edges[edge].cost != 0)
            terms.push_back(number(graph.edges[edge].cost) *
                            encoding.edges[static_cast<unsigned>(edge)]);
    encoding.objective = sum_or_zero(terms);
    return encoding;
}

void set_timeout(z3::context& context, unsigned timeout_ms, auto& solver) {
    z3::params params(context);
    params.set("timeout", timeout_ms);
    solver.set(params);
}

std::optional<uint64_t> to_u64(const z3::expr& value) {
    uint64_t result = 0;
    if (!value.is_numeral() || !value.is_numeral_u64(result))
        return std::nullopt;
    return result;
}

// Exact, overflow-reporting arithmetic for the re-check: the claimed counts come from outside,
// so a wrapped sum must never make a wrong solution look right.
class Checked {
  public:
    void add(uint64_t value) {
        bool overflowed = false;
        sum_ = llvm::SaturatingAdd(sum_, value, &overflowed);
        overflowed_ = overflowed_ || overflowed;
    }
    void add_product(uint64_t a, uint64_t b) {
        bool overflowed = false;
        sum_ = llvm::SaturatingMultiplyAdd(a, b, sum_, &overflowed);
        overflowed_ = overflowed_ || overflowed;
    }
    uint64_t value() const { return sum_; }
    bool overflowed() const { return overflowed_; }

  private:
    uint64_t sum_ = 0;
    bool overflowed_ = false;
};

llvm::Error check_claimed_counts(const Problem& problem, const Structure& structure,
                                 const std::vector<bool>& useful, const Solution& claimed) {
    const Graph& graph = problem.graph;
    const size_t blocks = graph.node_cost.size();
    if (claimed.node_counts.size() != blocks || claimed.edge_counts.size() != graph.edges.size())
        return fail(llvm::formatv("the claimed solution has {0} block counts and {1} edge counts "
                                  "for a graph of {2} blocks and {3} edges",
                                  claimed.node_counts.size(), claimed.edge_counts.size(), blocks,
                                  graph.edges.size()));
    const auto overflow = [](llvm::StringRef what) {
        return fail(llvm::formatv("the claimed counts overflow 64 bits in {0}", what));
    };

    for (size_t index = 0; index < graph.edges.size(); ++index) {
        const Edge& edge = graph.edges[index];
        if (claimed.edge_counts[index] != 0 && !(useful[edge.from] && useful[edge.to]))
            return fail(llvm::formatv("edge {0} ({1}->{2}) lies on no path from the entry to an "
                                      "exit, yet is taken {3} times",
                                      index, edge.from, edge.to, claimed.edge_counts[index]));
    }
    uint64_t returns = 0;
    for (size_t block = 0; block < blocks; ++block) {
        const uint64_t count = claimed.node_counts[block];
        if (!useful[block]) {
            if (count != 0)
                return fail(llvm::formatv("block {0} lies on no path from the entry to an exit, "
                                          "yet executes {1} times",
                                          block, count));
            continue;
        }
        Checked in, out;
        for (uint32_t edge : structure.in_edges[block])
            in.add(claimed.edge_counts[edge]);
        const uint64_t from_call = block == graph.entry ? 1 : 0;
        in.add(from_call);
        for (uint32_t edge : structure.out_edges[block]) {
            out.add(claimed.edge_counts[edge]);
        }
        if (in.overflowed() || out.overflowed())
            return overflow(llvm::formatv("the edges of block {0}", block).str());
        if (count != in.value())
            return fail(llvm::formatv("flow conservation fails at block {0}: it executes {1} "
                                      "times but is entered {2} times ({3} from the call)",
                                      block, count, in.value(), from_call));
        if (structure.is_exit[block]) {
            if (count < out.value())
                return fail(llvm::formatv("flow conservation fails at block {0}: it executes {1} "
                                          "times but its outgoing edges are taken {2} times",
                                          block, count, out.value()));
            returns += count - out.value(); // at most the entry's 1 + edges, checked below
            if (returns > 1)
                return fail(llvm::formatv("the function returns more than once (block {0} "
                                          "returns {1} times); exactly one return per call",
                                          block, count - out.value()));
        } else if (count != out.value()) {
            return fail(llvm::formatv("flow conservation fails at block {0}: it executes {1} "
                                      "times but its outgoing edges are taken {2} times, and it "
                                      "does not return",
                                      block, count, out.value()));
        }
    }
    if (returns != 1)
        return fail("the function never returns in the claimed counts; exactly one return per "
                    "call");

    for (const LoopConstraint& loop : problem.loops) {
        Checked taken, entries;
        for (uint32_t edge : loop.counted_edges) {
            taken.add(claimed.edge_counts[edge]);
        }
        for (uint32_t edge : loop.entry_edges) {
            entries.add(claimed.edge_counts[edge]);
        }
        if (loop.header == graph.entry) {
            entries.add(1);
        }
        Checked allowed;
        allowed.add_product(loop.max_per_entry, entries.value());
        if (taken.overflowed() || entries.overflowed())
            return overflow(describe(loop));
        if (!allowed.overflowed() && taken.value() > allowed.value())
            return fail(llvm::formatv("{0}: its counted edges are taken {1} times, more than {2} "
                                      "per entry x {3} entries",
                                      describe(loop), taken.value(), loop.max_per_entry,
                                      entries.value()));
    }

    Checked objective;
    for (size_t block = 0; block < blocks; ++block) {
        objective.add_product(graph.node_cost[block], claimed.node_counts[block]);
    }
    for (size_t edge = 0; edge < graph.edges.size(); ++edge) {
        objective.add_product(graph.edges[edge].cost, claimed.edge_counts[edge]);
    }
    if (objective.overflowed())
        return overflow("the objective");
    if (objective.value() != claimed.bound)
        return fail(llvm::formatv("the claimed counts cost {0}, not the claimed bound {1}",
                                  objective.value(), claimed.bound));
    return llvm::Error::success();
}

llvm::Error verify_with(const Problem& problem, const Structure& structure,
                        const std::vector<bool>& useful, const Solution& claimed,
                        const Options& options) {
    if (auto error = check_claimed_counts(problem, structure, useful, claimed))
        return error;
    try {
        z3::context context;
        Encoding encoding = encode(context, problem, structure, useful, Domain::integers);
        z3::solver solver(context);
        set_timeout(context, options.timeout_ms, solver);
        solver.add(encoding.constraints);
        solver.add(encoding.objective > context.int_val(claimed.bound));
        switch (solver.check()) {
        case z3::unsat:
            return llvm::Error::success();
        case z3::sat: {
            const z3::expr better = solver.get_model().eval(encoding.objective, true);
            return fail(llvm::formatv("the claimed bound {0} is not the maximum: counts costing "
                                      "{1} satisfy every constraint",
                                      claimed.bound, better.to_string()));
        }
        case z3::unknown:
            return fail(llvm::formatv("Z3 could not show within {0} ms that no path costs more "
                                      "than {1} ({2}); note: raise Options::timeout_ms",
                                      options.timeout_ms, claimed.bound, solver.reason_unknown()));
        }
    } catch (const z3::exception& exception) {
        return fail(llvm::formatv("Z3 failed while re-checking the bound: {0}", exception.msg()));
    }
    return fail("Z3 gave an answer that is neither sat, unsat nor unknown");
}

// The counts of a model, or nothing if one of them is not a whole number below 2^64.
std::optional<Solution> read_counts(const z3::model& model, const Encoding& encoding) {
    Solution solution;
    const auto bound = to_u64(model.eval(encoding.objective, true));
    if (!bound)
        return std::nullopt;
    solution.bound = *bound;
    for (const auto& [variables, values] : {std::pair{&encoding.nodes, &solution.node_counts},
                                            std::pair{&encoding.edges, &solution.edge_counts}}) {
        for (unsigned i = 0; i < variables->size(); ++i) {
            const auto count = to_u64(model.eval((*variables)[i], true));
            if (!count)
                return std::nullopt;
            values->push_back(*count);
        }
    }
    return solution;
}

llvm::Error infeasible() {
    return fail("no path from the entry to an exit stays within the loop bounds; note: a loop "
                "whose max_per_entry is 0 cannot take its counted edges at all");
}

llvm::Error unbounded(const z3::expr& upper) {
    return fail(llvm::formatv("Z3 reports the bound as unbounded ({0}) although every cycle has a "
                              "loop bound; note: report this problem",
                              upper.to_string()));
}

// Z3's integer optimisation can wander for seconds on a problem whose LP relaxation it
// maximises in milliseconds. IPET relaxations are mostly integral at the optimum, and an
// integral optimum of the relaxation is an optimum of the ILP (the relaxation bounds the ILP
// from above and the point is an integer solution), so the relaxation goes first and the
// integers only when it ends on a fraction.
llvm::Expected<Solution> optimise(const Problem& problem, const Structure& structure,
                                  const std::vector<bool>& useful, const Options& options) {
    try {
        z3::context context;
        std::optional<z3::expr> relaxation_bound;
        if (options.relaxation_first) {
            const Encoding relaxed = encode(context, problem, structure, useful, Domain::reals);
            z3::optimize optimizer(context);
            set_timeout(context, options.timeout_ms, optimizer);
            optimizer.add(relaxed.constraints);
            const z3::optimize::handle objective = optimizer.maximize(relaxed.objective);
            const z3::check_result result = optimizer.check();
            if (result == z3::unsat)
                return infeasible();
            if (result == z3::sat) {
                const z3::expr upper = optimizer.upper(objective);
                if (!upper.is_numeral())
                    return unbounded(upper);
                if (auto solution = read_counts(optimizer.get_model(), relaxed)) {
                    solution->relaxation_integral = true;
                    return std::move(*solution);
                }
                relaxation_bound = upper;
            }
        }

        const Encoding encoding = encode(context, problem, structure, useful, Domain::integers);
        z3::optimize optimizer(context);
        set_timeout(context, options.timeout_ms, optimizer);
        optimizer.add(encoding.constraints);
        // A valid cut that spares Z3 from rediscovering the relaxation's bound.
        if (relaxation_bound)
            optimizer.add(z3::to_real(encoding.objective) <= *relaxation_bound);
        const z3::optimize::handle objective = optimizer.maximize(encoding.objective);
        switch (optimizer.check()) {
        case z3::unsat:
            return infeasible();
        case z3::unknown:
            return fail(llvm::formatv(
                "Z3 found no optimum within {0} ms ({1}); note: raise Options::timeout_ms",
                options.timeout_ms, Z3_optimize_get_reason_unknown(context, optimizer)));
        case z3::sat:
            break;
        }
        const z3::expr upper = optimizer.upper(objective);
        if (!upper.is_numeral())
            return unbounded(upper);
        auto solution = read_counts(optimizer.get_model(), encoding);
        if (!solution)
            return fail(llvm::formatv("the worst-case bound {0} or a count of its path does not "
                                      "fit in 64 bits; note: the costs or loop bounds are "
                                      "implausibly large",
                                      upper.to_string()));
        return std::move(*solution);
    } catch (const z3::exception& exception) {
        return fail(llvm::formatv("Z3 failed while maximising the bound: {0}", exception.msg()));
    }
}

} // namespace

llvm::Error verify_optimum(const Problem& problem, const Solution& claimed,
                           const Options& options) {
    auto structure = detail::analyse(problem);
    if (!structure)
        return structure.takeError();
    const std::vector<bool> useful = on_return_paths(problem.graph, *structure);
    if (!useful[problem.graph.entry])
        return no_exit_reachable(problem.graph);
    return verify_with(problem, *structure, useful, claimed, options);
}

llvm::Expected<Solution> solve(const Problem& problem, const Options& options) {
    auto structure = detail::analyse(problem);
    if (!structure)
        return structure.takeError();
    const std::vector<bool> useful = on_return_paths(problem.graph, *structure);
    if (!useful[problem.graph.entry])
        return no_exit_reachable(problem.graph);
    if (auto error = check_bounded(problem, *structure, useful))
        return std::move(error);

    auto solution = optimise(problem, *structure, useful, options);
    if (!solution)
        return solution.takeError();
    if (auto error = verify_with(problem, *structure, useful, *solution, options))
        return fail("Z3's optimum failed re-checking: " + llvm::toString(std::move(error)));

    const LongestPathFn& longest_path =
        options.longest_path ? options.longest_path : LongestPathFn(longest_path_by_expansion);
    auto dag_bound = longest_path(problem, options.dag_node_limit);
    if (!dag_bound)
        return fail("the longest-path cross-check failed: " +
                    llvm::toString(dag_bound.takeError()));
    if (!*dag_bound)
        return solution;
    solution->dag_checked = true;
    solution->dag_exact = structure->normal_form;
    solution->dag_bound = **dag_bound;
    const bool agree = solution->dag_exact ? solution->dag_bound == solution->bound
                                           : solution->dag_bound <= solution->bound;
    if (!agree)
        return fail(llvm::formatv(
            "ILP bound {0} disagrees with longest-path bound {1}; note: {2}", solution->bound,
            solution->dag_bound,
            solution->dag_exact
                ? "every loop counts exactly its back edges, so the two must be equal"
                : "the longest path respects every bound per entry, so it cannot exceed the ILP"));
    return solution;
}

} // namespace clockwork::analyzer::path
