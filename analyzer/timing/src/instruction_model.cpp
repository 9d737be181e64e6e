#include <clockwork/analyzer/timing/timing_model.hpp>

namespace clockwork::analyzer::timing {

namespace {

class InstructionModel final : public TimingModel {
  public:
    reports::Metric metric() const override { return reports::Metric::instructions; }
    uint64_t cost(const binary::Program&, const binary::Instruction&,
                  const cfg::Flow&) const override {
        return 1;
    }
    uint64_t taken_extra(const binary::Program&, const binary::Instruction&,
                         const cfg::Flow&) const override {
        return 0;
    }
    std::vector<reports::TimingParameter> parameters() const override {
        return {{"instruction",
                 "1 per executed instruction, including Thumb instructions whose "
                 "IT condition fails (the core still issues them)",
                 "definition of the instructions metric"}};
    }
};

} // namespace

std::unique_ptr<TimingModel> make_instruction_model() {
    return std::make_unique<InstructionModel>();
}

} // namespace clockwork::analyzer::timing
