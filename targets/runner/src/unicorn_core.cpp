// cortex-m4, rv32imc and x86-64 under Unicorn 2.0.1. Instructions are counted with a code hook on
// every address, memory accesses with read/write hooks; Thumb IT-block instructions whose
// condition fails, which Unicorn never reports, are added back from the runner's own IT state.
#include "core.hpp"

#include <unicorn/unicorn.h>

#include <algorithm>
#include <array>
#include <bit>

namespace clockwork::runner::detail {

namespace {

constexpr uint64_t kPage = 0x1000;
// Unmapped space between the ELF and the harness region, so that a stack overflow or a stray
// pointer faults instead of corrupting the program's data.
constexpr uint64_t kGuard = 0x10000;
constexpr uint64_t kDefaultScratch = uint64_t{1} << 20;
constexpr uint64_t kDefaultStack = uint64_t{64} << 10;

constexpr uint64_t align_down(uint64_t value, uint64_t alignment) {
    return value & ~(alignment - 1);
}
constexpr uint64_t align_up(uint64_t value, uint64_t alignment) {
    return align_down(value + alignment - 1, alignment);
}

// ARMv7-M ARM A5.1: a halfword whose bits 15:11 are 0b11101, 0b11110 or 0b11111 is the first half
// of a 32-bit instruction; every other halfword is a 16-bit instruction.
constexpr unsigned thumb_size(uint16_t first_halfword) {
    return (first_halfword >> 11) >= 0x1d ? 4 : 2;
}

// ARMv7-M ARM A7.7.38: IT is 0xBF00 | firstcond << 4 | mask with mask != 0 (mask 0 encodes the
// NOP-compatible hints). The block holds 4 - (trailing zeros of mask) instructions.
constexpr bool is_it(uint16_t halfword) {
    return (halfword & 0xff00) == 0xbf00 && (halfword & 0xf) != 0;
}
constexpr unsigned it_block_size(uint16_t it) {
    return 4 - static_cast<unsigned>(std::countr_zero(static_cast<unsigned>(it & 0xf)));
}
static_assert(it_block_size(0xbfb8) == 1 && it_block_size(0xbf04) == 2 &&
              it_block_size(0xbf0e) == 3 && it_block_size(0xbf1f) == 4);
static_assert(thumb_size(0xf7ff) == 4 && thumb_size(0xe8bd) == 4 && thumb_size(0xbfb8) == 2 &&
              thumb_size(0x4770) == 2);

// The instructions of the IT block being executed, in address order. Instructions run in
// order inside a block (only the last one may branch), so when the hook reports an address
// the block instructions before it that it did not report were issued with a failed condition,
// and an address outside the block means every unreported one left was.
class ItBlock {
  public:
    void start(uint64_t it_address, const std::array<unsigned, 4>& sizes, unsigned count) {
        uint64_t address = it_address + 2;
        for (unsigned i = 0; i < count; ++i) {
            addresses_[i] = address;
            address += sizes[i];
        }
        size_ = count;
        next_ = 0;
    }
    bool active() const { return next_ < size_; }
    // Returns how many block instructions were issued without being reported before address.
    unsigned reported(uint64_t address) {
        for (unsigned k = next_; k < size_; ++k) {
            if (addresses_[k] == address) {
                const unsigned failed = k - next_;
                next_ = k + 1;
                return failed;
            }
        }
        const unsigned failed = size_ - next_;
        next_ = size_;
        return failed;
    }
    void clear() { size_ = next_ = 0; }

