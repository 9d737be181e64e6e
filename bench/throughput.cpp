// Allocate/free throughput of the Clockwork heap, glibc malloc and jemalloc in one process, on
// one seeded trace. Prints Google Benchmark's table, then each allocator's calls per second as a
// ratio to the Clockwork heap's.
#include "contenders.hpp"
#include "workload.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace clockwork::bench;

// The trace is replayed cyclically; a power of two keeps the wrap a mask, the same few
// instructions for every allocator.
constexpr size_t kTraceOps = size_t{1} << 20;
constexpr size_t kMaxLive = size_t{1} << 16;

struct Options {
    uint64_t seed = kDefaultSeed;
    std::vector<size_t> lives{256, 8192};
};

void print_help() {
    benchmark::PrintDefaultHelp();
    std::fprintf(stdout,
                 "          [--seed=<n>]  trace seed (default 0x%llx)\n"
                 "          [--live=<n>[,<n>...]]  live-set sizes in blocks (default "
                 "256,8192; at most %zu)\n",
                 static_cast<unsigned long long>(kDefaultSeed), kMaxLive);
}

bool parse_lives(const char* text, std::vector<size_t>* out) {
    std::vector<size_t> lives;
    std::string rest = text;
    while (!rest.empty()) {
        const size_t comma = rest.find(',');
        const std::string item = rest.substr(0, comma);
        uint64_t live = 0;
        if (!parse_u64(item.c_str(), &live) || live == 0 || live > kMaxLive) {
            return false;
        }
        lives.push_back(static_cast<size_t>(live));
        rest = comma == std::string::npos ? std::string() : rest.substr(comma + 1);
    }
    *out = lives;
    return !lives.empty();
}

// Takes this program's flags out of argv, leaving Google Benchmark's and unknown ones.
bool parse_options(int* argc, char** argv, Options* options) {
    int kept = 1;
    for (int i = 1; i < *argc; ++i) {
        const char* arg = argv[i];
        if (std::strncmp(arg, "--seed=", 7) == 0) {
            if (!parse_u64(arg + 7, &options->seed)) {
                std::fprintf(stderr, "error: bad --seed: %s\n", arg + 7);
                return false;
            }
        } else if (std::strncmp(arg, "--live=", 7) == 0) {
            if (!parse_lives(arg + 7, &options->lives)) {
                std::fprintf(stderr, "error: bad --live: %s (1..%zu, comma-separated)\n", arg + 7,
                             kMaxLive);
                return false;
            }
        } else {
            argv[kept++] = argv[i];
        }
    }
    *argc = kept;
    return true;
}

template <class Contender>
bool replace(Contender& contender, std::vector<void*>& slots, Op op) {
    contender.release(slots[op.slot]);
    void* block = contender.allocate(op.size);
    if (block == nullptr) {
        return false;
    }
    // One store makes the block used as a program would use it, without turning the benchmark
    // into a memset benchmark.
    *static_cast<unsigned char*>(block) = static_cast<unsigned char>(op.size);
    slots[op.slot] = block;
    return true;
}

// One benchmark iteration is one Op: a free and an allocate, two calls.
template <class Contender>
void churn(benchmark::State& state, Contender& contender, const Trace& trace) {
    if constexpr (requires { contender.reset(); }) {
        contender.reset();
    }
    std::vector<void*> slots(trace.fill.size(), nullptr);
    bool ok = true;
    for (size_t i = 0; i < slots.size() && ok; ++i) {
        slots[i] = contender.allocate(trace.fill[i]);
        ok = slots[i] != nullptr;
    }
    // An untimed pass brings every allocator's caches, free lists and page mappings to the
    // steady state the timed loop measures.
    for (size_t i = 0; i < trace.ops.size() && ok; ++i) {
        ok = replace(contender, slots, trace.ops[i]);
    }
    if (!ok) {
        state.SkipWithError("out of memory");
    }
    const Op* ops = trace.ops.data();
    const size_t mask = trace.ops.size() - 1;
    size_t next = 0;
    for (auto _ : state) {
        if (!replace(contender, slots, ops[next])) {
            state.SkipWithError("out of memory");
            break;
        }
        next = (next + 1) & mask;
    }
    state.SetItemsProcessed(state.iterations() * 2);
    for (void* block : slots) {
        contender.release(block);
    }
}

