// Cortex-M4 cycles from the ARM Cortex-M4 Technical Reference Manual (ARM DDI 0439B), section
// 3.3, Table 3-1 "Cortex-M4 instruction set summary". P, the pipeline refill after a taken
// branch, is 1 to 3 cycles by the TRM; 3 is taken because the analyzer does not model the
// target's alignment and width. Load/store pipelining (TRM 3.3.2: neighbouring single loads and
// stores may complete in one cycle) only lowers the real cost, so every load and store is
// charged its unpipelined 2 cycles.
#include "cycle_models.hpp"

#include <llvm/MC/MCInstrInfo.h>

namespace clockwork::analyzer::timing {

namespace {

constexpr uint64_t kRefill = 3; // P, worst case

class CortexM4Model final : public TimingModel {
  public:
    explicit CortexM4Model(unsigned wait_states) : wait_states_(wait_states) {}

    reports::Metric metric() const override { return reports::Metric::cycles; }

    uint64_t cost(const binary::Program& program, const binary::Instruction& instruction,
                  const cfg::Flow& flow) const override {
        const llvm::StringRef name = program.instr_info().getName(instruction.mc.getOpcode());
        const uint64_t transfers = transferred_registers(name, instruction);
        // B, BL, BLX, BX and POP {pc} always refill the pipeline: 1 + P (+ N for POP).
        const bool always_transfers =
            flow.kind == cfg::FlowKind::jump || flow.kind == cfg::FlowKind::call ||
            flow.kind == cfg::FlowKind::indirect_call || flow.kind == cfg::FlowKind::ret;
        const uint64_t refill = always_transfers ? kRefill + wait_states_ : 0;
        if (transfers != 0) {
            return 1 + transfers + wait_states_ * transfers + refill;
        }
        if (always_transfers) {
            return 1 + refill;
        }
        if (name.contains("DIV")) {
            return 12; // SDIV/UDIV: 2 to 12 cycles, early termination depends on the operands
        }
        if (name.starts_with("t2MLA") || name.starts_with("t2MLS")) {
            return 2;
        }
        if (name.contains("LDRD") || name.contains("STRD")) {
            return 3 + 2 * wait_states_; // 1 + N with N = 2
        }
        if (name.contains("LDR") || name.contains("STR") || name.contains("LDA") ||
            name.contains("STL")) {
            return 2 + wait_states_;
        }
        if (name == "t2TBB" || name == "t2TBH") {
            return 2 + kRefill + wait_states_;
        }
        return 1;
    }

    uint64_t taken_extra(const binary::Program&, const binary::Instruction&,
                         const cfg::Flow&) const override {
        // Conditional branches, CBZ/CBNZ and conditional returns: 1 + P when taken; the fetch
        // of the target pays the flash wait states once.
        return kRefill + wait_states_;
    }

    std::vector<reports::TimingParameter> parameters() const override {
        return {
            {"core", "ARM Cortex-M4 (ARMv7E-M), single-issue, 3-stage pipeline",
             "ARM DDI 0439B, chapter 3"},
            {"flash wait states", std::to_string(wait_states_),
             "board configuration (--wait-states); added once per load, per register of a "
             "multiple transfer and per branch-target fetch"},
            {"pipeline refill P", std::to_string(kRefill),
             "ARM DDI 0439B Table 3-1 note: P ranges from 1 to 3; the maximum is used"},
            {"load/store", "2 cycles each, no pipelining credit",
             "ARM DDI 0439B Table 3-1 (LDR/STR: 2) and 3.3.2"},
            {"LDM/STM/PUSH/POP", "1 + N (+ P when PC is loaded)", "ARM DDI 0439B Table 3-1"},
            {"SDIV/UDIV", "12 (the table's maximum of 2 to 12)", "ARM DDI 0439B Table 3-1"},
            {"MLA/MLS", "2", "ARM DDI 0439B Table 3-1"},
            {"other data processing, MUL, UMULL, CLZ, IT", "1", "ARM DDI 0439B Table 3-1"},
        };
    }

  private:
    static uint64_t transferred_registers(llvm::StringRef name,
                                          const binary::Instruction& instruction) {
        // Register lists are the variadic tail of the operands: base (and write-back) registers
        // and the predicate come first.
        unsigned fixed = 0;
        if (name == "tPOP" || name == "tPUSH") {
            fixed = 2;
        } else if (name == "t2LDMIA" || name == "t2LDMDB" || name == "t2STMIA" ||
                   name == "t2STMDB" || name == "tLDMIA" || name == "tSTMIA_UPD") {
            fixed = name == "tSTMIA_UPD" ? 4 : 3;
        } else if (name.ends_with("_UPD") &&
                   (name.starts_with("t2LDM") || name.starts_with("t2STM"))) {
            fixed = 4;
        } else {
            return 0;
        }
        const unsigned operands = instruction.mc.getNumOperands();
        return operands > fixed ? operands - fixed : 0;
    }

    unsigned wait_states_;
};

} // namespace

std::unique_ptr<TimingModel> make_cortex_m4_model(unsigned wait_states) {
    return std::make_unique<CortexM4Model>(wait_states);
}

} // namespace clockwork::analyzer::timing
