// Measurement against bound on the same heap image: a seeded random workload runs every call on
// the target's emulator, and no call may cost more than the analyzer's bound (soundness). On
// cortex-m4, rv32imc and x86-64 the workload also reaches the bound exactly (tightness 1.00),
// so the bound is no higher than a real execution.
#include "../analyzer/analysis/analysis_test_support.hpp"

#include <clockwork/analyzer/analysis.hpp>
#include <clockwork/runner/machine.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace {

using namespace clockwork;

struct Highest {
    uint64_t allocate = 0, free = 0, allocate_cycles = 0, free_cycles = 0;
};

std::string directory_of(const std::string& target) {
    return std::string(CLOCKWORK_TARGETS_DIR) + "/" + target;
}

// The release configuration: initialised without validation and without a lock, so the checked
// paths never run.
analyzer::AnalysisOptions release(const std::string& target, reports::Metric metric) {
    analyzer::AnalysisOptions options;
    options.metric = metric;
    const std::string size_t_code = target == "x86-64" ? "m" : "j";
    options.never_called = {"_ZN12_GLOBAL__N_116checked_allocateEP7cw_heap" + size_t_code,
                            "_ZN12_GLOBAL__N_112checked_freeEP7cw_heapPv"};
    return options;
}

uint64_t bound_of(const std::string& target, const std::string& function, reports::Metric metric) {
    auto bound = test::analyze_function(directory_of(target) + "/clockwork_heap.elf", target,
                                        directory_of(target), function, release(target, metric));
    EXPECT_TRUE(static_cast<bool>(bound)) << llvm::toString(bound.takeError());
    return bound ? bound->value : 0;
}

Highest measure(const std::string& target, uint64_t seed, int steps) {
    auto loaded = runner::Machine::load(directory_of(target) + "/clockwork_heap.elf", target);
    EXPECT_TRUE(static_cast<bool>(loaded)) << llvm::toString(loaded.takeError());
    runner::Machine& machine = **loaded;
    const uint64_t out = machine.scratch_base();
    const uint64_t arena = (out + 64) & ~uint64_t{15};
    const uint64_t arena_bytes =
        std::min<uint64_t>(machine.scratch_size() - 128, 65536) & ~uint64_t{15};
    auto init = machine.call("cw_heap_init", {arena, arena_bytes, 0, out});
    EXPECT_TRUE(static_cast<bool>(init)) << llvm::toString(init.takeError());
    EXPECT_EQ(init->value, 0u);
    auto bytes = machine.read(out, machine.pointer_bytes());
    uint64_t heap = 0;
    for (unsigned k = 0; k < machine.pointer_bytes(); ++k) {
        heap |= uint64_t{(*bytes)[k]} << (8 * k);
    }
    const uint64_t small = target == "avr" ? 60 : 120;
    const uint64_t large = target == "avr" ? 400 : 2000;
    std::mt19937_64 random(seed);
    std::vector<uint64_t> live;
    Highest highest;
    for (int step = 0; step < steps; ++step) {
        if (live.empty() || random() % 100 < 55) {
            const uint64_t n = 1 + random() % (random() % 4 == 0 ? large : small);
            auto call = machine.call("cw_heap_allocate", {heap, n});
            EXPECT_TRUE(static_cast<bool>(call)) << llvm::toString(call.takeError());
            highest.allocate = std::max(highest.allocate, call->cost.instructions);
            highest.allocate_cycles = std::max(highest.allocate_cycles, call->cost.cycles);
            if (call->value != 0) {
                live.push_back(call->value);
            }
        } else {
            const size_t index = random() % live.size();
            auto call = machine.call("cw_heap_free", {heap, live[index]});
            EXPECT_TRUE(static_cast<bool>(call)) << llvm::toString(call.takeError());
            highest.free = std::max(highest.free, call->cost.instructions);
            highest.free_cycles = std::max(highest.free_cycles, call->cost.cycles);
            live[index] = live.back();
            live.pop_back();
        }
    }
    return highest;
}

class HeapCrossCheck : public ::testing::TestWithParam<std::string> {};

TEST_P(HeapCrossCheck, NoCallExceedsItsBoundAndTheWorkloadReachesIt) {
    const std::string target = GetParam();
    const Highest highest = measure(target, 42, 20000);
    const uint64_t allocate = bound_of(target, "cw_heap_allocate", reports::Metric::instructions);
    const uint64_t free = bound_of(target, "cw_heap_free", reports::Metric::instructions);
    EXPECT_LE(highest.allocate, allocate) << "unsound allocate bound on " << target;
    EXPECT_LE(highest.free, free) << "unsound free bound on " << target;
    if (target != "avr") {
        // AVR's variable shifts are loops whose derived bounds are loose (docs/annotations.md).
        EXPECT_EQ(highest.allocate, allocate) << target;
        EXPECT_EQ(highest.free, free) << target;
    } else {
        EXPECT_LE(highest.allocate_cycles,
                  bound_of(target, "cw_heap_allocate", reports::Metric::cycles));
        EXPECT_LE(highest.free_cycles, bound_of(target, "cw_heap_free", reports::Metric::cycles));
    }
}

INSTANTIATE_TEST_SUITE_P(EveryTarget, HeapCrossCheck,
                         ::testing::Values("cortex-m4", "rv32imc", "avr", "x86-64"),
                         clockwork::test::TargetTestName{});

} // namespace
