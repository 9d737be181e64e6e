// What one instruction costs in one metric. Every number a cycle model uses cites the document
// and table it comes from, and is reported as a TimingParameter in the Evidence.
#pragma once

#include <clockwork/analyzer/binary/program.hpp>
#include <clockwork/analyzer/cfg/flow.hpp>
#include <clockwork/reports/evidence.hpp>

#include <memory>
#include <vector>

namespace clockwork::analyzer::timing {

class TimingModel {
  public:
    virtual ~TimingModel() = default;
    virtual reports::Metric metric() const = 0;
    // Cost of the instruction when it does not transfer control (a conditional branch or skip
    // not taken, an instruction whose IT condition fails — the core still issues it), and its
    // whole cost when it always does (jump, call, return).
    virtual uint64_t cost(const binary::Program& program, const binary::Instruction& instruction,
                          const cfg::Flow& flow) const = 0;
    // What a conditional branch, skip or return adds when it does transfer control.
    virtual uint64_t taken_extra(const binary::Program& program,
                                 const binary::Instruction& instruction,
                                 const cfg::Flow& flow) const = 0;
    virtual std::vector<reports::TimingParameter> parameters() const = 0;
};

struct CycleModelOptions {
    unsigned flash_wait_states = 0; // cortex-m4
};

// 1 per executed instruction, on every target: exact, nothing assumed.
std::unique_ptr<TimingModel> make_instruction_model();

// Fails for x86-64 (an out-of-order core has no cycle bound) with a message that says so.
llvm::Expected<std::unique_ptr<TimingModel>> make_cycle_model(const binary::TargetInfo& target,
                                                              const CycleModelOptions& options);

} // namespace clockwork::analyzer::timing
