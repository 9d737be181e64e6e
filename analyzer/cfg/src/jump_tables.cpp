#include "jump_tables.hpp"

#include <llvm/ADT/DenseMap.h>
#include <llvm/MC/MCInstrDesc.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>

namespace clockwork::analyzer::cfg {

namespace {

using binary::Instruction;
using binary::Program;
using binary::TargetKind;

// What a register is known to hold on the path. `affine` is offset + scale * i for the switch
// index i in [0, entries); `entry` is the word loaded from table + stride * i.
struct Value {
    enum Kind { unknown, constant, affine, entry } kind = unknown;
    uint64_t offset = 0; // constant: the value; affine: the offset; entry: the table address
    uint64_t scale = 0;  // affine: the factor of i; entry: the entry size
    uint64_t entries = 0;
    // entry: the entry is sign-extended from its 4 bytes, then `added` is added (x86-64's
    // position-independent tables hold offsets from the table).
    bool sign_extend = false;
    uint64_t added = 0;
    // x86-64: the upper 32 bits are zero (the last write was to the 32-bit register). A guard
    // that compares a 32-bit register bounds the whole register only then.
    bool upper_clear = false;
};

Value constant(uint64_t value) {
    Value v;
    v.kind = Value::constant;
    v.offset = value;
    return v;
}

Value index_below(uint64_t entries) {
    Value v;
    v.kind = Value::affine;
    v.scale = 1;
    v.entries = entries;
    v.upper_clear = true;
    return v;
}

Value add(const Value& a, const Value& b, uint64_t mask) {
    if (a.kind == Value::constant && b.kind == Value::constant) {
        return constant((a.offset + b.offset) & mask);
    }
    if (a.kind == Value::affine && b.kind == Value::constant) {
        Value v = a;
        v.offset = (a.offset + b.offset) & mask;
        return v;
    }
    if (a.kind == Value::constant && b.kind == Value::affine) {
        return add(b, a, mask);
    }
    return {};
}

Value shift_left(const Value& a, uint64_t amount, uint64_t mask) {
    if (amount >= 32) {
        return {};
    }
    if (a.kind == Value::constant) {
        return constant((a.offset << amount) & mask);
    }
    if (a.kind == Value::affine) {
        Value v = a;
        v.offset = (a.offset << amount) & mask;
        v.scale = a.scale << amount;
        return v;
    }
    return {};
}

// A load of `bytes` through an address of the form table + bytes * i: one table entry.
Value load(const Value& address, unsigned bytes) {
    if (address.kind != Value::affine || address.scale != bytes) {
        return {};
    }
    Value v;
    v.kind = Value::entry;
    v.offset = address.offset;
    v.scale = bytes;
    v.entries = address.entries;
    return v;
}

class PathState {
  public:
    explicit PathState(const Program& program) : program_(program) {}

    Value get(unsigned reg) const {
        if (reg == 0) {
            return {};
        }
        auto found = values_.find(top(reg));
        return found == values_.end() ? Value{} : found->second;
    }
    void set(unsigned reg, const Value& value) { values_[top(reg)] = value; }
    // A call may change every register the callee does not preserve, and the flags: nothing
    // known before it is known after it.
    void forget_everything() { values_.clear(); }

    // Every register the instruction writes is unknown afterwards (x86: with its upper half
    // cleared when it wrote the 32-bit register).
    void clobber(const Instruction& instruction) {
        const llvm::MCInstrDesc& desc = program_.desc(instruction);
        for (unsigned def = 0; def < desc.getNumDefs(); ++def) {
            const llvm::MCOperand& operand = instruction.mc.getOperand(def);
            if (operand.isReg()) {
                Value v;
                v.upper_clear = is_x86_32bit(operand.getReg());
                set(operand.getReg(), v);
            }
        }
        for (llvm::MCPhysReg reg : desc.implicit_defs()) {
            set(reg, Value{});
        }
    }

    bool is_x86_32bit(unsigned reg) const {
        if (program_.target().kind != TargetKind::x86_64) {
            return false;
        }
        const llvm::StringRef name = program_.register_info().getName(reg);
        return (name.size() == 3 && name.starts_with("E")) ||
               (name.starts_with("R") && name.ends_with("D"));
    }

