// The Timer1 firmware (targets/avr/firmware) against simavr's own cycle counter. From the AVR
// Instruction Set Manual (devices with a 22-bit PC): LDS 2 cycles, CALL 5, RET 5.
//
// The firmware's timed region reads TCNT1 with LDS TCNT1L; LDS TCNT1H before and after the call
// (timed_regions.cpp). Timer1 at clk/1 counts the cycles from the start of the first LDS TCNT1L
// to the start of the second, so the empty region measures the two LDS of the first read:
// 2 + 2 = 4 cycles. A timed call adds the CALL into the function (5) and the function itself up
// to and including its RET, which is exactly what Machine::call counts. Hence, per call:
//   Timer1 cycles (overhead subtracted) = Machine::call cycles + 5.
#include <clockwork/runner/avr_timer1.hpp>
#include <clockwork/runner/machine.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace clockwork::runner {
namespace {

constexpr uint64_t kLdsCycles = 2;
constexpr uint64_t kTimerReadCycles = 2 * kLdsCycles;
constexpr uint64_t kCallCycles = 5;

const std::string kFirmware = CLOCKWORK_TIMER1_FIRMWARE;
const std::string kHeapImage = CLOCKWORK_AVR_HEAP_IMAGE;

std::unique_ptr<AvrTimer1> load_firmware() {
    auto firmware = AvrTimer1::load(kFirmware);
    if (!firmware) {
        ADD_FAILURE() << llvm::toString(firmware.takeError());
        return nullptr;
    }
    return std::move(*firmware);
}

TEST(AvrTimer1, TimerReadOverheadIsTheCyclesOfTwoLds) {
    auto firmware = load_firmware();
    ASSERT_NE(firmware, nullptr);
    EXPECT_EQ(firmware->timer_overhead(), kTimerReadCycles);
}

// The same calls through Machine::call on the same ELF, on a heap initialised in the same arena
// by the same cw_heap_init, return the same blocks and cost 5 cycles less each.
TEST(AvrTimer1, EveryCallCostsMachineCallCyclesPlusItsCall) {
    auto firmware = load_firmware();
    ASSERT_NE(firmware, nullptr);
    auto loaded = Machine::load(kFirmware, "avr");
    ASSERT_TRUE(static_cast<bool>(loaded)) << llvm::toString(loaded.takeError());
    Machine& machine = **loaded;
    const uint64_t out = machine.scratch_base();
    auto init =
        machine.call("cw_heap_init", {firmware->arena_base(), firmware->arena_size(), 0, out});
    ASSERT_TRUE(static_cast<bool>(init)) << llvm::toString(init.takeError());
    ASSERT_EQ(init->value, 0U);
    auto handle = machine.read(out, 2);
    ASSERT_TRUE(static_cast<bool>(handle)) << llvm::toString(handle.takeError());
    const uint64_t heap = (*handle)[0] | uint64_t{(*handle)[1]} << 8;
    ASSERT_EQ(heap, firmware->heap());

    const uint64_t seed = 7;
    std::mt19937_64 random(seed);
    std::vector<uint16_t> live;
    unsigned allocations = 0;
    unsigned frees = 0;
    for (unsigned step = 0; step < 400; ++step) {
        SCOPED_TRACE("seed " + std::to_string(seed) + ", call " + std::to_string(step));
        if (live.empty() || random() % 100 < 55) {
            const auto n = static_cast<uint16_t>(1 + random() % (random() % 4 ? 120 : 1500));
            auto timed = firmware->allocate(n);
            ASSERT_TRUE(static_cast<bool>(timed)) << llvm::toString(timed.takeError());
            auto counted = machine.call("cw_heap_allocate", {heap, n});
            ASSERT_TRUE(static_cast<bool>(counted)) << llvm::toString(counted.takeError());
            EXPECT_EQ(timed->result, counted->value);
            EXPECT_EQ(timed->cycles, counted->cost.cycles + kCallCycles);
            if (timed->result != 0) {
                live.push_back(timed->result);
            }
            ++allocations;
        } else {
            const size_t index = random() % live.size();
            auto timed = firmware->free(live[index]);
            ASSERT_TRUE(static_cast<bool>(timed)) << llvm::toString(timed.takeError());
            auto counted = machine.call("cw_heap_free", {heap, live[index]});
            ASSERT_TRUE(static_cast<bool>(counted)) << llvm::toString(counted.takeError());
            EXPECT_EQ(timed->result, counted->value);
            EXPECT_EQ(timed->result, 0U); // CW_OK
            EXPECT_EQ(timed->cycles, counted->cost.cycles + kCallCycles);
            live[index] = live.back();
            live.pop_back();
            ++frees;
        }
    }
    // Both kinds of call ran many times.
    EXPECT_GT(allocations, 100U);
    EXPECT_GT(frees, 100U);
    if (llvm::Error err = firmware->finish()) {
        ADD_FAILURE() << llvm::toString(std::move(err));
    }
}

TEST(AvrTimer1, StoppedFirmwareRefusesFurtherCalls) {
    auto firmware = load_firmware();
    ASSERT_NE(firmware, nullptr);
    if (llvm::Error err = firmware->finish()) {
        FAIL() << llvm::toString(std::move(err));
    }
    auto call = firmware->allocate(8);
    ASSERT_FALSE(static_cast<bool>(call));
    const std::string text = llvm::toString(call.takeError());
    EXPECT_NE(text.find(kFirmware + ": error: the firmware stopped in cw_heap_allocate(8)"),
              std::string::npos)
        << text;
}

TEST(AvrTimer1, HeapImageIsNotTheFirmware) {
    auto firmware = AvrTimer1::load(kHeapImage);
    ASSERT_FALSE(static_cast<bool>(firmware));
    EXPECT_EQ(llvm::toString(firmware.takeError()),
              kHeapImage + ": error: no symbol cw_timer1_shared_mailbox or cw_timer1_arena; "
                           "note: --timer1 needs the Timer1 firmware (clockwork_timer1.elf of "
                           "the avr image build), not the heap image");
}

TEST(AvrTimer1, RandomWorkloadTimesEveryCall) {
    Timer1Workload workload;
    workload.calls = 500;
    auto measured = run_timer1_random(kFirmware, workload);
    ASSERT_TRUE(static_cast<bool>(measured)) << llvm::toString(measured.takeError());
    EXPECT_EQ(measured->timer_overhead, kTimerReadCycles);
    ASSERT_EQ(measured->functions.size(), 2U);
    EXPECT_EQ(measured->functions[0].function, "cw_heap_allocate");
    EXPECT_EQ(measured->functions[1].function, "cw_heap_free");
    EXPECT_EQ(measured->functions[0].calls + measured->functions[1].calls, workload.calls);
    for (const Timer1Tally& tally : measured->functions) {
        EXPECT_GT(tally.calls, 0U);
        // Every call includes at least its CALL and the callee's RET.
        EXPECT_GE(tally.lowest, kCallCycles + 5);
        EXPECT_LE(tally.lowest, tally.highest);
    }
}

} // namespace
} // namespace clockwork::runner
