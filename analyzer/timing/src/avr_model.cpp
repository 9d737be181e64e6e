// ATmega2560 cycles from the AVR Instruction Set Manual (Microchip DS40002198), each
// instruction's "Cycles" row for AVRe+ cores with a 22-bit (3-byte) program counter, as in
// the ATmega2560 datasheet's "Instruction Set Summary". Internal SRAM, no external memory
// wait states.
#include "cycle_models.hpp"

#include <llvm/ADT/StringSwitch.h>
#include <llvm/MC/MCInstrInfo.h>

namespace clockwork::analyzer::timing {

namespace {

class AvrModel final : public TimingModel {
  public:
    reports::Metric metric() const override { return reports::Metric::cycles; }

    uint64_t cost(const binary::Program& program, const binary::Instruction& instruction,
                  const cfg::Flow&) const override {
        const llvm::StringRef name = program.instr_info().getName(instruction.mc.getOpcode());
        // LDI loads an immediate, not memory: 1 cycle like any ALU instruction.
        const bool immediate = name.starts_with("LDI");
        if (!immediate && (name.starts_with("LD") || name.starts_with("ST") ||
                           name.starts_with("PUSH") || name.starts_with("POP"))) {
            // LD/LDD/LDS/ST/STD/STS/PUSH/POP: 2 on AVRe+ internal SRAM.
            return 2;
        }
        if (name.starts_with("LPM") || name.starts_with("ELPM")) {
            return 3;
        }
        if (name.starts_with("MUL") || name.starts_with("FMUL")) {
            return 2;
        }
        return llvm::StringSwitch<uint64_t>(name)
            .Cases("ADIWRdK", "SBIWRdK", "CBIAb", "SBIAb", 2)
            .Case("RJMPk", 2)
            .Case("JMPk", 3)
            .Cases("IJMP", "EIJMP", 2)
            .Case("RCALLk", 4) // 3-byte PC: RCALL 4, CALL 5, ICALL/EICALL 4, RET/RETI 5
            .Case("CALLk", 5)
            .Cases("ICALL", "EICALL", 4)
            .Cases("RET", "RETI", 5)
            .Default(1); // ALU, MOV/MOVW, LDI, IN/OUT, branches and skips not taken
    }

    uint64_t taken_extra(const binary::Program& program, const binary::Instruction& instruction,
                         const cfg::Flow& flow) const override {
        const llvm::StringRef name = program.instr_info().getName(instruction.mc.getOpcode());
        const bool skip = name == "CPSE" || name == "SBRCRrB" || name == "SBRSRrB" ||
                          name == "SBICAb" || name == "SBISAb";
        if (skip && flow.target) {
            // 2 cycles when skipping a one-word instruction, 3 for a two-word one.
            const uint64_t skipped_bytes = *flow.target - instruction.address - instruction.size;
            return skipped_bytes == 4 ? 2 : 1;
        }
        return 1; // BRxx: 1 if false, 2 if true
    }

    std::vector<reports::TimingParameter> parameters() const override {
        return {
            {"core", "ATmega2560 (AVRe+, 22-bit program counter)",
             "AVR Instruction Set Manual DS40002198, Cycles rows for devices with 22-bit PC"},
            {"memory", "internal SRAM, 0 wait states: LD/ST/PUSH/POP 2 cycles",
             "DS40002198, LD/ST/PUSH/POP"},
            {"calls", "RCALL 4, CALL 5, ICALL/EICALL 4, RET 5", "DS40002198, 22-bit PC rows"},
            {"branches", "BRxx 1 not taken, 2 taken; RJMP 2; JMP 3; skips 1/2/3",
             "DS40002198, BRxx, RJMP, JMP, CPSE/SBRC/SBRS/SBIC/SBIS"},
            {"ADIW/SBIW/MUL/CBI/SBI", "2", "DS40002198"},
        };
    }
};

} // namespace

std::unique_ptr<TimingModel> make_avr_model() {
    return std::make_unique<AvrModel>();
}

} // namespace clockwork::analyzer::timing
