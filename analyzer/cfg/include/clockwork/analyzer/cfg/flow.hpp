// What one machine instruction does to the control flow, per target. The MC layer's flags
// are not enough on their own: a Thumb branch inside an IT block is conditional although its
// opcode is not, `pop {..., pc}` returns without being marked a return, RISC-V returns are
// plain `jalr`s, and AVR has no MCInstrAnalysis at all and skip instructions that branch.
#pragma once

#include <clockwork/analyzer/binary/program.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace clockwork::analyzer::cfg {

enum class FlowKind {
    next,               // falls through to the next instruction
    jump,               // always goes to target
    conditional_jump,   // target or the next instruction (including AVR skips)
    call,               // direct call to target, then the next instruction
    indirect_call,      // call through a register: target unknown
    ret,                // returns to the caller
    conditional_return, // Thumb: a return inside an IT block
    indirect_jump,      // jump through a register: target unknown
    table_jump,         // TBB/TBH, or (rv32imc, x86-64) a jump through table[index] behind a
                        // range guard: targets read from the image
    stop,               // a trap or a halt: the path ends without returning
};

struct Flow {
    FlowKind kind = FlowKind::next;
    std::optional<uint64_t> target;
    std::vector<uint64_t> table_targets; // table_jump, once the CFG builder has read the table
};

// `previous` is the instruction decoded just before (same block), used to pair RISC-V auipc+jalr.
llvm::Expected<Flow> classify(const binary::Program& program,
                              const binary::Instruction& instruction,
                              const binary::Instruction* previous);

// Thumb only: the condition an instruction executes under is not "always" (inside an IT block,
// or a conditional branch). False on other targets.
bool is_predicated(const binary::Program& program, const binary::Instruction& instruction);

} // namespace clockwork::analyzer::cfg
