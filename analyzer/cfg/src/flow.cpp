#include <clockwork/analyzer/cfg/flow.hpp>

#include <llvm/ADT/StringExtras.h>
#include <llvm/MC/MCInstrAnalysis.h>
#include <llvm/MC/MCInstrDesc.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>

namespace clockwork::analyzer::cfg {

namespace {

using binary::Instruction;
using binary::Program;
using binary::TargetKind;

// ARMCC::AL: "always", the condition of every unpredicated instruction.
constexpr int64_t kArmConditionAlways = 14;

Flow make_flow(FlowKind kind, std::optional<uint64_t> target = std::nullopt) {
    Flow flow;
    flow.kind = kind;
    flow.target = target;
    return flow;
}

llvm::StringRef opcode_name(const Program& program, const Instruction& instruction) {
    return program.instr_info().getName(instruction.mc.getOpcode());
}

bool is_register(const llvm::MCOperand& operand, llvm::StringRef name, const Program& program) {
    return operand.isReg() && program.register_info().getName(operand.getReg()) == name;
}

std::optional<uint64_t> evaluate_target(const Program& program, const Instruction& instruction) {
    uint64_t target = 0;
    const llvm::MCInstrAnalysis* analysis = program.instr_analysis();
    if (analysis != nullptr &&
        analysis->evaluateBranch(instruction.mc, instruction.address, instruction.size, target)) {
        return target;
    }
    return std::nullopt;
}

llvm::Expected<Flow> classify_thumb(const Program& program, const Instruction& instruction) {
    const llvm::MCInstrDesc& desc = program.desc(instruction);
    const llvm::StringRef name = opcode_name(program, instruction);
    const bool predicated = is_predicated(program, instruction);
    const unsigned pc = program.register_info().getProgramCounter();

    if (name == "tBLXr" || name == "tBLXNSr") {
        return make_flow(FlowKind::indirect_call, std::nullopt);
    }
    if (desc.isCall()) {
        return make_flow(FlowKind::call, evaluate_target(program, instruction));
    }
    if (name == "tBX" || name == "tBXNS") {
        // bx lr is the return of every AAPCS function; bx to any other register is a computed jump.
        const bool to_lr = is_register(instruction.mc.getOperand(0), "LR", program);
        if (to_lr) {
            return make_flow(predicated ? FlowKind::conditional_return : FlowKind::ret,
                             std::nullopt);
        }
        return make_flow(FlowKind::indirect_jump, std::nullopt);
    }
    if (name == "t2TBB" || name == "t2TBH") {
        return make_flow(FlowKind::table_jump);
    }
    if (name == "tBR_JTr" || name == "t2BR_JT") {
        return make_flow(FlowKind::indirect_jump);
    }
    if (desc.isBranch()) {
        auto target = evaluate_target(program, instruction);
        if (!target) {
            return make_flow(FlowKind::indirect_jump, std::nullopt);
        }
        const bool conditional = predicated || name == "tCBZ" || name == "tCBNZ";
        return make_flow(conditional ? FlowKind::conditional_jump : FlowKind::jump, target);
    }
    if (desc.hasDefOfPhysReg(instruction.mc, pc, program.register_info())) {
        // pop {..., pc} and ldr pc, [sp], #4 load the return address the prologue pushed.
        const bool pops = name == "tPOP" || name == "t2LDMIA_UPD" || name == "t2LDR_POST";
        if (pops) {
            return make_flow(predicated ? FlowKind::conditional_return : FlowKind::ret,
                             std::nullopt);
        }
        return make_flow(FlowKind::indirect_jump, std::nullopt);
    }
    if (name == "tUDF" || name == "t2UDF" || name == "tBKPT") {
        return make_flow(FlowKind::stop, std::nullopt);
    }
    return make_flow(FlowKind::next, std::nullopt);
}

llvm::Expected<Flow> classify_riscv(const Program& program, const Instruction& instruction,
                                    const Instruction* previous) {
    const llvm::MCInstrDesc& desc = program.desc(instruction);
    const llvm::StringRef name = opcode_name(program, instruction);
    const llvm::MCInst& mc = instruction.mc;

    if (name == "C_JR") { // jalr x0, 0(rs1)
        if (is_register(mc.getOperand(0), "X1", program)) {
            return make_flow(FlowKind::ret, std::nullopt);
        }
        return make_flow(FlowKind::indirect_jump, std::nullopt);
    }
    if (name == "C_JALR") {
        return make_flow(FlowKind::indirect_call, std::nullopt);
    }
    if (name == "JALR") { // jalr rd, imm(rs1)
        const bool link = !is_register(mc.getOperand(0), "X0", program);
        const llvm::MCOperand& base = mc.getOperand(1);
        const int64_t offset = mc.getOperand(2).getImm();
        // auipc rs1, hi; jalr rd, lo(rs1): the far call or tail call the linker did not relax.
        if (previous != nullptr && opcode_name(program, *previous) == "AUIPC" &&
            previous->mc.getOperand(0).getReg() == base.getReg()) {
            const uint64_t target =
                previous->address +
                (static_cast<uint64_t>(previous->mc.getOperand(1).getImm()) << 12) +
                static_cast<uint64_t>(offset);
            return make_flow(link ? FlowKind::call : FlowKind::jump, target & 0xffffffffu);
        }
        if (!link && is_register(base, "X1", program) && offset == 0) {
            return make_flow(FlowKind::ret, std::nullopt);
        }
        return make_flow(link ? FlowKind::indirect_call : FlowKind::indirect_jump, std::nullopt);
    }
    if (name == "JAL" || name == "C_JAL") {
        const bool link = name == "C_JAL" || !is_register(mc.getOperand(0), "X0", program);
        return make_flow(link ? FlowKind::call : FlowKind::jump,
                         evaluate_target(program, instruction));
    }
    if (name == "C_J") {
        return make_flow(FlowKind::jump, evaluate_target(program, instruction));
    }
    if (desc.isBranch()) {
        return make_flow(FlowKind::conditional_jump, evaluate_target(program, instruction));
    }
    if (name == "EBREAK" || name == "C_EBREAK" || name == "UNIMP" || name == "C_UNIMP" ||
        name == "ECALL") {
        return make_flow(FlowKind::stop, std::nullopt);
    }
    return make_flow(FlowKind::next, std::nullopt);
}

llvm::Expected<Flow> classify_avr(const Program& program, const Instruction& instruction) {
    const llvm::MCInstrDesc& desc = program.desc(instruction);
    const llvm::StringRef name = opcode_name(program, instruction);
    const llvm::MCInst& mc = instruction.mc;
    // Relative operands are byte offsets from the next instruction; JMP/CALL hold byte addresses.
    auto relative = [&] {
        return instruction.address + instruction.size +
               static_cast<uint64_t>(mc.getOperand(mc.getNumOperands() - 1).getImm());
    };
    if (name == "ICALL" || name == "EICALL") {
        return make_flow(FlowKind::indirect_call, std::nullopt);
    }
    if (name == "IJMP" || name == "EIJMP") {
        return make_flow(FlowKind::indirect_jump, std::nullopt);
    }
    if (name == "RCALLk") {
        return make_flow(FlowKind::call, relative());
    }
    if (name == "CALLk") {
        return make_flow(FlowKind::call, static_cast<uint64_t>(mc.getOperand(0).getImm()));
    }
    if (name == "RET" || name == "RETI") {
        return make_flow(FlowKind::ret, std::nullopt);
    }
    if (name == "RJMPk") {
        return make_flow(FlowKind::jump, relative());
    }
    if (name == "JMPk") {
        return make_flow(FlowKind::jump, static_cast<uint64_t>(mc.getOperand(0).getImm()));
    }
    if (name == "CPSE" || name == "SBRCRrB" || name == "SBRSRrB" || name == "SBICAb" ||
        name == "SBISAb") {
        // A skip: the target is past the next instruction, whose size (2 or 4) must be decoded.
        auto next = program.decode(instruction.address + instruction.size);
        if (!next) {
            return next.takeError();
        }
        return make_flow(FlowKind::conditional_jump, next->address + next->size);
    }
    if (desc.isBranch()) {
        return make_flow(FlowKind::conditional_jump, relative());
    }
    if (name == "BREAK" || name == "SLEEP") {
        return make_flow(FlowKind::stop, std::nullopt);
    }
    return make_flow(FlowKind::next, std::nullopt);
}

llvm::Expected<Flow> classify_x86(const Program& program, const Instruction& instruction) {
    const llvm::MCInstrDesc& desc = program.desc(instruction);
    const llvm::StringRef name = opcode_name(program, instruction);
    if (desc.isCall()) {
        auto target = evaluate_target(program, instruction);
        return make_flow(target ? FlowKind::call : FlowKind::indirect_call, target);
    }
    if (desc.isReturn()) {
        return make_flow(FlowKind::ret, std::nullopt);
    }
    if (desc.isBranch()) {
        auto target = evaluate_target(program, instruction);
        if (!target || desc.isIndirectBranch()) {
            return make_flow(FlowKind::indirect_jump, std::nullopt);
        }
        return make_flow(desc.isConditionalBranch() ? FlowKind::conditional_jump : FlowKind::jump,
                         target);
    }
    if (name == "TRAP" || name == "UD1Wm" || name == "UD1Lr" || name == "UD2" || name == "HLT" ||
        name == "INT3") {
        return make_flow(FlowKind::stop, std::nullopt);
    }
    return make_flow(FlowKind::next, std::nullopt);
}

} // namespace

bool is_predicated(const Program& program, const Instruction& instruction) {
    if (program.target().kind != TargetKind::cortex_m4) {
        return false;
    }
    const llvm::MCInstrDesc& desc = program.desc(instruction);
    for (unsigned index = 0;
         index < desc.getNumOperands() && index < instruction.mc.getNumOperands(); ++index) {
        if (desc.operands()[index].isPredicate() && instruction.mc.getOperand(index).isImm()) {
            const int64_t condition = instruction.mc.getOperand(index).getImm();
            return condition != kArmConditionAlways && condition != kArmConditionAlways + 1;
        }
    }
    return false;
}

llvm::Expected<Flow> classify(const Program& program, const Instruction& instruction,
                              const Instruction* previous) {
    switch (program.target().kind) {
    case TargetKind::cortex_m4:
        return classify_thumb(program, instruction);
    case TargetKind::rv32imc:
        return classify_riscv(program, instruction, previous);
    case TargetKind::avr:
        return classify_avr(program, instruction);
    case TargetKind::x86_64:
        return classify_x86(program, instruction);
    }
    return Flow{};
}

} // namespace clockwork::analyzer::cfg