  private:
    // x86-64: the widest register containing reg, so that eax and rax are one register here.
    // Elsewhere every register stands alone (RISC-V's register pairs are no wider registers).
    unsigned top(unsigned reg) const {
        if (program_.target().kind != TargetKind::x86_64) {
            return reg;
        }
        const llvm::MCRegisterInfo& info = program_.register_info();
        unsigned widest = reg;
        for (llvm::MCPhysReg super : info.superregs(reg)) {
            if (info.superregs(super).empty()) {
                widest = super;
            }
        }
        return widest;
    }

    const Program& program_;
    llvm::DenseMap<unsigned, Value> values_;
};

unsigned reg(const Instruction& instruction, unsigned operand) {
    const llvm::MCOperand& op = instruction.mc.getOperand(operand);
    return op.isReg() ? op.getReg() : 0;
}

int64_t imm(const Instruction& instruction, unsigned operand) {
    return instruction.mc.getOperand(operand).getImm();
}

constexpr uint64_t kMask32 = 0xffffffffu;

// RV32: the operands after the definitions; compressed forms repeat their tied register.
void step_riscv(const Program& program, const Instruction& i, PathState& state) {
    const llvm::StringRef name = program.instr_info().getName(i.mc.getOpcode());
    if (program.desc(i).isCall() || name == "JAL" || name == "C_JAL" || name == "JALR" ||
        name == "C_JALR") {
        state.forget_everything(); // a call clobbers the caller-saved registers
        return;
    }
    const unsigned n = i.mc.getNumOperands();
    const auto u = [](int64_t v) { return static_cast<uint64_t>(v) & kMask32; };
    Value result;
    bool defines = true;
    if (name == "C_LI") {
        result = constant(u(imm(i, 1)));
    } else if (name == "LUI" || name == "C_LUI") {
        result = constant(u(imm(i, 1) << 12));
    } else if (name == "ADDI" || name == "C_ADDI") {
        result = add(state.get(reg(i, n - 2)), constant(u(imm(i, n - 1))), kMask32);
        if (reg(i, n - 2) == 0 ||
            llvm::StringRef(program.register_info().getName(reg(i, n - 2))) == "X0") {
            result = constant(u(imm(i, n - 1)));
        }
    } else if (name == "SLLI" || name == "C_SLLI") {
        result = shift_left(state.get(reg(i, n - 2)), u(imm(i, n - 1)), kMask32);
    } else if (name == "ADD" || name == "C_ADD") {
        result = add(state.get(reg(i, n - 2)), state.get(reg(i, n - 1)), kMask32);
    } else if (name == "C_MV") {
        result = state.get(reg(i, 1));
    } else if (name == "LW" || name == "C_LW") {
        const Value address = add(state.get(reg(i, 1)), constant(u(imm(i, 2))), kMask32);
        result = load(address, 4);
    } else if (name == "BLTU" || name == "BGEU") {
        // On the fall-through path BLTU a, b means b <= a; BGEU a, b means a < b.
        defines = false;
        const Value a = state.get(reg(i, 0));
        const Value b = state.get(reg(i, 1));
        if (name == "BLTU" && a.kind == Value::constant && b.kind == Value::unknown &&
            a.offset < kMask32) {
            state.set(reg(i, 1), index_below(a.offset + 1));
        } else if (name == "BGEU" && b.kind == Value::constant && a.kind == Value::unknown) {
            state.set(reg(i, 0), index_below(b.offset));
        }
    } else {
        state.clobber(i);
        return;
    }
    if (defines) {
        state.set(reg(i, 0), result);
    }
}

// X86 condition codes (X86::CondCode): the fall-through side of `ja` is "below or equal".
constexpr int64_t kX86Above = 7;
constexpr int64_t kX86AboveOrEqual = 3;

// x86-64 facts that live between instructions: the last `cmp reg, imm` (until the flags or
// reg change), and a 32-bit register whose low half a guard bounded while its upper half was
// unknown: a 32-bit copy of it (which zero-extends) is then the whole index.
struct X86Path {
    unsigned compare_reg = 0;
    uint64_t compare_limit = 0;
    unsigned low_half_reg = 0;
    uint64_t low_half_entries = 0;
};

bool writes_overlapping(const Program& program, const Instruction& i, unsigned reg) {
    if (reg == 0) {
        return false;
    }
    const llvm::MCRegisterInfo& info = program.register_info();
    const llvm::MCInstrDesc& desc = program.desc(i);
    for (unsigned def = 0; def < desc.getNumDefs(); ++def) {
        const llvm::MCOperand& operand = i.mc.getOperand(def);
        if (operand.isReg() && info.regsOverlap(operand.getReg(), reg)) {
            return true;
        }
    }
    for (llvm::MCPhysReg def : desc.implicit_defs()) {
        if (info.regsOverlap(def, reg)) {
            return true;
        }
    }
    return false;
}

// The address of the memory operand that starts at operand `first`: base, scale, index,
// displacement, segment. RIP-relative addresses count from the next instruction.
Value x86_address(const Program& program, const PathState& state, const Instruction& i,
                  unsigned first) {
    if (i.mc.getNumOperands() < first + 5 || reg(i, first + 4) != 0 ||
        !i.mc.getOperand(first + 3).isImm()) {
        return {};
    }
    const unsigned base_reg = reg(i, first);
    Value base = constant(0);
    if (base_reg != 0) {
        base = llvm::StringRef(program.register_info().getName(base_reg)) == "RIP"
                   ? constant(i.address + i.size)
                   : state.get(base_reg);
    }
    Value address = base;
    if (reg(i, first + 2) != 0) {
        Value index = state.get(reg(i, first + 2));
        const uint64_t scale = static_cast<uint64_t>(imm(i, first + 1));
        if (index.kind != Value::affine && index.kind != Value::constant) {
            return {};
        }
        index.offset *= scale;
        index.scale *= scale;
        address = add(base, index, ~uint64_t{0});
    }
    return add(address, constant(static_cast<uint64_t>(imm(i, first + 3))), ~uint64_t{0});
}

// What the instruction writes stops being known: the registers (x86: with their upper half
// cleared after a 32-bit write), a compare on an overwritten register or overwritten flags, and
// a bounded low half.
void clobber_x86(const Program& program, const Instruction& i, PathState& state, X86Path& path) {
    if (writes_overlapping(program, i, path.compare_reg)) {
        path.compare_reg = 0;
    }
    if (writes_overlapping(program, i, path.low_half_reg)) {
        path.low_half_reg = 0;
    }
    for (llvm::MCPhysReg def : program.desc(i).implicit_defs()) {
        if (llvm::StringRef(program.register_info().getName(def)) == "EFLAGS") {
            path.compare_reg = 0;
        }
    }
    state.clobber(i);
}

// A 32-bit register write keeps the low half: a known value survives only if it fits.
Value truncated_to_32_bits(const Value& v) {
    if (v.kind == Value::constant) {
        Value t = constant(v.offset & kMask32);
        t.upper_clear = true;
        return t;
    }
    if (v.kind == Value::affine && v.entries > 0 &&
        v.offset + v.scale * (v.entries - 1) <= kMask32) {
        Value t = v;
        t.upper_clear = true;
        return t;
    }
    Value unknown;
    unknown.upper_clear = true;
    return unknown;
}

void step_x86(const Program& program, const Instruction& i, PathState& state, X86Path& path) {
    const llvm::StringRef name = program.instr_info().getName(i.mc.getOpcode());
    if (program.desc(i).isCall()) {
        state.forget_everything();
        path = X86Path{};
        return;
    }
    if (name == "LEA64r" || name == "MOVSX64rm32" || name == "ADD64rr") {
        Value result;
        if (name == "LEA64r") {
            result = x86_address(program, state, i, 1);
        } else if (name == "MOVSX64rm32") {
            result = load(x86_address(program, state, i, 1), 4);
            result.sign_extend = true;
        } else {
            const Value a = state.get(reg(i, 1));
            const Value b = state.get(reg(i, 2));
            if (a.kind == Value::entry && b.kind == Value::constant) {
                result = a;
                result.added += b.offset;
            } else if (b.kind == Value::entry && a.kind == Value::constant) {
                result = b;
                result.added += a.offset;
            } else {
                result = add(a, b, ~uint64_t{0});
            }
        }
        clobber_x86(program, i, state, path); // add writes the flags too
        state.set(reg(i, 0), result);
        return;
    }
    if (name == "CMP32ri8" || name == "CMP32ri" || name == "CMP64ri8" || name == "CMP64ri32") {
        path.compare_reg = reg(i, 0);
        path.compare_limit = static_cast<uint64_t>(imm(i, 1)) & kMask32;
        return;
    }
    if (name == "JCC_1" || name == "JCC_4") {
        const int64_t condition = imm(i, 1);
        if (path.compare_reg != 0 && (condition == kX86Above || condition == kX86AboveOrEqual)) {
            const uint64_t entries =
                condition == kX86Above ? path.compare_limit + 1 : path.compare_limit;
            if (state.is_x86_32bit(path.compare_reg) && !state.get(path.compare_reg).upper_clear) {
                path.low_half_reg = path.compare_reg;
                path.low_half_entries = entries;
            } else {
                state.set(path.compare_reg, index_below(entries));
            }
        }
        return;
    }
    if (name == "MOV32rr" || name == "MOV64rr") {
        const unsigned from = reg(i, 1);
        Value copied = state.get(from);
        if (name == "MOV32rr") {
            copied = from == path.low_half_reg
                         ? index_below(path.low_half_entries) // zero-extends the low half
                         : truncated_to_32_bits(copied);
        }
        clobber_x86(program, i, state, path);
        state.set(reg(i, 0), copied);
        return;
    }
    clobber_x86(program, i, state, path);
}

} // namespace

namespace {

// The table's entries must each be the start of code in this function; reading them is the
// caller's business (it knows the function's extent).
llvm::Expected<std::optional<JumpTable>> read_entries(const Program& program, const Value& v) {
    if (v.kind != Value::entry || v.entries == 0 || v.entries > 4096) {
        return std::nullopt;
    }
    auto bytes = program.bytes(v.offset, v.entries * v.scale);
    if (!bytes) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "a jump table at 0x" + llvm::Twine::utohexstr(v.offset) +
                                           " of " + llvm::Twine(v.entries) +
                                           " entries that lies outside the image's sections");
    }
    JumpTable table;
    table.address = v.offset;
    table.entry_bytes = static_cast<unsigned>(v.scale);
    for (uint64_t k = 0; k < v.entries; ++k) {
        uint64_t target = 0;
        for (unsigned b = 0; b < v.scale; ++b) {
            target |= uint64_t{(*bytes)[k * v.scale + b]} << (8 * b);
        }
        if (v.sign_extend && v.scale == 4) {
            target = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(target)));
        }
        table.targets.push_back(target + v.added);
    }
    return table;
}

} // namespace

