// The native timing run: its structure, never its values (host ticks vary from run to run).
#include <clockwork/host/host_latency.hpp>

#include <gtest/gtest.h>

#include <string>

namespace clockwork::host {
namespace {

void expect_ordered(const Distribution& d) {
    EXPECT_LE(d.min, d.median);
    EXPECT_LE(d.median, d.p99);
    EXPECT_LE(d.p99, d.p999);
    EXPECT_LE(d.p999, d.p9999);
    EXPECT_LE(d.p9999, d.max);
}

HostWorkload small_workload() {
    HostWorkload workload;
    workload.calls = 5000;
    workload.warmup_calls = 500;
    workload.arena_bytes = uint64_t{1} << 20;
    workload.timer_samples = 2000;
    return workload;
}

TEST(HostLatency, EveryTimedCallIsCountedOnce) {
    const HostWorkload workload = small_workload();
    auto latency = run_host_latency(workload);
    ASSERT_TRUE(static_cast<bool>(latency)) << llvm::toString(latency.takeError());
    EXPECT_EQ(latency->allocate.count + latency->free.count, workload.calls);
    EXPECT_GT(latency->allocate.count, 0U);
    EXPECT_GT(latency->free.count, 0U);
    EXPECT_EQ(latency->timer.overhead.count, workload.timer_samples);
    EXPECT_EQ(latency->timer.granularity.differences, workload.timer_samples - 1);
    EXPECT_EQ(latency->null_allocations, 0U); // 1 MiB holds the whole live set
    expect_ordered(latency->allocate);
    expect_ordered(latency->free);
    expect_ordered(latency->timer.overhead);
    EXPECT_GE(latency->cpu, 0);
}

// The mix of calls is the seed's: the same seed gives the same split into allocate and free.
TEST(HostLatency, TheSeedFixesTheMixOfCalls) {
    HostWorkload workload = small_workload();
    auto first = run_host_latency(workload);
    auto second = run_host_latency(workload);
    workload.seed = 43;
    auto other = run_host_latency(workload);
    ASSERT_TRUE(static_cast<bool>(first)) << llvm::toString(first.takeError());
    ASSERT_TRUE(static_cast<bool>(second)) << llvm::toString(second.takeError());
    ASSERT_TRUE(static_cast<bool>(other)) << llvm::toString(other.takeError());
    EXPECT_EQ(first->allocate.count, second->allocate.count);
    EXPECT_NE(first->allocate.count, other->allocate.count);
}

TEST(HostLatency, ArenaTooSmallIsAnError) {
    HostWorkload workload = small_workload();
    workload.arena_bytes = 16;
    auto latency = run_host_latency(workload);
    ASSERT_FALSE(static_cast<bool>(latency));
    EXPECT_EQ(llvm::toString(latency.takeError()),
              "error: cw_heap_init refused an arena of 16 bytes (status 3); note: give a "
              "larger arena, a multiple of 16");
}

// No machine has 1023 CPUs here; sched_setaffinity refuses a set with none it has.
TEST(HostLatency, CpuThatDoesNotExistIsAnError) {
    HostWorkload workload = small_workload();
    workload.cpu = 1023;
    auto latency = run_host_latency(workload);
    ASSERT_FALSE(static_cast<bool>(latency));
    EXPECT_EQ(llvm::toString(latency.takeError()),
              "error: cannot pin to CPU 1023: Invalid argument; note: pick a CPU this process may "
              "run on");
}

TEST(HostLatency, PrintedTableNamesEveryRow) {
    const HostWorkload workload = small_workload();
    auto latency = run_host_latency(workload);
    ASSERT_TRUE(static_cast<bool>(latency)) << llvm::toString(latency.takeError());
    std::string text;
    llvm::raw_string_ostream out(text);
    print_host_latency(*latency, workload, out);
    for (const char* part : {"pinned to CPU", "timer granularity: smallest step", "p99.99",
                             "timer overhead", "cw_heap_allocate", "cw_heap_free"}) {
        EXPECT_NE(text.find(part), std::string::npos) << part << " missing from:\n" << text;
    }
    std::string json;
    llvm::raw_string_ostream json_out(json);
    write_host_latency_json(*latency, workload, json_out);
    EXPECT_EQ(json.rfind("{\n  \"canonical\": false,", 0), 0U) << json;
}

} // namespace
} // namespace clockwork::host
