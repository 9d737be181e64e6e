// Per-call latency of allocate and free, in TSC ticks, for the Clockwork heap (validation off
// and on), glibc malloc and jemalloc on one seeded trace, pinned to one CPU. Prints the
// distribution of each allocator x operation, the timer's own overhead and step, and the tails
// as ratios to the Clockwork heap's.
#include "contenders.hpp"
#include "workload.hpp"

#include <cpuid.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace clockwork::bench;

constexpr uint64_t kMaxCalls = uint64_t{1} << 27;
constexpr uint64_t kMaxLive = uint64_t{1} << 16;
constexpr size_t kTimerSamples = 1000000;
// Far above any allocator's own cache and TLB misses here, and about as long as an interrupt or
// a hypervisor exit on this kind of machine: samples this slow are counted, to be compared
// with the noop lane's count.
constexpr double kSlowNs = 4000;

struct Options {
    uint64_t calls = 1000000;
    uint64_t seed = kDefaultSeed;
    uint64_t live = 4096;
    uint64_t rounds = 10;
    int cpu = -1;
    bool lock_memory = true;
};

void print_usage(FILE* out) {
    std::fprintf(out,
                 "usage: clockwork_bench_latency [--calls N] [--seed N] [--live N] [--rounds N] "
                 "[--cpu N] [--no-mlock]\n"
                 "  --calls   allocate calls timed per allocator, and as many free calls "
                 "(default 1000000)\n"
                 "  --seed    trace seed (default 0x%llx)\n"
                 "  --live    live set in blocks (default 4096, at most %llu)\n"
                 "  --rounds  the allocators take turns in this many slices of the trace, so "
                 "that a noisy moment\n"
                 "            of the machine falls on all of them alike (default 10)\n"
                 "  --cpu     CPU to pin to (default: the highest one allowed)\n"
                 "  --no-mlock  leave memory pageable (default: mlockall, so page faults on "
                 "fresh pages\n"
                 "            stay out of the figures, as in a real-time deployment)\n",
                 static_cast<unsigned long long>(kDefaultSeed),
                 static_cast<unsigned long long>(kMaxLive));
}

bool parse_options(int argc, char** argv, Options* options) {
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "--help" || flag == "-h") {
            print_usage(stdout);
            std::exit(0);
        }
        if (flag == "--no-mlock") {
            options->lock_memory = false;
            continue;
        }
        std::string value;
        const size_t equals = flag.find('=');
        if (equals != std::string::npos) {
            value = flag.substr(equals + 1);
            flag.resize(equals);
        } else if (i + 1 < argc) {
            value = argv[++i];
        }
        uint64_t number = 0;
        if (!parse_u64(value.c_str(), &number)) {
            std::fprintf(stderr, "error: %s needs a number, got '%s'\n", flag.c_str(),
                         value.c_str());
            return false;
        }
        if (flag == "--calls" && number >= 1 && number <= kMaxCalls) {
            options->calls = number;
        } else if (flag == "--seed") {
            options->seed = number;
        } else if (flag == "--live" && number >= 1 && number <= kMaxLive) {
            options->live = number;
        } else if (flag == "--rounds" && number >= 1) {
            options->rounds = number;
        } else if (flag == "--cpu" && number < CPU_SETSIZE) {
            options->cpu = static_cast<int>(number);
        } else {
            std::fprintf(stderr, "error: unknown flag or value out of range: %s %s\n", flag.c_str(),
                         value.c_str());
            return false;
        }
    }
    options->rounds = std::min(options->rounds, options->calls);
    return true;
}

// lfence before rdtsc: earlier instructions finish before the read. lfence after: later ones
// do not start before it.
inline uint64_t tsc_fenced() {
    uint32_t lo = 0;
    uint32_t hi = 0;
    asm volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    return (uint64_t{hi} << 32) | lo;
}

// rdtscp waits for earlier instructions by itself; the lfence keeps later ones after it.
inline uint64_t tsc_rdtscp() {
    uint32_t lo = 0;
    uint32_t hi = 0;
    uint32_t aux = 0;
    asm volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
    return (uint64_t{hi} << 32) | lo;
}

inline uint64_t tsc_unfenced() {
    uint32_t lo = 0;
    uint32_t hi = 0;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return (uint64_t{hi} << 32) | lo;
}

enum class EndRead { rdtscp, fenced_rdtsc };

