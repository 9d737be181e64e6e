#include "tsc.hpp"

#include <clockwork/cw_alloc.h>
#include <clockwork/host/host_latency.hpp>

#include <cpuid.h>
#include <sched.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace clockwork::host {

namespace detail {

bool has_tsc() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(1, &a, &b, &c, &d) != 0 && (d & (1u << 4)) != 0;
}

bool has_rdtscp() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(0x80000001u, &a, &b, &c, &d) != 0 && (d & (1u << 27)) != 0;
}

} // namespace detail

namespace {

llvm::Error error(const std::string& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<int> pin(int requested) {
    const int cpu = requested >= 0 ? requested : sched_getcpu();
    if (cpu < 0 || cpu >= CPU_SETSIZE) {
        return error("error: no CPU to pin to (sched_getcpu: " + std::string(std::strerror(errno)) +
                     "); note: pass a CPU number");
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        return error("error: cannot pin to CPU " + std::to_string(cpu) + ": " +
                     std::strerror(errno) + "; note: pick a CPU this process may run on");
    }
    return cpu;
}

template <bool Rdtscp>
uint64_t tsc_end() {
    if constexpr (Rdtscp) {
        return detail::tsc_end_rdtscp();
    } else {
        return detail::tsc_begin();
    }
}

template <bool Rdtscp>
TimerCharacteristics measure_timer(uint64_t samples) {
    TimerCharacteristics timer;
    timer.rdtscp = Rdtscp;
    std::vector<uint64_t> ticks(samples);
    for (uint64_t& t : ticks) {
        const uint64_t begin = detail::tsc_begin();
        const uint64_t end = tsc_end<Rdtscp>();
        t = end - begin;
    }
    timer.overhead = distribution(ticks);
    for (uint64_t& t : ticks) {
        t = detail::tsc_begin();
    }
    timer.granularity = granularity(ticks);
    return timer;
}

struct Samples {
    std::vector<uint64_t> allocate;
    std::vector<uint64_t> free;
    uint64_t null_allocations = 0;
};

// One step of the workload's random stream per call, as targets/common's random workload
// draws it; the first warmup_calls calls are made and timed like the others, then dropped.
template <bool Rdtscp>
void run_workload(cw_heap* heap, const HostWorkload& workload, Samples& samples) {
    std::mt19937_64 random(workload.seed);
    std::vector<void*> live;
    const uint64_t total = workload.warmup_calls + workload.calls;
    live.reserve(total);
    samples.allocate.reserve(workload.calls);
    samples.free.reserve(workload.calls);
    for (uint64_t step = 0; step < total; ++step) {
        const bool timed = step >= workload.warmup_calls;
        if (live.empty() || random() % 100 < workload.allocate_percent) {
            const uint64_t limit =
                random() % 4 == 0 ? workload.large_request : workload.small_request;
            const size_t n = 1 + random() % limit;
            const uint64_t begin = detail::tsc_begin();
            void* block = cw_heap_allocate(heap, n);
            const uint64_t end = tsc_end<Rdtscp>();
            if (block != nullptr) {
                live.push_back(block);
            }
            if (timed) {
                samples.allocate.push_back(end - begin);
                samples.null_allocations += block == nullptr;
            }
        } else {
            const size_t index = random() % live.size();
            void* block = live[index];
            const uint64_t begin = detail::tsc_begin();
            cw_heap_free(heap, block);
            const uint64_t end = tsc_end<Rdtscp>();
            live[index] = live.back();
            live.pop_back();
            if (timed) {
                samples.free.push_back(end - begin);
            }
        }
    }
}

} // namespace

llvm::Expected<HostLatency> run_host_latency(const HostWorkload& workload) {
    if (workload.calls == 0 || workload.timer_samples == 0) {
        return error("error: calls and timer samples must be at least 1");
    }
    if (!detail::has_tsc()) {
        return error("error: this CPU reports no time-stamp counter (CPUID.01H:EDX.TSC)");
    }
    HostLatency latency;
    auto cpu = pin(workload.cpu);
    if (!cpu) {
        return cpu.takeError();
    }
    latency.cpu = *cpu;

    // Zero-filled now, so that no page is first touched inside a timed call.
    std::vector<unsigned char> arena(workload.arena_bytes);
    cw_heap_options options = cw_heap_default_options();
    options.validate = workload.validate ? 1 : 0;
    cw_heap* heap = nullptr;
    if (const cw_status status = cw_heap_init(arena.data(), arena.size(), &options, &heap);
        status != CW_OK) {
        return error("error: cw_heap_init refused an arena of " +
                     std::to_string(workload.arena_bytes) + " bytes (status " +
                     std::to_string(status) + "); note: give a larger arena, a multiple of " +
                     std::to_string(CW_HEAP_ALIGNMENT));
    }

    Samples samples;
    if (detail::has_rdtscp()) {
        latency.timer = measure_timer<true>(workload.timer_samples);
        run_workload<true>(heap, workload, samples);
    } else {
        latency.timer = measure_timer<false>(workload.timer_samples);
        run_workload<false>(heap, workload, samples);
    }
    latency.allocate = distribution(samples.allocate);
    latency.free = distribution(samples.free);
    latency.null_allocations = samples.null_allocations;
    return latency;
}

} // namespace clockwork::host
