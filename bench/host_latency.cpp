// Per-call TSC ticks of the host allocator under the random workload, with the timer's own
// overhead and granularity (clockwork::host, docs/measurement.md). Prints a table; --json
// writes the same figures to a file of their own, marked non-canonical: host ticks vary from
// run to run and never enter an Evidence document.
#include <clockwork/host/host_latency.hpp>

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

constexpr const char* kUsage =
    "usage: clockwork_bench_host_latency [--calls N] [--warmup N] [--seed N] [--cpu N] "
    "[--arena BYTES] [--validate] [--json FILE]\n";

bool parse_number(const char* text, uint64_t& out) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(text, &end, 0);
    if (errno != 0 || end == text || *end != '\0') {
        return false;
    }
    out = value;
    return true;
}

} // namespace

int main(int argc, char** argv) {
    clockwork::host::HostWorkload workload;
    std::string json;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--validate") {
            workload.validate = true;
            continue;
        }
        if (i + 1 == argc) {
            llvm::errs() << "clockwork_bench_host_latency: error: " << flag << " needs a value\n"
                         << kUsage;
            return 3;
        }
        const char* value = argv[++i];
        uint64_t number = 0;
        const bool numeric = parse_number(value, number);
        if (flag == "--json") {
            json = value;
        } else if (flag == "--calls" && numeric && number > 0) {
            workload.calls = number;
        } else if (flag == "--warmup" && numeric) {
            workload.warmup_calls = number;
        } else if (flag == "--seed" && numeric) {
            workload.seed = number;
        } else if (flag == "--cpu" && numeric && number < 1024) {
            workload.cpu = static_cast<int>(number);
        } else if (flag == "--arena" && numeric) {
            workload.arena_bytes = number;
        } else {
            llvm::errs() << "clockwork_bench_host_latency: error: unknown flag or bad value: "
                         << flag << " " << value << "\n"
                         << kUsage;
            return 3;
        }
    }
    auto latency = clockwork::host::run_host_latency(workload);
    if (!latency) {
        llvm::errs() << "clockwork_bench_host_latency: " << llvm::toString(latency.takeError())
                     << '\n';
        return 3;
    }
    clockwork::host::print_host_latency(*latency, workload, llvm::outs());
    if (!json.empty()) {
        std::error_code ec;
        llvm::raw_fd_ostream file(json, ec, llvm::sys::fs::OF_Text);
        if (ec) {
            llvm::errs() << "clockwork_bench_host_latency: " << json
                         << ": error: cannot write: " << ec.message() << '\n';
            return 3;
        }
        clockwork::host::write_host_latency_json(*latency, workload, file);
    }
    return 0;
}
