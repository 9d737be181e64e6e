// simavr driven one instruction per avr_run(), as in simavr_core.cpp, with Timer1 left to run
// as the firmware configures it. The only hook is the write callback on GPIOR0: it records the
// signal, and the loop stops after the instruction that wrote it, so the host reads and writes
// the mailbox between two instructions of the firmware.
#include "elf_image.hpp"

#include <clockwork/avr_firmware/timer1_mailbox.h>
#include <clockwork/runner/avr_timer1.hpp>

#include <sim_avr.h>
#include <sim_core.h>
#include <sim_io.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace clockwork::runner {

namespace {

constexpr uint64_t kDataSpaceOffset = 0x800000;
// The frequency only scales simavr's Timer1 period computation (cycles per overflow =
// frequency / (frequency / 65536) at clk/1); any exact value gives 65536. 16 MHz is the
// ATmega2560 boards' crystal.
constexpr uint32_t kFrequency = 16'000'000;

} // namespace

class AvrTimer1::Impl {
  public:
    explicit Impl(std::string path, uint64_t budget) : path_(std::move(path)), budget_(budget) {}
    ~Impl() {
        if (avr_ != nullptr) {
            avr_terminate(avr_);
            std::free(avr_);
        }
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    llvm::Error start(const detail::ElfImage& image);
    llvm::Expected<Timer1Call> call(uint8_t op, const char* function, uint16_t argument);
    llvm::Error finish();

    uint16_t overhead = 0;
    uint16_t heap = 0;
    uint64_t arena = 0;

  private:
    static void on_gpior0(avr_t* avr, avr_io_addr_t address, uint8_t value, void* param) {
        avr->data[address] = value;
        static_cast<Impl*>(param)->signal_ = value;
    }

    // Runs until the firmware signals; errors when it stops, crashes or exceeds the budget.
    llvm::Expected<uint8_t> run_to_signal(const std::string& what);
    llvm::Error expect_signal(uint8_t expected, const std::string& what);
    uint16_t mailbox16(unsigned offset) const {
        return static_cast<uint16_t>(avr_->data[mailbox_ + offset] |
                                     avr_->data[mailbox_ + offset + 1] << 8);
    }

    std::string path_;
    uint64_t budget_;
    avr_t* avr_ = nullptr;
    uint16_t mailbox_ = 0;
    std::optional<uint8_t> signal_;
};

llvm::Error AvrTimer1::Impl::start(const detail::ElfImage& image) {
    auto mailbox = image.symbol(CW_TIMER1_MAILBOX_SYMBOL);
    auto arena_symbol = image.symbol(CW_TIMER1_ARENA_SYMBOL);
    if (!mailbox || !arena_symbol) {
        return detail::error(path_ + ": error: no symbol " CW_TIMER1_MAILBOX_SYMBOL
                                     " or " CW_TIMER1_ARENA_SYMBOL
                                     "; note: --timer1 needs the Timer1 firmware "
                                     "(clockwork_timer1.elf of the avr image build), not the "
                                     "heap image");
    }
    mailbox_ = static_cast<uint16_t>(*mailbox - kDataSpaceOffset);
    arena = *arena_symbol - kDataSpaceOffset;

    avr_ = avr_make_mcu_by_name("atmega2560");
    if (avr_ == nullptr) {
        return detail::error(path_ + ": error: simavr does not know the atmega2560; note: "
                                     "install simavr 1.6 or later (libsimavr-dev)");
    }
    avr_init(avr_);
    avr_->log = LOG_NONE;
    avr_->frequency = kFrequency;
    avr_->run_cycle_limit = 1;
    const uint64_t flash_size = uint64_t{avr_->flashend} + 1;
    for (const detail::Segment& segment : image.segments) {
        if (segment.bytes.empty()) {
            continue; // .bss: the firmware's start-up clears it
        }
        // Code, and the flash image of .data, which the firmware's start-up copies to SRAM.
        if (segment.load_address > flash_size ||
            segment.bytes.size() > flash_size - segment.load_address) {
            return detail::error(path_ + ": error: the segment at " + detail::hex(segment.address) +
                                 " (loaded at " + detail::hex(segment.load_address) +
                                 ") does not fit the ATmega2560's flash; note: link with "
                                 "targets/avr/firmware/firmware.ld");
        }
        std::copy(segment.bytes.begin(), segment.bytes.end(), avr_->flash + segment.load_address);
    }
    avr_->codeend = static_cast<uint32_t>(flash_size - 1);
    avr_register_io_write(avr_, CW_TIMER1_GPIOR0_DATA, &Impl::on_gpior0, this);
    avr_->pc = 0;
    avr_->state = cpu_Running;

    if (auto err = expect_signal(CW_TIMER1_READY, "start-up")) {
        return err;
    }
    overhead = mailbox16(CW_TIMER1_MAILBOX_CYCLES);
    heap = mailbox16(CW_TIMER1_MAILBOX_RESULT);
    if (const uint8_t status = avr_->data[mailbox_ + CW_TIMER1_MAILBOX_STATUS]; status != 0) {
        return detail::error(path_ + ": error: the firmware's cw_heap_init returned status " +
                             std::to_string(status) + "; note: rebuild the firmware");
    }
    return expect_signal(CW_TIMER1_REQUEST, "start-up");
}

llvm::Expected<uint8_t> AvrTimer1::Impl::run_to_signal(const std::string& what) {
    signal_.reset();
    for (uint64_t executed = 0; !signal_; ++executed) {
        if (executed == budget_) {
            return detail::error(path_ + ": error: the firmware ran " + std::to_string(budget_) +
                                 " instructions in " + what + " without reporting (pc " +
                                 detail::hex(avr_->pc) +
                                 "); note: raise the instruction budget if the call is long");
        }
        const uint32_t pc = avr_->pc;
        avr_run(avr_);
        if (avr_->state != cpu_Running) {
            return detail::error(path_ + ": error: the firmware " +
                                 (avr_->state == cpu_Crashed ? "crashed" : "stopped") + " in " +
                                 what + " at pc " + detail::hex(pc));
        }
    }
    return *signal_;
}

llvm::Error AvrTimer1::Impl::expect_signal(uint8_t expected, const std::string& what) {
    auto signal = run_to_signal(what);
    if (!signal) {
        return signal.takeError();
    }
    if (*signal != expected) {
        return detail::error(
            path_ + ": error: the firmware wrote GPIOR0 = " + std::to_string(*signal) + " in " +
            what + ", expected " + std::to_string(expected) +
            "; note: the firmware and the runner " + "must come from the same timer1_mailbox.h");
    }
    return llvm::Error::success();
}

llvm::Expected<Timer1Call> AvrTimer1::Impl::call(uint8_t op, const char* function,
                                                 uint16_t argument) {
    avr_->data[mailbox_ + CW_TIMER1_MAILBOX_OP] = op;
    avr_->data[mailbox_ + CW_TIMER1_MAILBOX_ARGUMENT] = static_cast<uint8_t>(argument);
    avr_->data[mailbox_ + CW_TIMER1_MAILBOX_ARGUMENT + 1] = static_cast<uint8_t>(argument >> 8);
    const std::string what = std::string(function) + "(" + std::to_string(argument) + ")";
    if (auto err = expect_signal(CW_TIMER1_REPORT, what)) {
        return std::move(err);
    }
    const bool overflowed = avr_->data[mailbox_ + CW_TIMER1_MAILBOX_STATUS] & CW_TIMER1_OVERFLOW;
    Timer1Call result;
    result.result = mailbox16(CW_TIMER1_MAILBOX_RESULT);
    result.cycles = mailbox16(CW_TIMER1_MAILBOX_CYCLES);
    // The firmware goes on to its next request either way, so that a refused measurement
    // leaves the runner usable.
    if (auto err = expect_signal(CW_TIMER1_REQUEST, "the request after " + what)) {
        return std::move(err);
    }
    if (overflowed) {
        return detail::error(path_ + ": error: Timer1 overflowed during " + what +
                             ": the call reached the end of its 16-bit range at clk/1 (about "
                             "65500 cycles); note: measure it with Machine::call instead");
    }
    return result;
}

llvm::Error AvrTimer1::Impl::finish() {
    avr_->data[mailbox_ + CW_TIMER1_MAILBOX_OP] = CW_TIMER1_STOP;
    signal_.reset();
    for (uint64_t executed = 0; executed < budget_; ++executed) {
        avr_run(avr_);
        if (avr_->state == cpu_Done) {
            return llvm::Error::success();
        }
        const bool sleeping = avr_->state == cpu_Sleeping;
        if ((avr_->state != cpu_Running && !sleeping) || signal_) {
            break;
        }
    }
    return detail::error(path_ + ": error: the firmware did not stop with SLEEP when told to " +
                         "(pc " + detail::hex(avr_->pc) + ")");
}

AvrTimer1::AvrTimer1(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AvrTimer1::~AvrTimer1() = default;

llvm::Expected<std::unique_ptr<AvrTimer1>> AvrTimer1::load(llvm::StringRef firmware_path,
                                                           const AvrTimer1Options& options) {
    auto image = detail::read_elf(firmware_path, Target::avr);
    if (!image) {
        return image.takeError();
    }
    auto impl = std::make_unique<Impl>(firmware_path.str(), options.instruction_budget);
    if (auto err = impl->start(*image)) {
        return std::move(err);
    }
    return std::unique_ptr<AvrTimer1>(new AvrTimer1(std::move(impl)));
}

uint16_t AvrTimer1::timer_overhead() const {
    return impl_->overhead;
}

uint16_t AvrTimer1::heap() const {
    return impl_->heap;
}

uint64_t AvrTimer1::arena_base() const {
    return impl_->arena;
}

uint64_t AvrTimer1::arena_size() const {
    return CW_TIMER1_ARENA_BYTES;
}

llvm::Expected<Timer1Call> AvrTimer1::allocate(uint16_t n) {
    return impl_->call(CW_TIMER1_ALLOCATE, "cw_heap_allocate", n);
}

llvm::Expected<Timer1Call> AvrTimer1::free(uint16_t p) {
    return impl_->call(CW_TIMER1_FREE, "cw_heap_free", p);
}

llvm::Error AvrTimer1::finish() {
    return impl_->finish();
}

} // namespace clockwork::runner