template <EndRead E>
inline uint64_t tsc_end() {
    if constexpr (E == EndRead::rdtscp) {
        return tsc_rdtscp();
    } else {
        return tsc_fenced();
    }
}

bool has_rdtscp() {
    unsigned a = 0;
    unsigned b = 0;
    unsigned c = 0;
    unsigned d = 0;
    constexpr unsigned kRdtscpBit = 1u << 27; // CPUID 0x80000001, EDX
    return __get_cpuid(0x80000001u, &a, &b, &c, &d) != 0 && (d & kRdtscpBit) != 0;
}

uint32_t saturate(uint64_t ticks) {
    return ticks > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(ticks);
}

struct Summary {
    uint64_t min = 0;
    uint64_t median = 0;
    double mean = 0;
    double trimmed_mean = 0; // of the samples up to p99.9: interrupts and preemptions left out
    uint64_t p99 = 0;
    uint64_t p999 = 0;
    uint64_t p9999 = 0;
    uint64_t max = 0;
    size_t slow = 0;       // samples of at least kSlowNs
    double fast_ticks = 0; // the sum of the others: the time exposed to interference
};

// Nearest-rank percentiles.
Summary summarize(std::vector<uint32_t> ticks, uint64_t slow_ticks = UINT64_MAX) {
    Summary s;
    if (ticks.empty()) {
        return s;
    }
    std::sort(ticks.begin(), ticks.end());
    const auto rank = [&ticks](double q) {
        const double position = std::ceil(q * static_cast<double>(ticks.size()));
        const size_t index = position < 1 ? 0 : static_cast<size_t>(position) - 1;
        return uint64_t{ticks[std::min(index, ticks.size() - 1)]};
    };
    s.min = ticks.front();
    s.median = rank(0.5);
    s.p99 = rank(0.99);
    s.p999 = rank(0.999);
    s.p9999 = rank(0.9999);
    s.max = ticks.back();
    double sum = 0;
    double trimmed_sum = 0;
    size_t trimmed_count = 0;
    for (const uint32_t t : ticks) {
        sum += t;
        if (t >= slow_ticks) {
            ++s.slow;
        } else {
            s.fast_ticks += t;
        }
        if (t <= s.p999) {
            trimmed_sum += t;
            ++trimmed_count;
        }
    }
    s.mean = sum / static_cast<double>(ticks.size());
    s.trimmed_mean = trimmed_sum / static_cast<double>(trimmed_count);
    return s;
}

// One allocator's live set, its place in the trace, and its samples. The per-call loop is a
// template over the allocator, so the timed region holds the call and nothing virtual.
class Lane {
  public:
    Lane(std::string name, size_t calls, size_t live)
        : name_(std::move(name)), allocate_ticks_(calls), free_ticks_(calls), slots_(live) {}
    virtual ~Lane() = default;
    Lane(const Lane&) = delete;
    Lane& operator=(const Lane&) = delete;

    virtual void fill(const Trace& trace) = 0;
    // Runs ops [first, first + count) of the trace, timing each call into samples [first, ...).
    virtual void run(const Trace& trace, size_t first, size_t count, EndRead end) = 0;
    virtual void drain() = 0;

    const std::string& name() const { return name_; }
    const std::vector<uint32_t>& allocate_ticks() const { return allocate_ticks_; }
    const std::vector<uint32_t>& free_ticks() const { return free_ticks_; }

  protected:
    [[noreturn]] void out_of_memory(size_t size) const {
        std::fprintf(stderr, "error: %s returned null for %zu bytes (arena of %zu MiB)\n",
                     name_.c_str(), size, kArenaBytes >> 20);
        std::exit(1);
    }

    std::string name_;
    std::vector<uint32_t> allocate_ticks_;
    std::vector<uint32_t> free_ticks_;
    std::vector<void*> slots_;
};

template <class Contender>
class ContenderLane final : public Lane {
  public:
    ContenderLane(std::string name, size_t calls, size_t live, Contender contender)
        : Lane(std::move(name), calls, live), contender_(contender) {}

    void fill(const Trace& trace) override {
        for (size_t i = 0; i < slots_.size(); ++i) {
            slots_[i] = contender_.allocate(trace.fill[i]);
            if (slots_[i] == nullptr) {
                out_of_memory(trace.fill[i]);
            }
        }
    }

    void run(const Trace& trace, size_t first, size_t count, EndRead end) override {
        if (end == EndRead::rdtscp) {
            timed<EndRead::rdtscp>(trace.ops.data() + first, count, first);
        } else {
            timed<EndRead::fenced_rdtsc>(trace.ops.data() + first, count, first);
        }
    }

