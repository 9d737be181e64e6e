// Jump tables behind an indirect jump on rv32imc and x86-64: the run of instructions that
// leads to the jump is evaluated forward, tracking which registers hold constants, the switch
// index whose range a guard branch has checked, and a table entry loaded through it. Only a jump
// whose target provably comes from `table[index]`, with index below a constant the guard
// established on this very path, is a table jump: anything else stays an unresolved indirect
// jump, which the CFG builder reports.
#pragma once

#include <clockwork/analyzer/binary/program.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace clockwork::analyzer::cfg {

struct JumpTable {
    uint64_t address = 0;          // the table's first entry
    unsigned entry_bytes = 0;      // 4 (rv32imc) or 8 (x86-64): absolute code addresses
    std::vector<uint64_t> targets; // one per index value the guard lets through, in order
};

// `run` holds the instructions executed straight before `jump`, oldest first, along one
// fall-through path (the jump itself excluded). nullopt: not a recognised table jump; an error:
// a recognised table that cannot be read from the image.
llvm::Expected<std::optional<JumpTable>>
resolve_jump_table(const binary::Program& program, llvm::ArrayRef<const binary::Instruction*> run,
                   const binary::Instruction& jump);

} // namespace clockwork::analyzer::cfg
