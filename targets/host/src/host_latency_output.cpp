#include <clockwork/host/host_latency.hpp>

#include <llvm/Support/Format.h>

#include <string>

namespace clockwork::host {

namespace {

void row(llvm::raw_ostream& out, const char* name, const Distribution& d) {
    out << llvm::left_justify(name, 18);
    for (uint64_t value : {d.count, d.min, d.median, d.p99, d.p999, d.p9999, d.max}) {
        out << llvm::right_justify(std::to_string(value), 10);
    }
    out << '\n';
}

void json_distribution(llvm::raw_ostream& out, const char* name, const Distribution& d) {
    out << "    \"" << name << "\": {\"count\": " << d.count << ", \"min\": " << d.min
        << ", \"median\": " << d.median << ", \"p99\": " << d.p99 << ", \"p99.9\": " << d.p999
        << ", \"p99.99\": " << d.p9999 << ", \"max\": " << d.max << "}";
}

} // namespace

void print_host_latency(const HostLatency& latency, const HostWorkload& workload,
                        llvm::raw_ostream& out) {
    const Granularity& g = latency.timer.granularity;
    out << "x86-64 native, TSC ticks per call (statistics, not a bound), pinned to CPU "
        << latency.cpu << ", seed " << workload.seed << ", " << workload.warmup_calls
        << " warm-up calls\n";
    out << "timer: lfence;rdtsc;lfence .. "
        << (latency.timer.rdtscp ? "rdtscp;lfence" : "lfence;rdtsc;lfence") << "; overhead min "
        << latency.timer.overhead.min << ", median " << latency.timer.overhead.median
        << " ticks (not subtracted)\n";
    out << "timer granularity: smallest step " << g.smallest_step << " ticks, gcd of steps "
        << g.common_divisor << ", " << g.zero_steps << " of " << g.differences
        << " back-to-back reads did not advance\n";
    if (g.smallest_step > 1) {
        out << "note: the counter moves in steps of " << g.smallest_step
            << " ticks: differences below that are not resolved\n";
    }
    out << llvm::left_justify("", 18);
    for (const char* heading : {"calls", "min", "median", "p99", "p99.9", "p99.99", "max"}) {
        out << llvm::right_justify(heading, 10);
    }
    out << '\n';
    row(out, "timer overhead", latency.timer.overhead);
    row(out, "cw_heap_allocate", latency.allocate);
    row(out, "cw_heap_free", latency.free);
    if (latency.null_allocations != 0) {
        out << latency.null_allocations << " allocations returned null (arena full)\n";
    }
}

void write_host_latency_json(const HostLatency& latency, const HostWorkload& workload,
                             llvm::raw_ostream& out) {
    const Granularity& g = latency.timer.granularity;
    out << "{\n  \"canonical\": false,\n  \"note\": \"host TSC ticks vary from run to run; "
           "statistics, not evidence\",\n";
    out << "  \"target\": \"x86-64\",\n  \"cpu\": " << latency.cpu
        << ",\n  \"seed\": " << workload.seed << ",\n  \"warmup_calls\": " << workload.warmup_calls
        << ",\n";
    out << "  \"timer\": {\n    \"end_read\": \"" << (latency.timer.rdtscp ? "rdtscp" : "rdtsc")
        << "\",\n";
    json_distribution(out, "overhead", latency.timer.overhead);
    out << ",\n    \"smallest_step\": " << g.smallest_step << ", \"step_gcd\": " << g.common_divisor
        << ", \"zero_steps\": " << g.zero_steps << ", \"differences\": " << g.differences
        << "\n  },\n  \"ticks\": {\n";
    json_distribution(out, "cw_heap_allocate", latency.allocate);
    out << ",\n";
    json_distribution(out, "cw_heap_free", latency.free);
    out << "\n  },\n  \"null_allocations\": " << latency.null_allocations << "\n}\n";
}

} // namespace clockwork::host