  private:
    std::array<uint64_t, 4> addresses_{};
    unsigned size_ = 0;
    unsigned next_ = 0;
};

struct Arch {
    uc_arch arch;
    int mode;
    int cpu_model; // -1: Unicorn's default
    uint64_t address_limit;
    std::vector<int> cleared; // registers zeroed before every call
    std::vector<int> arguments;
    int result;
    unsigned result_bits;
    int stack_pointer;
    int program_counter;
};

Arch arch_for(Target target) {
    switch (target) {
    case Target::cortex_m4: {
        std::vector<int> cleared;
        for (int r = UC_ARM_REG_R0; r <= UC_ARM_REG_R12; ++r) {
            cleared.push_back(r);
        }
        // ARMv7-M's memory map reserves 0xE0000000 and up for the system (PPB, vendor); a
        // branch to 0xFxxxxxxx is an exception return, so the harness stays below.
        return {UC_ARCH_ARM,
                UC_MODE_THUMB | UC_MODE_MCLASS,
                UC_CPU_ARM_CORTEX_M4,
                0xe0000000,
                cleared,
                {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3},
                UC_ARM_REG_R0,
                32,
                UC_ARM_REG_SP,
                UC_ARM_REG_PC};
    }
    case Target::rv32imc: {
        std::vector<int> cleared;
        for (int r = UC_RISCV_REG_X1; r <= UC_RISCV_REG_X31; ++r) {
            cleared.push_back(r);
        }
        return {UC_ARCH_RISCV,
                UC_MODE_RISCV32,
                -1,
                uint64_t{1} << 32,
                cleared,
                {UC_RISCV_REG_A0, UC_RISCV_REG_A1, UC_RISCV_REG_A2, UC_RISCV_REG_A3,
                 UC_RISCV_REG_A4, UC_RISCV_REG_A5, UC_RISCV_REG_A6, UC_RISCV_REG_A7},
                UC_RISCV_REG_A0,
                32,
                UC_RISCV_REG_SP,
                UC_RISCV_REG_PC};
    }
    case Target::x86_64:
    case Target::avr:
        break;
    }
    return {UC_ARCH_X86,
            UC_MODE_64,
            -1,
            uint64_t{1} << 47, // the lower canonical half
            {UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RSI,
             UC_X86_REG_RDI, UC_X86_REG_RBP, UC_X86_REG_R8, UC_X86_REG_R9, UC_X86_REG_R10,
             UC_X86_REG_R11, UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15},
            {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX, UC_X86_REG_RCX, UC_X86_REG_R8,
             UC_X86_REG_R9},
            UC_X86_REG_RAX,
            64,
            UC_X86_REG_RSP,
            UC_X86_REG_RIP};
}

struct Range {
    uint64_t begin;
    uint64_t end;
};

class UnicornCore final : public Machine::Core {
  public:
    UnicornCore(Target target, std::string path) : target_(target), path_(std::move(path)) {
        arch_ = arch_for(target);
    }
    ~UnicornCore() override {
        if (uc_ != nullptr) {
            uc_close(uc_);
        }
    }
    UnicornCore(const UnicornCore&) = delete;
    UnicornCore& operator=(const UnicornCore&) = delete;

    llvm::Error initialise(const ElfImage& image, const MachineOptions& options);

    uint64_t scratch_base() const override { return scratch_base_; }
    uint64_t scratch_size() const override { return scratch_size_; }
    llvm::Error write(uint64_t address, llvm::ArrayRef<uint8_t> bytes) override;
    llvm::Expected<std::vector<uint8_t>> read(uint64_t address, size_t size) override;
    llvm::Expected<CallResult> call(llvm::StringRef function, uint64_t entry,
                                    llvm::ArrayRef<uint64_t> args, uint64_t budget) override;

  private:
    static void on_code(uc_engine* uc, uint64_t address, uint32_t size, void* self);
    static void on_read(uc_engine* uc, uc_mem_type type, uint64_t address, int size, int64_t value,
                        void* self);
    static void on_write(uc_engine* uc, uc_mem_type type, uint64_t address, int size, int64_t value,
                         void* self);
    static bool on_invalid(uc_engine* uc, uc_mem_type type, uint64_t address, int size,
                           int64_t value, void* self);

    llvm::Error uc_error(const llvm::Twine& what, uc_err err) const {
        return error(path_ + ": error: " + what + " (" + uc_strerror(err) + ")");
    }
    llvm::Error map(uint64_t begin, uint64_t end);
    bool halfword(uint64_t address, uint16_t& value) const;
    void start_it_block(uint64_t it_address, uint16_t it);
    llvm::Error set_registers(llvm::ArrayRef<uint64_t> args);

