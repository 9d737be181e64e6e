// avr (ATmega2560) under simavr, stepped one instruction per avr_run(): in simavr's raw run loop
// each avr_run() executes avr_run_one() once, then services cycle timers and interrupts
// (interrupts stay off: SREG.I is clear for the whole call). Cycles are the difference of
// avr->cycle, which avr_run_one() advances by each instruction's cycle count.
#include "core.hpp"

#include <sim_avr.h>
#include <sim_core.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace clockwork::runner::detail {

namespace {

// The GNU AVR toolchain puts data space at 0x800000 in the ELF's single address space
// (avr6.x linker script: .data at 0x800200); 0x810000 and up is EEPROM and fuses.
constexpr uint64_t kDataSpaceOffset = 0x800000;
constexpr uint64_t kDataSpaceEnd = 0x810000;
// ATmega2560 datasheet, "SRAM Data Memory": 32 registers, 64 I/O and 416 extended I/O
// registers, then internal SRAM from 0x0200 to RAMEND 0x21FF.
constexpr uint16_t kSramBegin = 0x200;
constexpr uint64_t kDefaultStack = 1024;
// Return addresses on the ATmega2560 are 3 bytes: its 256 KiB flash needs a 17-bit word PC.
constexpr int kReturnAddressBytes = 3;

uint64_t data_address(uint64_t elf_address) {
    if (elf_address >= kDataSpaceOffset && elf_address < kDataSpaceEnd) {
        return elf_address - kDataSpaceOffset;
    }
    return elf_address;
}

struct Accesses {
    unsigned loads = 0;
    unsigned stores = 0;
};

// Data-memory accesses of one instruction, from the AVR Instruction Set Manual encodings.
Accesses accesses(uint16_t opcode) {
    // 1001 00sd dddd xxxx: LDS/STS, LD/ST through X, Y+, -Y, Z+, -Z, LPM/ELPM Rd, PUSH/POP;
    // s selects the store family.
    if ((opcode & 0xfc00) == 0x9000) {
        const unsigned kind = opcode & 0xf;
        if ((opcode & 0x0200) == 0) {
            // 0 LDS, 1-2 LD Z, 4-5 LPM, 6-7 ELPM, 9-A LD Y, C-E LD X, F POP.
            constexpr uint16_t loads = 0b1111'0110'1111'0111;
            return {(loads >> kind) & 1u, 0};
        }
        // 0 STS, 1-2 ST Z, 9-A ST Y, C-E ST X, F PUSH; 4-7 are XCH/LAS/LAC/LAT (read-modify-write).
        constexpr uint16_t stores = 0b1111'0110'0000'0111;
        constexpr uint16_t exchanges = 0b0000'0000'1111'0000;
        if ((exchanges >> kind) & 1u) {
            return {1, 1};
        }
        return {0, (stores >> kind) & 1u};
    }
    // 10q0 qqsd dddd yqqq: LD/ST/LDD/STD through Y or Z with displacement.
    if ((opcode & 0xd000) == 0x8000) {
        return (opcode & 0x0200) ? Accesses{0, 1} : Accesses{1, 0};
    }
    switch (opcode) {
    case 0x95c8: // LPM
    case 0x95d8: // ELPM
        return {1, 0};
    case 0x9509: // ICALL
    case 0x9519: // EICALL
        return {0, kReturnAddressBytes};
    case 0x9508: // RET
    case 0x9518: // RETI
        return {kReturnAddressBytes, 0};
    default:
        break;
    }
    if ((opcode & 0xfe0e) == 0x940e || (opcode & 0xf000) == 0xd000) { // CALL, RCALL
        return {0, kReturnAddressBytes};
    }
    return {};
}

struct Range {
    uint64_t begin;
    uint64_t end;
};

class SimavrCore final : public Machine::Core {
  public:
    explicit SimavrCore(std::string path) : path_(std::move(path)) {}
    ~SimavrCore() override {
        if (avr_ != nullptr) {
            avr_terminate(avr_);
            std::free(avr_);
        }
    }
    SimavrCore(const SimavrCore&) = delete;
    SimavrCore& operator=(const SimavrCore&) = delete;

    llvm::Error initialise(const ElfImage& image, const MachineOptions& options);

    uint64_t scratch_base() const override { return scratch_base_; }
    uint64_t scratch_size() const override { return scratch_size_; }
    llvm::Error write(uint64_t address, llvm::ArrayRef<uint8_t> bytes) override;
    llvm::Expected<std::vector<uint8_t>> read(uint64_t address, size_t size) override;
    llvm::Expected<CallResult> call(llvm::StringRef function, uint64_t entry,
                                    llvm::ArrayRef<uint64_t> args, uint64_t budget) override;

