// The four targets of DESIGN.md ("Targets and metrics") as the disassembler needs them.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <optional>

namespace clockwork::analyzer::binary {

enum class TargetKind { cortex_m4, rv32imc, avr, x86_64 };

struct TargetInfo {
    TargetKind kind;
    llvm::StringRef name;     // as on the command line: "cortex-m4"
    llvm::StringRef triple;   // for the MC layer
    llvm::StringRef cpu;      // MC CPU name
    llvm::StringRef features; // MC feature string
    uint16_t elf_machine;     // ELF e_machine the ELF must carry
    bool has_cycle_model;     // x86-64: instructions only (out-of-order cores have no cycle bound)
};

llvm::ArrayRef<TargetInfo> all_targets();
std::optional<TargetInfo> find_target(llvm::StringRef name);

// "cortex-m4, rv32imc, avr, x86-64", for error notes.
const char* target_names();

} // namespace clockwork::analyzer::binary