    void drain() override {
        for (void*& block : slots_) {
            contender_.release(block);
            block = nullptr;
        }
    }

  private:
    template <EndRead E>
    void timed(const Op* ops, size_t count, size_t first) {
        uint32_t* allocate_out = allocate_ticks_.data() + first;
        uint32_t* free_out = free_ticks_.data() + first;
        void** slots = slots_.data();
        for (size_t i = 0; i < count; ++i) {
            const Op op = ops[i];
            void* old = slots[op.slot];
            const uint64_t f0 = tsc_fenced();
            contender_.release(old);
            const uint64_t f1 = tsc_end<E>();
            const uint64_t a0 = tsc_fenced();
            void* block = contender_.allocate(op.size);
            const uint64_t a1 = tsc_end<E>();
            if (block == nullptr) {
                out_of_memory(op.size);
            }
            // One store makes the block used as a program would use it, outside the timing.
            *static_cast<unsigned char*>(block) = static_cast<unsigned char>(op.size);
            slots[op.slot] = block;
            free_out[i] = saturate(f1 - f0);
            allocate_out[i] = saturate(a1 - a0);
        }
    }

    Contender contender_;
};

// Returns one fixed buffer and frees nothing, in a real call: its figures are what the harness
// and the machine add to a call that has no tail of its own.
struct NoopContender {
    __attribute__((noinline)) void* allocate(size_t) {
        static unsigned char buffer[16];
        asm volatile("" : : : "memory");
        return buffer;
    }
    __attribute__((noinline)) void release(void* p) { asm volatile("" : : "r"(p) : "memory"); }
};

// The allocators take turns through the trace in `rounds` slices, with the starting one
// rotating, so that a burst of interference on the machine is shared out rather than landing
// on whichever allocator happened to run then.
void run_interleaved(std::vector<std::unique_ptr<Lane>>& lanes, const Trace& trace, uint64_t rounds,
                     EndRead end) {
    const size_t total = trace.ops.size();
    for (uint64_t r = 0; r < rounds; ++r) {
        const size_t first = static_cast<size_t>(total * r / rounds);
        const size_t last = static_cast<size_t>(total * (r + 1) / rounds);
        for (size_t k = 0; k < lanes.size(); ++k) {
            lanes[(k + r) % lanes.size()]->run(trace, first, last - first, end);
        }
    }
}

struct TimerReport {
    Summary overhead;
    uint64_t gcd = 0;
    uint64_t smallest_delta = 0;
    uint64_t commonest_delta = 0;
    uint64_t dominant_step = 0;
    double dominant_share = 0;
    double zero_share = 0;
    double mhz = 0;
};

template <EndRead E>
Summary measure_overhead() {
    std::vector<uint32_t> ticks(kTimerSamples);
    for (int pass = 0; pass < 2; ++pass) { // the first pass warms the code and the buffer
        for (uint32_t& t : ticks) {
            const uint64_t t0 = tsc_fenced();
            const uint64_t t1 = tsc_end<E>();
            t = saturate(t1 - t0);
        }
    }
    return summarize(std::move(ticks));
}

