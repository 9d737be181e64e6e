// RV32IMC cycles of the lowRISC Ibex core in its "small" configuration (two-stage pipeline, no
// branch-target ALU, fast 3-cycle multiplier), from the Ibex user manual, "Pipeline Details",
// table of stall cycles per instruction type: every instruction takes 1 cycle plus its stalls.
// Zero-wait-state instruction and data memories are assumed.
#include "cycle_models.hpp"

#include <llvm/MC/MCInstrInfo.h>

namespace clockwork::analyzer::timing {

namespace {

class IbexModel final : public TimingModel {
  public:
    reports::Metric metric() const override { return reports::Metric::cycles; }

    uint64_t cost(const binary::Program& program, const binary::Instruction& instruction,
                  const cfg::Flow& flow) const override {
        const llvm::StringRef name = program.instr_info().getName(instruction.mc.getOpcode());
        const bool jumps = flow.kind == cfg::FlowKind::jump || flow.kind == cfg::FlowKind::call ||
                           flow.kind == cfg::FlowKind::indirect_call ||
                           flow.kind == cfg::FlowKind::indirect_jump ||
                           flow.kind == cfg::FlowKind::table_jump ||
                           flow.kind == cfg::FlowKind::ret;
        if (jumps) {
            return 1 + kJumpStall;
        }
        if (name.starts_with("DIV") || name.starts_with("REM")) {
            return 1 + 37;
        }
        if (name.starts_with("MULH")) {
            return 1 + 3;
        }
        if (name == "MUL") {
            return 1 + 2;
        }
        if (name.starts_with("L") && !name.starts_with("LUI")) {
            return 1 + 1; // LB/LH/LW/LBU/LHU
        }
        if (name.starts_with("C_L") && !name.starts_with("C_LI") && !name.starts_with("C_LUI")) {
            return 1 + 1; // C.LW, C.LWSP
        }
        if (name == "SB" || name == "SH" || name == "SW" || name.starts_with("C_SW")) {
            return 1 + 1;
        }
        return 1;
    }

    uint64_t taken_extra(const binary::Program&, const binary::Instruction&,
                         const cfg::Flow&) const override {
        return kTakenBranchStall;
    }

    std::vector<reports::TimingParameter> parameters() const override {
        return {
            {"core", "lowRISC Ibex, configuration 'small' (RV32IMC, 2-stage, no branch-target ALU)",
             "Ibex user manual, Pipeline Details"},
            {"memory", "instruction and data memories answer in one cycle",
             "assumption of this model"},
            {"load/store", "1 + 1 stall", "Ibex user manual, stall table: Load/Store 1 - N"},
            {"multiply", "MUL 1 + 2, MULH* 1 + 3 (fast multiplier)",
             "Ibex user manual, stall table: Multiplication"},
            {"divide", "1 + 37",
             "Ibex user manual, stall table: Division/Remainder (long division)"},
            {"jump", "1 + 2 (JAL/JALR without branch-target ALU)", "Ibex user manual, stall table"},
            {"branch", "1 not taken, 1 + 2 taken (without branch-target ALU)",
             "Ibex user manual, stall table"},
        };
    }

  private:
    static constexpr uint64_t kJumpStall = 2;
    static constexpr uint64_t kTakenBranchStall = 2;
};

} // namespace

std::unique_ptr<TimingModel> make_ibex_model() {
    return std::make_unique<IbexModel>();
}

} // namespace clockwork::analyzer::timing