  private:
    uint64_t flash_size() const { return uint64_t{avr_->flashend} + 1; }
    uint64_t sram_end() const { return uint64_t{avr_->ramend} + 1; }
    // The data-space offset of [address, address + size) if it lies in SRAM.
    std::optional<uint64_t> sram_offset(uint64_t address, uint64_t size) const {
        const uint64_t offset = data_address(address);
        if (offset < kSramBegin || offset > sram_end() || size > sram_end() - offset) {
            return std::nullopt;
        }
        return offset;
    }
    std::string sram_text() const { return hex(kSramBegin) + ".." + hex(sram_end() - 1); }

    std::string path_;
    avr_t* avr_ = nullptr;
    uint32_t sentinel_ = 0;
    uint16_t stack_top_ = 0;
    uint64_t scratch_base_ = 0;
    uint64_t scratch_size_ = 0;
};

llvm::Error SimavrCore::initialise(const ElfImage& image, const MachineOptions& options) {
    avr_ = avr_make_mcu_by_name("atmega2560");
    if (avr_ == nullptr) {
        return error(path_ + ": error: simavr does not know the atmega2560; note: install "
                             "simavr 1.6 or later (Debian package libsimavr-dev)");
    }
    avr_init(avr_);
    avr_->log = LOG_NONE;
    // At most one instruction per avr_run(): simavr versions that loop inside avr_run_one()
    // until the next cycle timer stop after one instruction when the interval is 1 cycle.
    avr_->run_cycle_limit = 1;
    if (avr_->address_size != kReturnAddressBytes) {
        return error(path_ + ": error: simavr's atmega2560 pushes " +
                     std::to_string(avr_->address_size) + "-byte return addresses, not 3");
    }

    std::vector<Range> used;
    for (const Segment& segment : image.segments) {
        const bool flash_fits = segment.load_address <= flash_size() &&
                                segment.bytes.size() <= flash_size() - segment.load_address;
        if (segment.executable) {
            if (!flash_fits || segment.memory_size > flash_size() - segment.load_address) {
                return error(path_ + ": error: the code segment at " + hex(segment.address) +
                             " does not fit the ATmega2560's " + hex(flash_size()) + "-byte flash");
            }
            std::copy(segment.bytes.begin(), segment.bytes.end(),
                      avr_->flash + segment.load_address);
            continue;
        }
        if (auto offset = sram_offset(segment.address, segment.memory_size)) {
            // What the start-up code would do: copy .data from its flash image, clear .bss.
            std::copy(segment.bytes.begin(), segment.bytes.end(), avr_->data + *offset);
            std::fill(avr_->data + *offset + segment.bytes.size(),
                      avr_->data + *offset + segment.memory_size, 0);
            used.push_back({*offset, *offset + segment.memory_size});
            if (!segment.bytes.empty() && segment.load_address != segment.address && flash_fits) {
                std::copy(segment.bytes.begin(), segment.bytes.end(),
                          avr_->flash + segment.load_address);
            }
        } else if (!segment.writable && flash_fits) {
            std::copy(segment.bytes.begin(), segment.bytes.end(),
                      avr_->flash + segment.load_address);
        } else {
            return error(path_ + ": error: the segment at " + hex(segment.address) + " (" +
                         std::to_string(segment.memory_size) +
                         " bytes) fits neither the ATmega2560's SRAM (" + sram_text() +
                         ") nor its flash; note: link with the avr6 memory layout");
        }
    }

    // The sentinel return address: the last flash word, which no code segment may cover.
    sentinel_ = static_cast<uint32_t>(flash_size() - 2);
    if (image.is_code(sentinel_)) {
        return error(path_ + ": error: the code reaches the last flash word " + hex(sentinel_) +
                     ", which the runner needs as the return address of a call");
    }

    const uint64_t stack_size = options.stack_size ? options.stack_size : kDefaultStack;
    if (stack_size >= sram_end() - kSramBegin) {
        return error(path_ + ": error: a " + std::to_string(stack_size) +
                     "-byte stack does not fit the ATmega2560's SRAM (" + sram_text() + ")");
    }
    const uint64_t stack_bottom = sram_end() - stack_size;
    for (const Range& range : used) {
        if (range.end > stack_bottom) {
            return error(path_ + ": error: the ELF's data at " + hex(range.begin) + ".." +
                         hex(range.end - 1) + " overlaps the " + std::to_string(stack_size) +
                         "-byte stack at the top of SRAM; note: ask for a smaller stack_size");
        }
    }
    stack_top_ = static_cast<uint16_t>(sram_end() - 1);

    // Scratch: the largest part of SRAM below the stack that no segment uses.
    std::sort(used.begin(), used.end(),
              [](const Range& a, const Range& b) { return a.begin < b.begin; });
    uint64_t cursor = kSramBegin;
    auto consider = [&](uint64_t end) {
        if (end > cursor && end - cursor > scratch_size_) {
            scratch_base_ = cursor;
            scratch_size_ = end - cursor;
        }
    };
    for (const Range& range : used) {
        consider(range.begin);
        cursor = std::max(cursor, range.end);
    }
    consider(stack_bottom);
    return llvm::Error::success();
}

llvm::Error SimavrCore::write(uint64_t address, llvm::ArrayRef<uint8_t> bytes) {
    auto offset = sram_offset(address, bytes.size());
    if (!offset) {
        return error(path_ + ": error: cannot write " + std::to_string(bytes.size()) +
                     " bytes at " + hex(address) + ": outside the ATmega2560's SRAM (" +
                     sram_text() + "); note: scratch is " + hex(scratch_base_) + ".." +
                     hex(scratch_base_ + scratch_size_ - 1));
    }
    std::copy(bytes.begin(), bytes.end(), avr_->data + *offset);
    return llvm::Error::success();
}

llvm::Expected<std::vector<uint8_t>> SimavrCore::read(uint64_t address, size_t size) {
    auto offset = sram_offset(address, size);
    if (!offset) {
        return error(path_ + ": error: cannot read " + std::to_string(size) + " bytes at " +
                     hex(address) + ": outside the ATmega2560's SRAM (" + sram_text() + ")");
    }
    return std::vector<uint8_t>(avr_->data + *offset, avr_->data + *offset + size);
}

llvm::Expected<CallResult> SimavrCore::call(llvm::StringRef function, uint64_t entry,
                                            llvm::ArrayRef<uint64_t> args, uint64_t budget) {
    uint8_t* data = avr_->data;
    // r1 is avr-gcc's zero register, which every function expects to hold 0.
    std::memset(data, 0, 32);
    std::fill(std::begin(avr_->sreg), std::end(avr_->sreg), 0);
    data[R_SREG] = 0;
    if (avr_->rampz != 0) {
        data[avr_->rampz] = 0;
    }
    if (avr_->eind != 0) {
        data[avr_->eind] = 0;
    }
    for (size_t i = 0; i < args.size(); ++i) {
        data[24 - 2 * i] = static_cast<uint8_t>(args[i]);
        data[25 - 2 * i] = static_cast<uint8_t>(args[i] >> 8);
    }
    _avr_sp_set(avr_, stack_top_);
    _avr_push_addr(avr_, sentinel_);
    avr_->pc = static_cast<avr_flashaddr_t>(entry);
    avr_->state = cpu_Running;
    avr_->run_cycle_count = 1;

    CallResult result;
    const avr_cycle_count_t first_cycle = avr_->cycle;
    uint64_t executed = 0;
    while (avr_->pc != sentinel_) {
        if (executed == budget) {
            return error(path_ + ": error: " + function + " did not return within " +
                         std::to_string(budget) + " instructions (stopped at pc " + hex(avr_->pc) +
                         "); note: the inputs may make it loop for ever; if the "
                         "call is just long, raise the instruction budget");
        }
        const uint32_t pc = avr_->pc;
        if (pc + 1 < flash_size()) {
            const Accesses step =
                accesses(static_cast<uint16_t>(avr_->flash[pc] | avr_->flash[pc + 1] << 8));
            result.cost.loads += step.loads;
            result.cost.stores += step.stores;
        }
        avr_run(avr_);
        ++executed;
        if (avr_->state != cpu_Running) {
            const char* what = avr_->state == cpu_Crashed ? "crashed (a jump outside flash or "
                                                            "an invalid stack)"
                               : avr_->state == cpu_Sleeping || avr_->state == cpu_Done
                                   ? "executed SLEEP"
                                   : "stopped";
            return error(path_ + ": error: " + function + " " + what + " after " +
                         std::to_string(executed) + " instructions at pc " + hex(pc) +
                         "; note: pointer arguments must point into scratch (" +
                         hex(scratch_base_) + ".." + hex(scratch_base_ + scratch_size_ - 1) +
                         ") or the ELF's own data");
        }
    }
    result.value = data[24] | static_cast<uint64_t>(data[25]) << 8;
    result.value_bits = 16;
    result.cost.instructions = executed;
    result.cost.cycles = avr_->cycle - first_cycle;
    return result;
}

} // namespace

llvm::Expected<std::unique_ptr<Machine::Core>> make_simavr_core(const ElfImage& image,
                                                                const MachineOptions& options) {
    auto core = std::make_unique<SimavrCore>(image.path);
    if (llvm::Error err = core->initialise(image, options)) {
        return std::move(err);
    }
    return std::unique_ptr<Machine::Core>(std::move(core));
}

} // namespace clockwork::runner::detail
