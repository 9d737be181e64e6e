// The random workload on the avr Timer1 firmware under simavr (clockwork::runner, avr_timer1.hpp):
// every heap call timed by the firmware itself with Timer1 at clk/1, the timer-read overhead
// it measured subtracted. Prints the per-function table.
#include <clockwork/runner/avr_timer1.hpp>

#include <llvm/Support/raw_ostream.h>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace {

constexpr const char* kUsage =
    "usage: clockwork_bench_avr_timer1 --elf clockwork_timer1.elf [--calls N] [--seed N]\n";

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
    clockwork::runner::Timer1Workload workload;
    std::string elf;
    for (int i = 1; i < argc; i += 2) {
        const std::string flag = argv[i];
        if (i + 1 == argc) {
            llvm::errs() << "clockwork_bench_avr_timer1: error: " << flag << " needs a value\n"
                         << kUsage;
            return 3;
        }
        const char* value = argv[i + 1];
        uint64_t number = 0;
        const bool numeric = parse_number(value, number);
        if (flag == "--elf") {
            elf = value;
        } else if (flag == "--calls" && numeric && number > 0) {
            workload.calls = number;
        } else if (flag == "--seed" && numeric) {
            workload.seed = number;
        } else {
            llvm::errs() << "clockwork_bench_avr_timer1: error: unknown flag or bad value: " << flag
                         << " " << value << "\n"
                         << kUsage;
            return 3;
        }
    }
    if (elf.empty()) {
        llvm::errs() << "clockwork_bench_avr_timer1: error: --elf is required\n" << kUsage;
        return 3;
    }
    auto measured = clockwork::runner::run_timer1_random(elf, workload);
    if (!measured) {
        llvm::errs() << "clockwork_bench_avr_timer1: " << llvm::toString(measured.takeError())
                     << '\n';
        return 3;
    }
    clockwork::runner::print_timer1_measurement(*measured, llvm::outs());
    return 0;
}
