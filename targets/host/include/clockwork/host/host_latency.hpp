// Per-call latency of the host build of the allocator (clockwork::alloc) in time-stamp-counter
// ticks: statistics, not evidence. An out-of-order core with caches, frequency scaling, a
// hypervisor and interrupts has no cycle bound, and the numbers vary from run to run, so they
// never enter an Evidence document (DESIGN.md, "Targets and metrics": x86-64).
//
// Method (docs/measurement.md): the thread is pinned to one CPU; a warm-up runs the workload
// untimed; then each cw_heap_allocate / cw_heap_free call is bracketed by
// lfence; rdtsc; lfence ... rdtscp; lfence (lfence; rdtsc; lfence at both ends without RDTSCP).
// The same bracket around nothing gives the timer's own overhead, and back-to-back reads its
// granularity. Ticks are reported raw: the overhead is printed, not subtracted, because with a
// stepped counter a subtraction would be as coarse as the step.
//
// x86-64 hosts only (the library is not built elsewhere). Thread-safety: run_host_latency pins the
// calling thread and restores nothing.
#pragma once

#include <clockwork/host/timer_statistics.hpp>

#include <llvm/Support/Error.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdint>

namespace clockwork::host {

// The random workload of targets/common (a seeded mix of allocate and free), on the host heap.
struct HostWorkload {
    uint64_t seed = 42;
    uint64_t calls = 1'000'000; // timed calls
    uint64_t warmup_calls = 100'000;
    uint64_t arena_bytes = uint64_t{1} << 24;
    uint64_t small_request = 120; // three in four requests are 1 .. small_request bytes
    uint64_t large_request = 2000;
    unsigned allocate_percent = 55;
    bool validate = false;
    // The CPU to pin to; -1: the one the thread is running on.
    int cpu = -1;
    // Back-to-back reads for the overhead and granularity.
    uint64_t timer_samples = 100'000;
};

struct TimerCharacteristics {
    bool rdtscp = false;     // the end of a region is read with RDTSCP
    Distribution overhead;   // ticks of the bracket around nothing
    Granularity granularity; // of back-to-back fenced reads
};

struct HostLatency {
    int cpu = -1;
    TimerCharacteristics timer;
    Distribution allocate; // ticks of each cw_heap_allocate
    Distribution free;     // ticks of each cw_heap_free
    uint64_t null_allocations = 0;
};

// Errors: no TSC, the CPU cannot be pinned, the arena cannot be allocated
// or the heap refuses it, calls or timer_samples of 0.
llvm::Expected<HostLatency> run_host_latency(const HostWorkload& workload);

// The table `clockwork measure --target x86-64 --native` and bench/host_latency print.
void print_host_latency(const HostLatency& latency, const HostWorkload& workload,
                        llvm::raw_ostream& out);

// The same as a JSON object marked "canonical": false, for a file of its own, never for an
// Evidence document.
void write_host_latency_json(const HostLatency& latency, const HostWorkload& workload,
                             llvm::raw_ostream& out);

} // namespace clockwork::host
