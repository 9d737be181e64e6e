#include "measure_command.hpp"

#include "evidence_output.hpp"
#include "exit_codes.hpp"

#include <clockwork/runner/machine.hpp>
#include <clockwork/workloads/random_workload.hpp>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SHA256.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>

namespace clockwork::cli {
namespace {

constexpr const char* kVerb = "measure";

struct MeasureOptions {
    std::string target;
    std::string elf;
    std::string workload = "random";
    std::string json;
    workloads::RandomWorkload random;
};

int run_measure(const MeasureOptions& o) {
    if (o.workload != "random") {
        return usage_error(kVerb, "unknown workload '" + o.workload + "'",
                           "this build has the random workload (adversarial and search come "
                           "with the worst-case search)");
    }
    if (o.random.calls == 0) {
        return usage_error(kVerb, "--calls must be at least 1", "");
    }
    auto machine = runner::Machine::load(o.elf, o.target);
    if (!machine) {
        std::cerr << "clockwork measure: " << llvm::toString(machine.takeError()) << '\n';
        return kExitUsage;
    }
    auto result = workloads::run_random(**machine, o.random);
    if (!result) {
        std::cerr << "clockwork measure: " << o.elf
                  << ": error: " << llvm::toString(result.takeError()) << '\n';
        return kExitUsage;
    }

    std::cout << std::left << std::setw(20) << "function" << std::setw(14) << "metric" << std::right
              << std::setw(8) << "calls" << std::setw(10) << "lowest" << std::setw(10) << "highest"
              << '\n';
    for (const reports::Measurement& m : result->measurements) {
        std::cout << std::left << std::setw(20) << m.function << std::setw(14)
                  << (m.metric == reports::Metric::instructions ? "instructions" : "cycles")
                  << std::right << std::setw(8) << m.calls << std::setw(10) << m.lowest
                  << std::setw(10) << m.highest << '\n';
    }
    if (o.json.empty()) {
        return kExitPass;
    }
    reports::Evidence evidence = new_evidence();
    auto bytes = llvm::MemoryBuffer::getFile(o.elf, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    if (!bytes) {
        return usage_error(kVerb, "cannot read " + o.elf, "");
    }
    llvm::SHA256 hash;
    hash.update((*bytes)->getBuffer());
    evidence.inputs.push_back({"elf", o.elf, llvm::toHex(hash.final(), /*LowerCase=*/true)});
    evidence.measurements = std::move(result->measurements);
    evidence.witnesses = std::move(result->witnesses);
    return write_evidence(kVerb, o.json, evidence);
}

} // namespace

std::function<int()> add_measure_command(CLI::App& app) {
    auto options = std::make_shared<MeasureOptions>();
    CLI::App* measure = app.add_subcommand(
        "measure", "Run a workload on the target's emulator and measure every call");
    measure->add_option("--target", options->target, "cortex-m4 | rv32imc | avr | x86-64")
        ->required();
    measure->add_option("--elf", options->elf, "The heap image the cross build produced")
        ->required();
    measure->add_option("--workload", options->workload, "random (default)");
    measure->add_option("--json", options->json, "Write the Evidence JSON here");
    measure->add_option("--calls", options->random.calls, "Calls to make (default 20000)");
    measure->add_option("--seed", options->random.seed, "Seed of the workload (default 42)");
    measure->add_option("--arena", options->random.arena_bytes,
                        "Arena bytes (default 65536, clipped to the emulator's scratch memory)");
    return [measure, options]() { return measure->parsed() ? run_measure(*options) : -1; };
}

} // namespace clockwork::cli
