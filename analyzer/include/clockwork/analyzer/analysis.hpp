// The analyzer's pipeline for one ELF: binary -> cfg -> timing -> path, with loop bounds from
// the source's flow facts. The result is a reports::Bound per function and metric: the value,
// the worst path, every loop bound and every assumption it rests on.
#pragma once

#include <clockwork/analyzer/binary/program.hpp>
#include <clockwork/analyzer/source/flow_facts.hpp>
#include <clockwork/analyzer/timing/timing_model.hpp>
#include <clockwork/reports/evidence.hpp>

#include <llvm/Support/Error.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::analyzer {

struct AnalysisOptions {
    reports::Metric metric = reports::Metric::instructions;
    unsigned flash_wait_states = 0;
    // Charged for every call through a function pointer; without it such a call is an error.
    std::optional<uint64_t> indirect_call_cost;
    // Symbols assumed never to run (e.g. the heap's checked path when it is initialised without
    // validation and without a lock): paths through a call to them are dropped, and the
    // assumption is written into the Bound.
    std::vector<std::string> never_called;
    // Longest-path cross-check of the ILP on the loop-expanded CFG up to this many nodes.
    uint64_t dag_node_limit = 200000;
    // Loop bounds the verifier proved (clockwork verify: "the body cannot run more than bound
    // times"), by the file and line of their annotation. A loop whose annotation is proven with a
    // bound no larger than it claims is marked proven; every other annotated bound stays an
    // assumption.
    struct ProvenLoopBound {
        std::string file; // the same file as the annotation's once resolved (real_path)
        unsigned line = 0;
        uint64_t bound = 0;
        std::string property; // the proof's property, quoted in the Evidence
    };
    std::vector<ProvenLoopBound> proven_loop_bounds;
};

// Flow facts are read from the sources only when a function has a loop: parsing them is the
// slowest step, and most allocator entry points have none.
using FlowFactsProvider = std::function<llvm::Expected<source::FlowFacts>()>;

class Analyzer {
  public:
    static llvm::Expected<std::unique_ptr<Analyzer>>
    create(const binary::Program& program, FlowFactsProvider facts, const AnalysisOptions& options);
    ~Analyzer();

    // Errors name the function, the address and file:line, and say how to fix.
    llvm::Expected<reports::Bound> analyze(llvm::StringRef function);

    // The flow facts, if some function needed them: their rule breaches are for the caller to
    // report.
    const source::FlowFacts* loaded_facts() const { return facts_ ? &*facts_ : nullptr; }

  private:
    struct FunctionResult;
    Analyzer(const binary::Program& program, FlowFactsProvider facts,
             const AnalysisOptions& options, std::unique_ptr<timing::TimingModel> model);
    llvm::Expected<const FunctionResult*> analyze_at(uint64_t address);
    llvm::Expected<const source::FlowFacts*> flow_facts();

    const binary::Program& program_;
    FlowFactsProvider provider_;
    std::optional<source::FlowFacts> facts_;
    AnalysisOptions options_;
    std::unique_ptr<timing::TimingModel> model_;
    std::map<uint64_t, std::unique_ptr<FunctionResult>> done_;
    std::vector<uint64_t> in_progress_;
};

} // namespace clockwork::analyzer
