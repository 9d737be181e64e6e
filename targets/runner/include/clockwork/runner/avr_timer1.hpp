// The avr Timer1 firmware (targets/avr/firmware) run under simavr, embedded as a library: the
// firmware times each heap call itself with Timer1 at clk/1, as it would on a board, and reports
// through GPIOR0 and a mailbox in SRAM (timer1_mailbox.h). The host only feeds operations and
// collects what the firmware reports; the cycles are the firmware's, not simavr's counter.
//
// A reported call costs 5 cycles more than the same function measured by Machine::call: the
// CALL that enters it is inside the timed region (docs/measurement.md).
//
// Errors are values worded like compiler diagnostics: "<file>: error: <what>; note: <fix>".
// Thread-safety: one thread per AvrTimer1; distinct instances are independent.
#pragma once

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace clockwork::runner {

struct Timer1Call {
    // cw_heap_allocate: the block (0 for null); cw_heap_free: its cw_status.
    uint16_t result = 0;
    // Timer1 ticks of the timed region minus the timer-read overhead the firmware measured.
    uint64_t cycles = 0;
};

struct AvrTimer1Options {
    // A firmware that runs this many instructions without its next report is stopped.
    uint64_t instruction_budget = 10'000'000;
};

class AvrTimer1 {
  public:
    // Loads the firmware into simavr's ATmega2560 at 16 MHz, runs it from reset until it has
    // measured the timer-read overhead, initialised its heap and asked for an operation.
    // Errors: unreadable file, not an avr6 ELF, a segment whose image is not in flash, no
    // cw_timer1_shared_mailbox or cw_timer1_arena symbol, a heap the firmware could not initialise,
    // a firmware that stops or runs past the budget before it is ready.
    static llvm::Expected<std::unique_ptr<AvrTimer1>> load(llvm::StringRef firmware_path,
                                                           const AvrTimer1Options& options = {});
    ~AvrTimer1();
    AvrTimer1(const AvrTimer1&) = delete;
    AvrTimer1& operator=(const AvrTimer1&) = delete;

    // Timer1 ticks of the firmware's empty timed region, measured at its start-up.
    uint16_t timer_overhead() const;
    // The heap handle and arena the firmware initialised (16-bit data-space addresses).
    uint16_t heap() const;
    uint64_t arena_base() const;
    uint64_t arena_size() const;

    // One timed call on the firmware's heap. Errors: the firmware stopped, ran past the budget,
    // or reported a Timer1 overflow (a call of about 65500 cycles or more); after an overflow
    // the firmware is ready for the next call.
    llvm::Expected<Timer1Call> allocate(uint16_t n);
    llvm::Expected<Timer1Call> free(uint16_t p);
    // Tells the firmware to stop; it must then execute SLEEP with interrupts off.
    llvm::Error finish();

    class Impl;

  private:
    explicit AvrTimer1(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The random workload of targets/common (a seeded mix of allocate and free), on the firmware's
// own heap, every call timed by Timer1.
struct Timer1Workload {
    uint64_t seed = 42;
    uint64_t calls = 20000;
    uint64_t small_request = 120; // three in four requests are 1 .. small_request bytes
    uint64_t large_request = 2000;
    unsigned allocate_percent = 55;
};

struct Timer1Tally {
    std::string function;
    uint64_t calls = 0;
    uint64_t lowest = 0;
    uint64_t highest = 0;
};

struct Timer1Measurement {
    uint16_t timer_overhead = 0;
    std::vector<Timer1Tally> functions; // cw_heap_allocate, then cw_heap_free
};

// Errors: those of AvrTimer1, with the call that failed named.
llvm::Expected<Timer1Measurement> run_timer1_random(llvm::StringRef firmware_path,
                                                    const Timer1Workload& workload);

// The table `clockwork measure --timer1` prints.
void print_timer1_measurement(const Timer1Measurement& measurement, llvm::raw_ostream& out);

} // namespace clockwork::runner