llvm::Expected<std::optional<JumpTable>> resolve_jump_table(const Program& program,
                                                            llvm::ArrayRef<const Instruction*> run,
                                                            const Instruction& jump) {
    const llvm::StringRef name = program.instr_info().getName(jump.mc.getOpcode());
    PathState state(program);
    switch (program.target().kind) {
    case TargetKind::rv32imc: {
        for (const Instruction* i : run) {
            step_riscv(program, *i, state);
        }
        unsigned target_reg = 0;
        if (name == "C_JR") {
            target_reg = reg(jump, 0);
        } else if (name == "JALR" && imm(jump, 2) == 0) {
            target_reg = reg(jump, 1);
        }
        return target_reg == 0 ? std::nullopt : read_entries(program, state.get(target_reg));
    }
    case TargetKind::x86_64: {
        X86Path path;
        for (const Instruction* i : run) {
            step_x86(program, *i, state, path);
        }
        // jmpq *table(, %rax, 8) reads an absolute entry; jmpq *%rax after movslq/addq jumps
        // to the table plus a relative entry.
        if (name == "JMP64m") {
            return read_entries(program, load(x86_address(program, state, jump, 0), 8));
        }
        if (name == "JMP64r") {
            return read_entries(program, state.get(reg(jump, 0)));
        }
        return std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

} // namespace clockwork::analyzer::cfg