    Target target_;
    std::string path_;
    Arch arch_;
    uc_engine* uc_ = nullptr;
    uint64_t stack_top_ = 0;
    uint64_t sentinel_ = 0;
    uint64_t scratch_base_ = 0;
    uint64_t scratch_size_ = 0;
    std::optional<uint64_t> global_pointer_;
    // Copies of the executable segments: IT decoding reads them instead of calling into
    // Unicorn on every 16-bit instruction.
    std::vector<Segment> code_;

    // Per call.
    uint64_t hooked_ = 0;
    uint64_t it_failed_ = 0;
    uint64_t loads_ = 0;
    uint64_t stores_ = 0;
    uint64_t budget_ = 0;
    bool budget_exhausted_ = false;
    ItBlock it_;
    bool faulted_ = false;
    uc_mem_type fault_type_ = UC_MEM_READ;
    uint64_t fault_address_ = 0;
};

void UnicornCore::on_code(uc_engine* uc, uint64_t address, uint32_t size, void* self) {
    auto& core = *static_cast<UnicornCore*>(self);
    ++core.hooked_;
    if (core.target_ == Target::cortex_m4) {
        if (core.it_.active()) {
            core.it_failed_ += core.it_.reported(address);
        }
        uint16_t first = 0;
        if (size == 2 && core.halfword(address, first) && is_it(first)) {
            core.start_it_block(address, first);
        }
    }
    if (core.hooked_ + core.it_failed_ > core.budget_) {
        core.budget_exhausted_ = true;
        uc_emu_stop(uc);
    }
}

void UnicornCore::on_read(uc_engine*, uc_mem_type, uint64_t, int, int64_t, void* self) {
    ++static_cast<UnicornCore*>(self)->loads_;
}

void UnicornCore::on_write(uc_engine*, uc_mem_type, uint64_t, int, int64_t, void* self) {
    ++static_cast<UnicornCore*>(self)->stores_;
}

bool UnicornCore::on_invalid(uc_engine*, uc_mem_type type, uint64_t address, int, int64_t,
                             void* self) {
    auto& core = *static_cast<UnicornCore*>(self);
    core.faulted_ = true;
    core.fault_type_ = type;
    core.fault_address_ = address;
    return false;
}

bool UnicornCore::halfword(uint64_t address, uint16_t& value) const {
    for (const Segment& segment : code_) {
        if (address >= segment.address && address - segment.address + 2 <= segment.bytes.size()) {
            const size_t offset = address - segment.address;
            value = static_cast<uint16_t>(segment.bytes[offset] | segment.bytes[offset + 1] << 8);
            return true;
        }
    }
    return uc_mem_read(uc_, address, &value, 2) == UC_ERR_OK;
}

void UnicornCore::start_it_block(uint64_t it_address, uint16_t it) {
    const unsigned count = it_block_size(it);
    std::array<unsigned, 4> sizes{2, 2, 2, 2};
    uint64_t address = it_address + 2;
    for (unsigned i = 0; i < count; ++i) {
        uint16_t first = 0;
        if (halfword(address, first)) {
            sizes[i] = thumb_size(first);
        }
        address += sizes[i];
    }
    it_.start(it_address, sizes, count);
}

llvm::Error UnicornCore::map(uint64_t begin, uint64_t end) {
    if (uc_err err = uc_mem_map(uc_, begin, end - begin, UC_PROT_ALL); err != UC_ERR_OK) {
        return uc_error("cannot map " + hex(begin) + ".." + hex(end - 1), err);
    }
    return llvm::Error::success();
}

llvm::Error UnicornCore::initialise(const ElfImage& image, const MachineOptions& options) {
    if (uc_err err = uc_open(arch_.arch, static_cast<uc_mode>(arch_.mode), &uc_);
        err != UC_ERR_OK) {
        uc_ = nullptr;
        return uc_error("cannot open a Unicorn engine for " + target_name(target_), err);
    }
    if (arch_.cpu_model >= 0) {
        if (uc_err err = uc_ctl_set_cpu_model(uc_, arch_.cpu_model); err != UC_ERR_OK) {
            return uc_error("cannot select the CPU model", err);
        }
    }

    // Segments share pages (text and rodata, say): map the union of their pages once.
    std::vector<Range> ranges;
    for (const Segment& segment : image.segments) {
        if (segment.address > arch_.address_limit ||
            segment.memory_size > arch_.address_limit - segment.address) {
            return error(path_ + ": error: the segment at " + hex(segment.address) +
                         " lies outside the " + target_name(target_) + " address space");
        }
        ranges.push_back({align_down(segment.address, kPage),
                          align_up(segment.address + segment.memory_size, kPage)});
    }
    std::sort(ranges.begin(), ranges.end(),
              [](const Range& a, const Range& b) { return a.begin < b.begin; });
    std::vector<Range> merged;
    for (const Range& range : ranges) {
        if (!merged.empty() && range.begin <= merged.back().end) {
            merged.back().end = std::max(merged.back().end, range.end);
        } else {
            merged.push_back(range);
        }
    }
    for (const Range& range : merged) {
        if (llvm::Error err = map(range.begin, range.end)) {
            return err;
        }
    }
    for (const Segment& segment : image.segments) {
        std::vector<uint8_t> contents = segment.bytes;
        contents.resize(segment.memory_size, 0);
        if (uc_err err = uc_mem_write(uc_, segment.address, contents.data(), contents.size());
            err != UC_ERR_OK) {
            return uc_error("cannot load the segment at " + hex(segment.address), err);
        }
        if (segment.executable) {
            code_.push_back(segment);
        }
    }

    // The harness region: stack, a page holding the sentinel return address, an unmapped
    // page, then scratch. Above the ELF if it fits, else below it.
    const uint64_t stack_size =
        align_up(options.stack_size ? options.stack_size : kDefaultStack, kPage);
    scratch_size_ = align_up(options.scratch_size ? options.scratch_size : kDefaultScratch, kPage);
    const uint64_t total = stack_size + 2 * kPage + scratch_size_;
    const uint64_t lowest = merged.front().begin;
    const uint64_t highest = merged.back().end;
    uint64_t base = align_up(highest, kGuard) + kGuard;
    if (base > arch_.address_limit || total > arch_.address_limit - base) {
        const uint64_t top = align_down(lowest, kGuard);
        if (top < total + 2 * kGuard) {
            return error(path_ + ": error: no room for a " + hex(stack_size) +
                         "-byte stack and a " + hex(scratch_size_) +
                         "-byte scratch region beside the ELF's segments; "
                         "note: ask for a smaller scratch_size");
        }
        base = align_down(top - kGuard - total, kPage);
    }
    stack_top_ = base + stack_size;
    sentinel_ = stack_top_;
    scratch_base_ = stack_top_ + 2 * kPage;
    if (llvm::Error err = map(base, stack_top_ + kPage)) {
        return err;
    }
    if (llvm::Error err = map(scratch_base_, scratch_base_ + scratch_size_)) {
        return err;
    }
    // Never executed (emulation stops on reaching it), but a trap if it ever were:
    // Thumb UDF #0xfe, RISC-V's all-zero illegal instruction, x86 UD2.
    std::vector<uint8_t> trap(kPage, 0);
    for (size_t i = 0; i + 1 < trap.size(); i += 2) {
        if (target_ == Target::cortex_m4) {
            trap[i] = 0xfe;
            trap[i + 1] = 0xde;
        } else if (target_ == Target::x86_64) {
            trap[i] = 0x0f;
            trap[i + 1] = 0x0b;
        }
    }
    if (uc_err err = uc_mem_write(uc_, sentinel_, trap.data(), trap.size()); err != UC_ERR_OK) {
        return uc_error("cannot write the sentinel page", err);
    }

    if (target_ == Target::rv32imc) {
        global_pointer_ = image.symbol("__global_pointer$");
    }
    if (target_ == Target::x86_64) {
        // Compilers use SSE in ordinary integer code (memcpy, zeroing): allow it as an OS
        // would, with CR0.MP set, CR0.EM clear, CR4.OSFXSR and CR4.OSXMMEXCPT set.
        uint64_t cr0 = 0;
        uint64_t cr4 = 0;
        uc_reg_read(uc_, UC_X86_REG_CR0, &cr0);
        uc_reg_read(uc_, UC_X86_REG_CR4, &cr4);
        cr0 = (cr0 | 0x2) & ~uint64_t{0x4};
        cr4 |= 0x600;
        uc_reg_write(uc_, UC_X86_REG_CR0, &cr0);
        uc_reg_write(uc_, UC_X86_REG_CR4, &cr4);
    }

    uc_hook hook = 0;
    struct Hook {
        int type;
        void* callback;
    };
    const Hook hooks[] = {
        {UC_HOOK_CODE, reinterpret_cast<void*>(&UnicornCore::on_code)},
        {UC_HOOK_MEM_READ, reinterpret_cast<void*>(&UnicornCore::on_read)},
        {UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(&UnicornCore::on_write)},
        {UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&UnicornCore::on_invalid)},
    };
    for (const Hook& h : hooks) {
        // begin > end: every address.
        if (uc_err err = uc_hook_add(uc_, &hook, h.type, h.callback, this, 1, 0);
            err != UC_ERR_OK) {
            return uc_error("cannot install a Unicorn hook", err);
        }
    }
    return llvm::Error::success();
}

llvm::Error UnicornCore::write(uint64_t address, llvm::ArrayRef<uint8_t> bytes) {
    if (bytes.empty()) {
        return llvm::Error::success();
    }
    if (uc_err err = uc_mem_write(uc_, address, bytes.data(), bytes.size()); err != UC_ERR_OK) {
        return error(path_ + ": error: cannot write " + std::to_string(bytes.size()) +
                     " bytes at " + hex(address) + " (" + uc_strerror(err) +
                     "); note: scratch is " + hex(scratch_base_) + ".." +
                     hex(scratch_base_ + scratch_size_ - 1));
    }
    return llvm::Error::success();
}

llvm::Expected<std::vector<uint8_t>> UnicornCore::read(uint64_t address, size_t size) {
    std::vector<uint8_t> bytes(size);
    if (size == 0) {
        return bytes;
    }
    if (uc_err err = uc_mem_read(uc_, address, bytes.data(), size); err != UC_ERR_OK) {
        return error(path_ + ": error: cannot read " + std::to_string(size) + " bytes at " +
                     hex(address) + " (" + uc_strerror(err) + "); note: scratch is " +
                     hex(scratch_base_) + ".." + hex(scratch_base_ + scratch_size_ - 1));
    }
    return bytes;
}

llvm::Error UnicornCore::set_registers(llvm::ArrayRef<uint64_t> args) {
    uint64_t zero = 0;
    for (int reg : arch_.cleared) {
        if (uc_err err = uc_reg_write(uc_, reg, &zero); err != UC_ERR_OK) {
            return uc_error("cannot clear the registers", err);
        }
    }
    for (size_t i = 0; i < args.size(); ++i) {
        uint64_t value = args[i];
        if (uc_err err = uc_reg_write(uc_, arch_.arguments[i], &value); err != UC_ERR_OK) {
            return uc_error("cannot set the arguments", err);
        }
    }
    uint64_t stack = stack_top_;
    switch (target_) {
    case Target::cortex_m4: {
        // Thumb state and nothing else: flags clear and no IT block left over from a call that
        // was stopped inside one.
        uint64_t xpsr = 0x01000000;
        uint64_t link = sentinel_ | 1;
        uc_reg_write(uc_, UC_ARM_REG_XPSR, &xpsr);
        uc_reg_write(uc_, UC_ARM_REG_LR, &link);
        break;
    }
    case Target::rv32imc: {
        uint64_t link = sentinel_;
        uc_reg_write(uc_, UC_RISCV_REG_RA, &link);
        if (global_pointer_) {
            uint64_t gp = *global_pointer_;
            uc_reg_write(uc_, UC_RISCV_REG_GP, &gp);
        }
        break;
    }
    case Target::x86_64: {
        // As after a CALL: the return address on top, so rsp + 8 is 16-byte aligned (SysV).
        stack -= 8;
        uint64_t flags = 0x2;
        uc_reg_write(uc_, UC_X86_REG_RFLAGS, &flags);
        if (uc_err err = uc_mem_write(uc_, stack, &sentinel_, 8); err != UC_ERR_OK) {
            return uc_error("cannot push the return address", err);
        }
        break;
    }
    case Target::avr:
        break;
    }
    if (uc_err err = uc_reg_write(uc_, arch_.stack_pointer, &stack); err != UC_ERR_OK) {
        return uc_error("cannot set the stack pointer", err);
    }
    return llvm::Error::success();
}

const char* fault_text(uc_mem_type type) {
    switch (type) {
    case UC_MEM_READ_UNMAPPED:
        return "read of unmapped address";
    case UC_MEM_WRITE_UNMAPPED:
        return "write to unmapped address";
    case UC_MEM_FETCH_UNMAPPED:
        return "jump to unmapped address";
    case UC_MEM_READ_PROT:
        return "read of protected address";
    case UC_MEM_WRITE_PROT:
        return "write to protected address";
    case UC_MEM_FETCH_PROT:
        return "jump to non-executable address";
    default:
        return "access to address";
    }
}

llvm::Expected<CallResult> UnicornCore::call(llvm::StringRef function, uint64_t entry,
                                             llvm::ArrayRef<uint64_t> args, uint64_t budget) {
    if (llvm::Error err = set_registers(args)) {
        return std::move(err);
    }
    hooked_ = it_failed_ = loads_ = stores_ = 0;
    budget_ = budget;
    budget_exhausted_ = false;
    faulted_ = false;
    it_.clear();

    const uint64_t begin = target_ == Target::cortex_m4 ? entry | 1 : entry;
    const uc_err err = uc_emu_start(uc_, begin, sentinel_, 0, 0);
    uint64_t pc = 0;
    uc_reg_read(uc_, arch_.program_counter, &pc);
    if (target_ == Target::rv32imc || target_ == Target::cortex_m4) {
        pc &= 0xffffffff;
    }

    const uint64_t executed = hooked_ + it_failed_;
    if (budget_exhausted_) {
        return error(path_ + ": error: " + function + " did not return within " +
                     std::to_string(budget) + " instructions (stopped at pc " + hex(pc) +
                     "); note: the inputs may make it loop for ever; if the call is just long, "
                     "raise the instruction budget");
    }
    if (err != UC_ERR_OK) {
        std::string what = faulted_
                               ? std::string(fault_text(fault_type_)) + " " + hex(fault_address_)
                               : std::string(uc_strerror(err));
        return error(path_ + ": error: " + function + " faulted after " + std::to_string(executed) +
                     " instructions: " + what + " at pc " + hex(pc) +
                     "; note: pointer arguments must point into scratch (" + hex(scratch_base_) +
                     ".." + hex(scratch_base_ + scratch_size_ - 1) + ") or the ELF's own data");
    }
    if (pc != sentinel_) {
        return error(path_ + ": error: " + function + " stopped at pc " + hex(pc) +
                     " without returning");
    }

    CallResult result;
    uint64_t value = 0;
    uc_reg_read(uc_, arch_.result, &value);
    result.value_bits = arch_.result_bits;
    result.value =
        arch_.result_bits >= 64 ? value : value & ((uint64_t{1} << arch_.result_bits) - 1);
    result.cost.instructions = executed;
    result.cost.it_condition_failed = it_failed_;
    result.cost.loads = loads_;
    result.cost.stores = stores_;
    return result;
}

} // namespace

llvm::Expected<std::unique_ptr<Machine::Core>>
make_unicorn_core(const ElfImage& image, Target target, const MachineOptions& options) {
    auto core = std::make_unique<UnicornCore>(target, image.path);
    if (llvm::Error err = core->initialise(image, options)) {
        return std::move(err);
    }
    return std::unique_ptr<Machine::Core>(std::move(core));
}

} // namespace clockwork::runner::detail