TimerReport calibrate_timer(EndRead end) {
    TimerReport report;
    report.overhead = end == EndRead::rdtscp ? measure_overhead<EndRead::rdtscp>()
                                             : measure_overhead<EndRead::fenced_rdtsc>();

    // Unfenced back-to-back reads come as close together as the TSC can be read, so their
    // deltas show the step the counter moves in.
    std::vector<uint64_t> deltas(kTimerSamples);
    uint64_t previous = tsc_unfenced();
    for (uint64_t& d : deltas) {
        const uint64_t now = tsc_unfenced();
        d = now - previous;
        previous = now;
    }
    size_t zeros = 0;
    for (const uint64_t d : deltas) {
        if (d == 0) {
            ++zeros;
            continue;
        }
        report.gcd = std::gcd(report.gcd, d);
        if (report.smallest_delta == 0 || d < report.smallest_delta) {
            report.smallest_delta = d;
        }
    }
    const size_t nonzero = deltas.size() - zeros;
    report.zero_share = static_cast<double>(zeros) / static_cast<double>(deltas.size());
    // One odd delta (the TSC read across an interrupt or a hypervisor exit) takes the GCD to 1;
    // the step really there is the largest divisor of the commonest delta that divides nearly
    // all deltas.
    std::map<uint64_t, size_t> histogram;
    for (const uint64_t d : deltas) {
        if (d != 0) {
            ++histogram[d];
        }
    }
    uint64_t commonest = 0;
    size_t commonest_count = 0;
    for (const auto& [delta, count] : histogram) {
        if (count > commonest_count) {
            commonest = delta;
            commonest_count = count;
        }
    }
    report.commonest_delta = commonest;
    for (uint64_t g = commonest; g >= 1 && nonzero > 0; --g) {
        if (commonest % g != 0) {
            continue;
        }
        size_t divisible = 0;
        for (const auto& [delta, count] : histogram) {
            divisible += delta % g == 0 ? count : 0;
        }
        const double share = static_cast<double>(divisible) / static_cast<double>(nonzero);
        if (share >= 0.999 || g == 1) {
            report.dominant_step = g;
            report.dominant_share = share;
            break;
        }
    }

    timespec start{};
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC_RAW, &start);
    const uint64_t tsc_start = tsc_fenced();
    double elapsed_ns = 0;
    do {
        clock_gettime(CLOCK_MONOTONIC_RAW, &now);
        elapsed_ns = static_cast<double>(now.tv_sec - start.tv_sec) * 1e9 +
                     static_cast<double>(now.tv_nsec - start.tv_nsec);
    } while (elapsed_ns < 100e6);
    const uint64_t tsc_stop = tsc_fenced();
    report.mhz = static_cast<double>(tsc_stop - tsc_start) / elapsed_ns * 1e3;
    return report;
}

int pin(int requested) {
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
        std::perror("sched_getaffinity");
        std::exit(2);
    }
    int cpu = requested;
    if (cpu < 0) {
        // CPU 0 usually takes more of the machine's interrupts.
        for (int c = CPU_SETSIZE - 1; c >= 0 && cpu < 0; --c) {
            if (CPU_ISSET(c, &allowed)) {
                cpu = c;
            }
        }
    } else if (!CPU_ISSET(cpu, &allowed)) {
        std::fprintf(stderr, "error: CPU %d is not in this process's affinity mask\n", cpu);
        std::exit(2);
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof(one), &one) != 0) {
        std::perror("sched_setaffinity");
        std::exit(2);
    }
    return cpu;
}

void print_header_row() {
    std::printf("%-20s %-9s %6s %7s %8s %8s %7s %7s %8s %10s %6s %6s\n", "allocator", "operation",
                "min", "median", "mean", "tmean", "p99", "p99.9", "p99.99", "max", ">=4us",
                "noise");
}

void print_row(const std::string& name, const char* operation, const Summary& s,
               double noise_rate) {
    std::printf("%-20s %-9s %6llu %7llu %8.1f %8.1f %7llu %7llu %8llu %10llu %6zu %6.0f\n",
                name.c_str(), operation, static_cast<unsigned long long>(s.min),
                static_cast<unsigned long long>(s.median), s.mean, s.trimmed_mean,
                static_cast<unsigned long long>(s.p99), static_cast<unsigned long long>(s.p999),
                static_cast<unsigned long long>(s.p9999), static_cast<unsigned long long>(s.max),
                s.slow, noise_rate * s.fast_ticks);
}

// Interrupts delivered to `cpu` so far, summed over every per-CPU line of /proc/interrupts;
// -1 when the file cannot be read.
long long interrupts_on(int cpu) {
    std::ifstream file("/proc/interrupts");
    std::string line;
    if (!std::getline(file, line)) {
        return -1;
    }
    std::istringstream header(line);
    std::string name;
    int column = -1;
    int cpus = 0;
    while (header >> name) {
        if (name == "CPU" + std::to_string(cpu)) {
            column = cpus;
        }
        ++cpus;
    }
    if (column < 0) {
        return -1;
    }
    long long total = 0;
    while (std::getline(file, line)) {
        std::istringstream fields(line);
        std::string label;
        fields >> label;
        std::vector<long long> counts;
        long long count = 0;
        while (static_cast<int>(counts.size()) < cpus && fields >> count) {
            counts.push_back(count);
        }
        if (static_cast<int>(counts.size()) == cpus) { // ERR: and MIS: are not per CPU
            total += counts[static_cast<size_t>(column)];
        }
    }
    return total;
}

std::string ratio(double value, double reference) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.2f", reference > 0 ? value / reference : 0.0);
    return text;
}

} // namespace

