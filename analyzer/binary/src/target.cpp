#include <clockwork/analyzer/binary/target.hpp>

#include <llvm/BinaryFormat/ELF.h>

namespace clockwork::analyzer::binary {

namespace {

// AVR instructions such as push/pop/movw/mul exist only with the ATmega2560's feature set, so the
// CPU is named; the others decode every instruction their compilers emit for these CPUs.
constexpr TargetInfo kTargets[] = {
    {TargetKind::cortex_m4, "cortex-m4", "thumbv7em-none-eabi", "cortex-m4", "", llvm::ELF::EM_ARM,
     true},
    {TargetKind::rv32imc, "rv32imc", "riscv32-unknown-elf", "generic-rv32", "+m,+c",
     llvm::ELF::EM_RISCV, true},
    {TargetKind::avr, "avr", "avr", "atmega2560", "", llvm::ELF::EM_AVR, true},
    {TargetKind::x86_64, "x86-64", "x86_64-unknown-elf", "x86-64", "", llvm::ELF::EM_X86_64, false},
};

} // namespace

llvm::ArrayRef<TargetInfo> all_targets() {
    return kTargets;
}

std::optional<TargetInfo> find_target(llvm::StringRef name) {
    for (const TargetInfo& target : kTargets) {
        if (target.name == name) {
            return target;
        }
    }
    return std::nullopt;
}

const char* target_names() {
    return "cortex-m4, rv32imc, avr, x86-64";
}

} // namespace clockwork::analyzer::binary
