#include <clockwork/analyzer/analysis.hpp>

#include <clockwork/analyzer/cfg/function_graph.hpp>
#include <clockwork/analyzer/cfg/loops.hpp>
#include <clockwork/analyzer/path/ipet.hpp>

#include "loop_mapping.hpp"

#include <llvm/ADT/ScopeExit.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <set>

namespace clockwork::analyzer {

namespace {

// Two names of one source file: the same file once symbolic links and relative parts are
// resolved. A bare file name never matches: two files of one name in different directories
// are different loops.
bool same_file(const std::string& a, const std::string& b) {
    llvm::SmallString<256> real_a;
    llvm::SmallString<256> real_b;
    if (llvm::sys::fs::real_path(a, real_a) || llvm::sys::fs::real_path(b, real_b)) {
        return a == b && llvm::sys::path::is_absolute(a);
    }
    return real_a == real_b;
}

const AnalysisOptions::ProvenLoopBound*
proof_of(const std::vector<AnalysisOptions::ProvenLoopBound>& proofs, const MappedLoop& loop) {
    if (loop.annotation.file.empty()) {
        return nullptr;
    }
    for (const AnalysisOptions::ProvenLoopBound& proof : proofs) {
        if (proof.line == loop.annotation.line && same_file(proof.file, loop.annotation.file) &&
            proof.bound <= loop.bound.bound) {
            return &proof;
        }
    }
    return nullptr;
}

llvm::Error error(const llvm::Twine& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string hex(uint64_t value) {
    return "0x" + llvm::utohexstr(value, /*LowerCase=*/true);
}

reports::SourceLocation location_of(const binary::Program& program, uint64_t address) {
    const binary::SourceLine line = program.line_at(address);
    return {line.file, line.line};
}

} // namespace

struct Analyzer::FunctionResult {
    std::string name;
    uint64_t bound = 0;
    std::vector<reports::WorstPathBlock> worst_path;
    std::vector<reports::LoopBound> loops;        // its own and its callees'
    std::vector<reports::Assumption> assumptions; // its own and its callees'
};

Analyzer::Analyzer(const binary::Program& program, FlowFactsProvider facts,
                   const AnalysisOptions& options, std::unique_ptr<timing::TimingModel> model)
    : program_(program), provider_(std::move(facts)), options_(options), model_(std::move(model)) {}

llvm::Expected<const source::FlowFacts*> Analyzer::flow_facts() {
    if (!facts_) {
        auto facts = provider_();
        if (!facts) {
            return facts.takeError();
        }
        facts_ = std::move(*facts);
    }
    return &*facts_;
}

Analyzer::~Analyzer() = default;

llvm::Expected<std::unique_ptr<Analyzer>> Analyzer::create(const binary::Program& program,
                                                           FlowFactsProvider facts,
                                                           const AnalysisOptions& options) {
    // A misspelt name would exclude nothing and leave the bound describing the wrong build.
    for (const std::string& name : options.never_called) {
        auto found = program.function(name);
        if (!found) {
            llvm::consumeError(found.takeError());
            return error("--never-called " + name + ": error: no function named '" + name +
                         "' in " + program.path() + "; note: use the symbol as llvm-nm prints it");
        }
    }
    std::unique_ptr<timing::TimingModel> model;
    if (options.metric == reports::Metric::instructions) {
        model = timing::make_instruction_model();
    } else {
        auto cycles = timing::make_cycle_model(program.target(), {options.flash_wait_states});
        if (!cycles) {
            return cycles.takeError();
        }
        model = std::move(*cycles);
    }
    return std::unique_ptr<Analyzer>(
        new Analyzer(program, std::move(facts), options, std::move(model)));
}

llvm::Expected<reports::Bound> Analyzer::analyze(llvm::StringRef function) {
    auto symbol = program_.function(function);
    if (!symbol) {
        return symbol.takeError();
    }
    auto result = analyze_at(symbol->address);
    if (!result) {
        return result.takeError();
    }
    reports::Bound bound;
    bound.target = program_.target().name.str();
    bound.function = function.str();
    bound.metric = options_.metric;
    bound.value = (*result)->bound;
    bound.worst_path = (*result)->worst_path;
    bound.loops = (*result)->loops;
    bound.timing_model = model_->parameters();
    bound.assumptions = (*result)->assumptions;
    return bound;
}

llvm::Expected<const Analyzer::FunctionResult*> Analyzer::analyze_at(uint64_t address) {
    if (auto found = done_.find(address); found != done_.end()) {
        return found->second.get();
    }
    auto symbol = program_.function_at(address);
    if (!symbol) {
        return error(cfg::describe_location(program_, address) + ": error: a call to " +
                     hex(address) + ", where no function symbol starts; note: check the ELF");
    }
    if (std::find(in_progress_.begin(), in_progress_.end(), address) != in_progress_.end()) {
        std::string chain;
        for (uint64_t caller : in_progress_) {
            chain += program_.function_at(caller)->name + " -> ";
        }
        return error(cfg::describe_location(program_, address) + ": error: recursion " + chain +
                     symbol->name +
                     "; note: a recursive call has no static bound, rewrite it as a bounded loop");
    }
    in_progress_.push_back(address);
    auto pop = llvm::make_scope_exit([&] { in_progress_.pop_back(); });

    cfg::BuildOptions build_options;
    build_options.allow_indirect_calls = options_.indirect_call_cost.has_value();
    build_options.indirect_jumps_are_tail_calls = options_.indirect_call_cost.has_value();
    auto graph = cfg::build_function(program_, *symbol, build_options);
    if (!graph) {
        return graph.takeError();
    }
    auto forest = cfg::LoopForest::analyze(program_, **graph);
    if (!forest) {
        return forest.takeError();
    }

    auto result = std::make_unique<FunctionResult>();
    result->name = symbol->name;
    const auto& blocks = (*graph)->blocks();

    // Blocks that call a function assumed never to run are dropped with their edges.
    std::vector<bool> dropped(blocks.size(), false);
    std::set<std::string> assumed_absent;
    for (const auto& block : blocks) {
        for (const cfg::Call& call : block->calls) {
            if (!call.callee) {
                continue;
            }
            auto callee = program_.function_at(*call.callee);
            if (callee && std::find(options_.never_called.begin(), options_.never_called.end(),
                                    callee->name) != options_.never_called.end()) {
                dropped[block->index] = true;
                assumed_absent.insert(callee->name);
            }
        }
    }
    for (const std::string& name : assumed_absent) {
        result->assumptions.push_back({"call to " + name + " in " + symbol->name,
                                       "never executed: paths through it are excluded",
                                       "--never-called (configuration of the analysed build)"});
    }

    path::Problem problem;
    problem.graph.node_cost.assign(blocks.size(), 0);
    problem.graph.entry = 0;
    if (dropped[0]) {
        return error(cfg::describe_location(program_, address) + ": error: every path of " +
                     symbol->name +
                     " calls a function given as never called; note: remove it "
                     "from --never-called or analyse another function");
    }

    for (const auto& block : blocks) {
        uint64_t cost = 0;
        for (size_t k = 0; k < block->instructions.size(); ++k) {
            cost += model_->cost(program_, block->instructions[k], block->flows[k]);
        }
        for (const cfg::Call& call : block->calls) {
            if (dropped[block->index]) {
                break;
            }
            if (!call.callee) {
                cost += *options_.indirect_call_cost;
                if (call.through_jump) {
                    result->assumptions.push_back(
                        {"indirect jump at " + hex(call.address) + " (" +
                             cfg::describe_location(program_, call.address) + ") in " +
                             symbol->name,
                         "a tail call through a function pointer, not a jump table",
                         "--assume-indirect-call-cost (sound for code built with "
                         "-fno-jump-tables)"});
                }
                result->assumptions.push_back(
                    {"indirect call at " + hex(call.address) + " (" +
                         cfg::describe_location(program_, call.address) + ") in " + symbol->name,
                     "the callee costs at most " + std::to_string(*options_.indirect_call_cost) +
                         " " +
                         (options_.metric == reports::Metric::instructions ? "instructions"
                                                                           : "cycles"),
                     "--assume-indirect-call-cost"});
                continue;
            }
            auto callee = analyze_at(*call.callee);
            if (!callee) {
                return callee.takeError();
            }
            cost += (*callee)->bound;
            for (const auto& loop : (*callee)->loops) {
                result->loops.push_back(loop);
            }
            for (const auto& assumption : (*callee)->assumptions) {
                result->assumptions.push_back(assumption);
            }
        }
        problem.graph.node_cost[block->index] = cost;
        if (block->exits && !dropped[block->index]) {
            problem.graph.exits.push_back(block->index);
        }
    }

    // Edge indices per (from, to), for the loop constraints: a conditional branch to the next
    // instruction gives two edges between the same blocks.
    std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> edge_index;
    for (const auto& block : blocks) {
        if (dropped[block->index]) {
            continue;
        }
        for (size_t k = 0; k < block->successors.size(); ++k) {
            const cfg::Block* to = block->successors[k];
            if (dropped[to->index]) {
                continue;
            }
            uint64_t edge_cost = 0;
            if (block->taken[k] && !block->instructions.empty()) {
                const cfg::Flow& flow = block->flows.back();
                const bool conditional = flow.kind == cfg::FlowKind::conditional_jump ||
                                         flow.kind == cfg::FlowKind::conditional_return;
                if (conditional) {
                    edge_cost = model_->taken_extra(program_, block->instructions.back(), flow);
                }
            }
            edge_index[{block->index, to->index}].push_back(
                static_cast<uint32_t>(problem.graph.edges.size()));
            problem.graph.edges.push_back({block->index, to->index, edge_cost});
        }
    }

    std::vector<MappedLoop> no_loops;
    llvm::Expected<std::vector<MappedLoop>> mapped = std::move(no_loops);
    if (!(*forest)->all_loops().empty()) {
        if (!program_.has_line_table()) {
            return error(program_.path() + ": error: " + symbol->name +
                         " has loops, but the ELF has no DWARF line table to match them with "
                         "their bounds in the source; note: build with -g (strip only the copy "
                         "you flash)");
        }
        auto facts = flow_facts();
        if (!facts) {
            return facts.takeError();
        }
        mapped = map_loops(program_, **facts, **graph, **forest);
    }
    if (!mapped) {
        return mapped.takeError();
    }
    for (const MappedLoop& loop : *mapped) {
        path::LoopConstraint constraint;
        constraint.header = loop.header->index;
        for (const cfg::Block* member : loop.loop->getBlocks()) {
            constraint.body.push_back(member->index);
        }
        std::set<uint32_t> seen_predecessors;
        for (const cfg::Block* predecessor : loop.header->predecessors) {
            if (!seen_predecessors.insert(predecessor->index).second) {
                continue;
            }
            auto edges = edge_index.find({predecessor->index, loop.header->index});
            if (edges == edge_index.end()) {
                continue;
            }
            if (!loop.loop->contains(predecessor)) {
                constraint.entry_edges.insert(constraint.entry_edges.end(), edges->second.begin(),
                                              edges->second.end());
            } else if (!loop.count_body_entries) {
                constraint.counted_edges.insert(constraint.counted_edges.end(),
                                                edges->second.begin(), edges->second.end());
            }
        }
        if (loop.count_body_entries) {
            std::set<uint32_t> seen_successors;
            for (const cfg::Block* successor : loop.header->successors) {
                if (!loop.loop->contains(successor) ||
                    !seen_successors.insert(successor->index).second) {
                    continue;
                }
                auto edges = edge_index.find({loop.header->index, successor->index});
                if (edges != edge_index.end()) {
                    constraint.counted_edges.insert(constraint.counted_edges.end(),
                                                    edges->second.begin(), edges->second.end());
                }
            }
        }
        constraint.max_per_entry = loop.back_edges_per_entry;
        constraint.description = "loop at " + loop.bound.location.file + ":" +
                                 std::to_string(loop.bound.location.line) + " (header " +
                                 hex(loop.header->address) + ")";
        if (constraint.counted_edges.empty()) {
            continue; // every back edge was dropped with a never-called path
        }
        problem.loops.push_back(std::move(constraint));
        reports::LoopBound bound = loop.bound;
        bound.function = symbol->name;
        const AnalysisOptions::ProvenLoopBound* proof = proof_of(options_.proven_loop_bounds, loop);
        bound.proven = proof != nullptr;
        result->loops.push_back(bound);
        result->assumptions.push_back(
            {"loop at " + bound.location.file + ":" + std::to_string(bound.location.line) +
                 " (header " + hex(loop.header->address) + " in " + symbol->name + ")",
             "its body runs at most " + std::to_string(bound.bound) + " times per entry",
             proof != nullptr
                 ? loop.provenance_text + "; proven by clockwork verify (" + proof->property + ")"
                 : loop.provenance_text});
    }

    path::Options path_options;
    path_options.dag_node_limit = options_.dag_node_limit;
    auto solution = path::solve(problem, path_options);
    if (!solution) {
        return error(symbol->name + ": " + llvm::toString(solution.takeError()));
    }
    result->bound = solution->bound;
    for (const auto& block : blocks) {
        const uint64_t count = solution->node_counts[block->index];
        if (count == 0) {
            continue;
        }
        result->worst_path.push_back({block->address, count, problem.graph.node_cost[block->index],
                                      location_of(program_, block->address)});
    }
    std::sort(result->worst_path.begin(), result->worst_path.end(),
              [](const auto& a, const auto& b) { return a.address < b.address; });

    auto& stored = done_[address];
    stored = std::move(result);
    return stored.get();
}

} // namespace clockwork::analyzer