int main(int argc, char** argv) {
    // First: it may re-execute the program, which must then see the original argv.
    const Jemalloc je = load_jemalloc(argv);

    Options options;
    if (!parse_options(argc, argv, &options)) {
        print_usage(stderr);
        return 3;
    }
    const int cpu = pin(options.cpu);
    // MCL_FUTURE also makes every later mapping resident as it is made: an allocator that grows
    // then pays for populating its pages inside the call, as it would in a locked process.
    const bool locked = options.lock_memory && mlockall(MCL_CURRENT | MCL_FUTURE) == 0;
    const int lock_error = errno;
    const EndRead end = has_rdtscp() ? EndRead::rdtscp : EndRead::fenced_rdtsc;

    std::printf("clockwork_bench_latency: per-call latency in TSC ticks\n%s",
                describe_versions(je).c_str());
    std::printf("allocator isolation:\n%s", verify_isolation(je).c_str());

    const Trace trace = make_trace(options.seed, options.live, options.calls);
    std::printf(
        "workload: seed 0x%llx; %llu allocate + %llu free calls timed per allocator "
        "after an unreported warm-up pass of the same trace; live set %llu blocks, each step frees "
        "a uniformly chosen one and allocates a new size in its place; sizes %s; peak "
        "live request bytes %zu; %llu interleaved rounds\n",
        static_cast<unsigned long long>(options.seed),
        static_cast<unsigned long long>(options.calls),
        static_cast<unsigned long long>(options.calls),
        static_cast<unsigned long long>(options.live), describe_sizes().c_str(),
        trace.peak_live_bytes, static_cast<unsigned long long>(options.rounds));
    if (options.lock_memory && !locked) {
        std::printf("memory: mlockall failed (%s); pages stay pageable\n",
                    std::strerror(lock_error));
    } else {
        std::printf("memory: %s\n",
                    locked ? "mlockall(MCL_CURRENT | MCL_FUTURE)" : "pageable (--no-mlock)");
    }
    std::printf("pinned to CPU %d; timer: lfence;rdtsc;lfence before the call, %s after\n", cpu,
                end == EndRead::rdtscp ? "rdtscp;lfence"
                                       : "lfence;rdtsc;lfence (this CPU reports no rdtscp)");

    const TimerReport timer = calibrate_timer(end);
    std::printf("TSC: %.1f MHz against CLOCK_MONOTONIC_RAW (1 tick = %.3f ns)\n", timer.mhz,
                1e3 / timer.mhz);
    std::printf("timer granularity: step %llu ticks (divides %.3f%% of %zu back-to-back unfenced "
                "rdtsc deltas; commonest delta %llu; GCD of all nonzero deltas %llu; smallest "
                "nonzero delta %llu; zero deltas %.3f%%)\n",
                static_cast<unsigned long long>(timer.dominant_step), timer.dominant_share * 100,
                kTimerSamples, static_cast<unsigned long long>(timer.commonest_delta),
                static_cast<unsigned long long>(timer.gcd),
                static_cast<unsigned long long>(timer.smallest_delta), timer.zero_share * 100);
    std::printf("timer overhead (empty measurement, %zu samples): min %llu, median %llu, mean "
                "%.1f, p99.99 %llu, max %llu ticks; included in every figure below\n\n",
                kTimerSamples, static_cast<unsigned long long>(timer.overhead.min),
                static_cast<unsigned long long>(timer.overhead.median), timer.overhead.mean,
                static_cast<unsigned long long>(timer.overhead.p9999),
                static_cast<unsigned long long>(timer.overhead.max));

    const size_t calls = static_cast<size_t>(options.calls);
    const size_t live = static_cast<size_t>(options.live);
    std::vector<std::unique_ptr<Lane>> lanes;
    lanes.push_back(std::make_unique<ContenderLane<ClockworkContender>>(
        "clockwork", calls, live, ClockworkContender(static_arena(0), kArenaBytes, false)));
    lanes.push_back(std::make_unique<ContenderLane<ClockworkContender>>(
        "clockwork_validate", calls, live, ClockworkContender(static_arena(1), kArenaBytes, true)));
    lanes.push_back(
        std::make_unique<ContenderLane<GlibcContender>>("glibc", calls, live, GlibcContender{}));
    lanes.push_back(std::make_unique<ContenderLane<JemallocContender>>("jemalloc", calls, live,
                                                                       JemallocContender{&je}));
    lanes.push_back(std::make_unique<ContenderLane<NoopContender>>("noop (noise floor)", calls,
                                                                   live, NoopContender{}));
    const size_t allocator_lanes = lanes.size() - 1;

    for (auto& lane : lanes) {
        lane->fill(trace);
    }
    run_interleaved(lanes, trace, 1, end); // warm-up: its samples are overwritten
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    const long long interrupts_before = interrupts_on(cpu);
    run_interleaved(lanes, trace, options.rounds, end);
    const long long interrupts_after = interrupts_on(cpu);

    rusage after{};
    getrusage(RUSAGE_SELF, &after);

    struct Result {
        Summary allocate;
        Summary free;
    };
    std::vector<Result> results;
    const double slow_ticks = std::ceil(kSlowNs * timer.mhz / 1e3);
    std::printf(
        "during the timed run: %lld interrupts on CPU %d, %ld involuntary and %ld "
        "voluntary context switches, %ld page faults (each lands in some sample's tail)\n",
        interrupts_before < 0 || interrupts_after < 0 ? -1LL : interrupts_after - interrupts_before,
        cpu, after.ru_nivcsw - before.ru_nivcsw, after.ru_nvcsw - before.ru_nvcsw,
        (after.ru_minflt - before.ru_minflt) + (after.ru_majflt - before.ru_majflt));
    for (auto& lane : lanes) {
        results.push_back({summarize(lane->allocate_ticks(), static_cast<uint64_t>(slow_ticks)),
                           summarize(lane->free_ticks(), static_cast<uint64_t>(slow_ticks))});
    }
    // The noop lane has no slow call of its own, so its slow samples per tick of exposure are
    // the machine's rate of interference; a lane whose count is near rate x its own exposure
    // has no slow call of its own either.
    const Result& noop = results.back();
    const double noise_rate = static_cast<double>(noop.allocate.slow + noop.free.slow) /
                              (noop.allocate.fast_ticks + noop.free.fast_ticks);
    std::printf("ticks; tmean = mean of the samples up to p99.9; percentiles are nearest-rank;\n"
                ">=4us = samples of at least %.0f ticks; noise = how many of those interference "
                "alone explains (the noop lane's rate per tick x this row's time)\n",
                slow_ticks);
    print_header_row();
    for (size_t i = 0; i < lanes.size(); ++i) {
        print_row(lanes[i]->name(), "allocate", results[i].allocate, noise_rate);
        print_row(lanes[i]->name(), "free", results[i].free, noise_rate);
    }
    for (auto& lane : lanes) {
        lane->drain();
    }

    const Result& base = results[0];
    std::printf("\nratio to clockwork (validation off), above 1: slower than clockwork\n");
    std::printf("%-20s %-9s %8s %8s %8s\n", "allocator", "operation", "median", "p99.99", "max");
    for (size_t i = 1; i < allocator_lanes; ++i) {
        const auto line = [&](const char* operation, const Summary& s, const Summary& b) {
            std::printf("%-20s %-9s %8s %8s %8s\n", lanes[i]->name().c_str(), operation,
                        ratio(static_cast<double>(s.median), static_cast<double>(b.median)).c_str(),
                        ratio(static_cast<double>(s.p9999), static_cast<double>(b.p9999)).c_str(),
                        ratio(static_cast<double>(s.max), static_cast<double>(b.max)).c_str());
        };
        line("allocate", results[i].allocate, base.allocate);
        line("free", results[i].free, base.free);
    }

    const Result& validating = results[1];
    std::printf("\nclockwork validation cost (validate=1 minus validate=0, ticks; tmean "
                "resolves below the %llu-tick step)\n",
                static_cast<unsigned long long>(timer.dominant_step));
    const auto cost = [](const char* operation, const Summary& on, const Summary& off) {
        std::printf(
            "  %-9s tmean %+.1f (%.1f -> %.1f, %+.1f%%), median %+lld, p99 %+lld, "
            "p99.99 %+lld\n",
            operation, on.trimmed_mean - off.trimmed_mean, off.trimmed_mean, on.trimmed_mean,
            off.trimmed_mean > 0 ? (on.trimmed_mean - off.trimmed_mean) / off.trimmed_mean * 100
                                 : 0.0,
            static_cast<long long>(on.median) - static_cast<long long>(off.median),
            static_cast<long long>(on.p99) - static_cast<long long>(off.p99),
            static_cast<long long>(on.p9999) - static_cast<long long>(off.p9999));
    };
    cost("allocate", validating.allocate, base.allocate);
    cost("free", validating.free, base.free);
    return 0;
}
