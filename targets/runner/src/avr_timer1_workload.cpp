// The random workload (targets/common/random_workload.cpp) through the Timer1 firmware: the same
// mix of requests from the same seed, on the firmware's own heap.
#include "elf_image.hpp"

#include <clockwork/runner/avr_timer1.hpp>

#include <llvm/Support/Format.h>

#include <algorithm>
#include <random>

namespace clockwork::runner {

llvm::Expected<Timer1Measurement> run_timer1_random(llvm::StringRef firmware_path,
                                                    const Timer1Workload& workload) {
    auto firmware = AvrTimer1::load(firmware_path);
    if (!firmware) {
        return firmware.takeError();
    }
    Timer1Measurement measurement;
    measurement.timer_overhead = (*firmware)->timer_overhead();
    Timer1Tally allocate{"cw_heap_allocate", 0, ~uint64_t{0}, 0};
    Timer1Tally release{"cw_heap_free", 0, ~uint64_t{0}, 0};
    auto record = [](Timer1Tally& tally, uint64_t cycles) {
        ++tally.calls;
        tally.lowest = std::min(tally.lowest, cycles);
        tally.highest = std::max(tally.highest, cycles);
    };

    std::mt19937_64 random(workload.seed);
    std::vector<uint16_t> live;
    for (uint64_t step = 0; step < workload.calls; ++step) {
        if (live.empty() || random() % 100 < workload.allocate_percent) {
            const uint64_t limit =
                random() % 4 == 0 ? workload.large_request : workload.small_request;
            const auto n = static_cast<uint16_t>(1 + random() % limit);
            auto call = (*firmware)->allocate(n);
            if (!call) {
                return detail::error("call " + llvm::Twine(step) + " (allocate " + llvm::Twine(n) +
                                     "): " + llvm::toString(call.takeError()));
            }
            record(allocate, call->cycles);
            if (call->result != 0) {
                live.push_back(call->result);
            }
        } else {
            const size_t index = random() % live.size();
            auto call = (*firmware)->free(live[index]);
            if (!call) {
                return detail::error("call " + llvm::Twine(step) + " (free " +
                                     llvm::Twine(live[index]) +
                                     "): " + llvm::toString(call.takeError()));
            }
            record(release, call->cycles);
            live[index] = live.back();
            live.pop_back();
        }
    }
    if (auto err = (*firmware)->finish()) {
        return std::move(err);
    }
    for (Timer1Tally* tally : {&allocate, &release}) {
        if (tally->calls == 0) {
            tally->lowest = 0;
        }
        measurement.functions.push_back(*tally);
    }
    return measurement;
}

void print_timer1_measurement(const Timer1Measurement& measurement, llvm::raw_ostream& out) {
    out << "Timer1 at clk/1, timer-read overhead " << measurement.timer_overhead
        << " cycles (subtracted); each call includes its CALL (5 cycles)\n";
    out << llvm::left_justify("function", 20) << llvm::left_justify("metric", 14)
        << llvm::right_justify("calls", 8) << llvm::right_justify("lowest", 10)
        << llvm::right_justify("highest", 10) << '\n';
    for (const Timer1Tally& tally : measurement.functions) {
        out << llvm::left_justify(tally.function, 20) << llvm::left_justify("timer1-cycles", 14)
            << llvm::right_justify(std::to_string(tally.calls), 8)
            << llvm::right_justify(std::to_string(tally.lowest), 10)
            << llvm::right_justify(std::to_string(tally.highest), 10) << '\n';
    }
}

} // namespace clockwork::runner