// Google Benchmark's console table, and afterwards each run's calls per second as a ratio to
// the clockwork run of its group (the name up to the last '/').
class SummaryReporter : public benchmark::ConsoleReporter {
  public:
    SummaryReporter() : ConsoleReporter(OO_Tabular) {}

    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
            if (run.error_occurred || (run.run_type == Run::RT_Aggregate && !median)) {
                continue;
            }
            const auto rate = run.counters.find("items_per_second");
            if (rate != run.counters.end()) {
                record(run.run_name.str(), rate->second.value);
            }
        }
    }

    void print_summary() const {
        std::printf("\nsummary: calls/s counts allocate and free calls; ratio = calls/s / "
                    "clockwork's calls/s in the same group (above 1: faster than clockwork)\n");
        std::printf("%-18s %-20s %12s %12s %8s\n", "group", "allocator", "Mcalls/s", "ns/call",
                    "ratio");
        for (const auto& [name, rate] : rates_) {
            const size_t slash = name.rfind('/');
            const std::string group = name.substr(0, slash);
            const std::string allocator = name.substr(slash + 1);
            const double* reference = find(group + "/clockwork");
            char ratio[32] = "n/a";
            if (reference != nullptr && *reference > 0) {
                std::snprintf(ratio, sizeof(ratio), "%.2f", rate / *reference);
            }
            std::printf("%-18s %-20s %12.2f %12.2f %8s\n", group.c_str(), allocator.c_str(),
                        rate / 1e6, rate > 0 ? 1e9 / rate : 0.0, ratio);
        }
    }

  private:
    void record(const std::string& name, double rate) {
        for (auto& entry : rates_) {
            if (entry.first == name) {
                entry.second = rate;
                return;
            }
        }
        rates_.emplace_back(name, rate);
    }
    const double* find(const std::string& name) const {
        for (const auto& entry : rates_) {
            if (entry.first == name) {
                return &entry.second;
            }
        }
        return nullptr;
    }

    std::vector<std::pair<std::string, double>> rates_;
};

} // namespace

int main(int argc, char** argv) {
    // First: it may re-execute the program, which must then see the original argv.
    const Jemalloc je = load_jemalloc(argv);

    benchmark::Initialize(&argc, argv, print_help);
    Options options;
    if (!parse_options(&argc, argv, &options)) {
        return 1;
    }
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }

    std::printf("clockwork_bench_throughput: Google Benchmark " CLOCKWORK_BENCHMARK_VERSION "\n%s",
                describe_versions(je).c_str());
    std::printf("allocator isolation:\n%s", verify_isolation(je).c_str());
    std::printf("workload: seed 0x%llx; sizes %s; live set of N blocks, each iteration frees a "
                "uniformly chosen one and allocates a new size in its place; trace of %zu "
                "iterations replayed cyclically after one untimed pass\n",
                static_cast<unsigned long long>(options.seed), describe_sizes().c_str(), kTraceOps);

    ClockworkContender clockwork(static_arena(0), kArenaBytes, false);
    ClockworkContender clockwork_validate(static_arena(1), kArenaBytes, true);
    GlibcContender glibc;
    JemallocContender jemalloc{&je};

    std::deque<Trace> traces;
    for (const size_t live : options.lives) {
        const Trace& trace = traces.emplace_back(make_trace(options.seed, live, kTraceOps));
        std::printf("  live:%zu: peak live request bytes %zu\n", live, trace.peak_live_bytes);
        const std::string group = "churn/live:" + std::to_string(live) + "/";
        benchmark::RegisterBenchmark((group + "clockwork").c_str(),
                                     [&](benchmark::State& s) { churn(s, clockwork, trace); });
        benchmark::RegisterBenchmark(
            (group + "clockwork_validate").c_str(),
            [&](benchmark::State& s) { churn(s, clockwork_validate, trace); });
        benchmark::RegisterBenchmark((group + "glibc").c_str(),
                                     [&](benchmark::State& s) { churn(s, glibc, trace); });
        benchmark::RegisterBenchmark((group + "jemalloc").c_str(),
                                     [&](benchmark::State& s) { churn(s, jemalloc, trace); });
    }
    std::fflush(stdout);

    SummaryReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.print_summary();
    benchmark::Shutdown();
    return 0;
}
