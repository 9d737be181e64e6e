#include "measure_command.hpp"

#include "evidence_output.hpp"
#include "exit_codes.hpp"

#if CLOCKWORK_HOST_TIMER
#include <clockwork/host/host_latency.hpp>
#endif
#include <clockwork/runner/avr_timer1.hpp>
#include <clockwork/runner/machine.hpp>
#include <clockwork/workloads/adversarial_workload.hpp>
#include <clockwork/workloads/random_workload.hpp>
#include <clockwork/workloads/search_workload.hpp>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/SHA256.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace clockwork::cli {
namespace {

constexpr const char* kVerb = "measure";

struct MeasureOptions {
    std::string target;
    std::string elf;
    std::string workload = "random";
    std::string json;
    uint64_t seed = 42;
    bool timer1 = false; // avr: the Timer1 firmware times each call
    bool native = false; // x86-64: the host build timed with the TSC
    uint64_t arena = 0;  // 0: the workload's own default
    workloads::RandomWorkload random;
    // search
    uint64_t executions = 5000;
    std::vector<std::string> functions;
    std::vector<std::string> goals; // "N" for every function, or "FUNCTION=N"
    std::string metric = "instructions";
    uint64_t max_operations = 24;
    bool progress = false;
    uint64_t progress_every = 1000;
};

struct Measured {
    workloads::WorkloadResult result;
    std::vector<std::string> notes; // printed after the table
};

void append(workloads::WorkloadResult& into, workloads::WorkloadResult&& from) {
    std::move(from.measurements.begin(), from.measurements.end(),
              std::back_inserter(into.measurements));
    std::move(from.witnesses.begin(), from.witnesses.end(), std::back_inserter(into.witnesses));
}

// "--goal 107" sets every function's goal, "--goal cw_heap_free=101" one function's; the last
// word on a function wins. Errors name the value.
std::optional<std::map<std::string, uint64_t>>
read_goals(const std::vector<std::string>& goals, const std::vector<std::string>& functions) {
    std::map<std::string, uint64_t> by_function;
    for (const std::string& goal : goals) {
        llvm::StringRef function, value;
        std::tie(function, value) = llvm::StringRef(goal).rsplit('=');
        if (value.empty()) {
            value = function;
            function = "";
        }
        uint64_t cost = 0;
        if (value.getAsInteger(10, cost) || cost == 0 ||
            (!function.empty() && llvm::find(functions, function.str()) == functions.end())) {
            usage_error(kVerb, "--goal " + goal + " is not a cost or FUNCTION=cost",
                        "give a whole number, or one of the searched functions (--function) "
                        "with its cost, e.g. cw_heap_free=101");
            return std::nullopt;
        }
        for (const std::string& searched : functions) {
            if (function.empty() || function == searched) {
                by_function[searched] = cost;
            }
        }
    }
    return by_function;
}

// Returns an exit code when the search cannot run or fails.
std::variant<Measured, int> run_search(runner::Machine& machine, const MeasureOptions& o) {
    std::vector<std::string> functions = o.functions;
    if (functions.empty()) {
        functions = {"cw_heap_allocate", "cw_heap_free"};
    }
    const auto goals = read_goals(o.goals, functions);
    if (!goals) {
        return kExitUsage;
    }
    if (o.metric != "instructions" && o.metric != "cycles") {
        return usage_error(kVerb, "--metric " + o.metric + " is not a metric",
                           "use instructions or cycles");
    }
    const bool show_progress = o.progress || llvm::sys::Process::StandardErrIsDisplayed();
    Measured measured;
    for (const std::string& function : functions) {
        workloads::SearchWorkload workload;
        if (o.arena != 0) {
            workload.heap.arena_bytes = o.arena;
        }
        workload.function = function;
        workload.metric =
            o.metric == "cycles" ? reports::Metric::cycles : reports::Metric::instructions;
        workload.search.seed = o.seed;
        workload.search.executions = o.executions;
        workload.search.max_records = o.max_operations;
        if (const auto goal = goals->find(function); goal != goals->end()) {
            workload.search.goal = goal->second;
        }
        if (show_progress) {
            workload.search.progress_interval = o.progress_every;
            workload.search.progress = [&](const workloads::SearchProgress& progress) {
                std::cerr << "measure: search " << function << ": " << progress.executions << "/"
                          << o.executions << " executions, highest " << progress.best_cost << ", "
                          << progress.corpus_size << " inputs kept\n";
            };
        }
        auto result = workloads::run_search(machine, workload);
        if (!result) {
            std::cerr << "clockwork measure: " << o.elf
                      << ": error: " << llvm::toString(result.takeError()) << '\n';
            return kExitUsage;
        }
        std::string note = "search " + function + ": highest " +
                           std::to_string(result->search.best_cost) + " at execution " +
                           std::to_string(result->search.executions_to_best) + " of " +
                           std::to_string(result->search.executions);
        if (workload.search.goal) {
            note += result->search.goal_reached
                        ? " (goal " + std::to_string(*workload.search.goal) + " reached)"
                        : " (goal " + std::to_string(*workload.search.goal) + " not reached)";
        }
        measured.notes.push_back(std::move(note));
        append(measured.result, std::move(result->workload));
    }
    return measured;
}

// --timer1 and --native print statistics of their own; neither enters the Evidence.
int run_timed(const MeasureOptions& o) {
    if (o.native) {
#if !CLOCKWORK_HOST_TIMER
        return usage_error(kVerb, "--native needs an x86-64 host",
                           "this clockwork was built without TSC timing");
#else
        if (o.target != "x86-64") {
            return usage_error(kVerb, "--native times the host build", "use --target x86-64");
        }
        host::HostWorkload workload;
        workload.seed = o.seed;
        workload.calls = o.random.calls;
        auto latency = host::run_host_latency(workload);
        if (!latency) {
            std::cerr << "clockwork measure: " << llvm::toString(latency.takeError()) << '\n';
            return kExitUsage;
        }
        host::print_host_latency(*latency, workload, llvm::outs());
        return kExitPass;
#endif
    }
    if (o.target != "avr") {
        return usage_error(
            kVerb, "--timer1 runs the avr Timer1 firmware",
            "use --target avr --elf build/targets/avr/firmware/clockwork_timer1.elf");
    }
    runner::Timer1Workload workload;
    workload.seed = o.seed;
    workload.calls = o.random.calls;
    auto measured = runner::run_timer1_random(o.elf, workload);
    if (!measured) {
        std::cerr << "clockwork measure: " << llvm::toString(measured.takeError()) << '\n';
        return kExitUsage;
    }
    runner::print_timer1_measurement(*measured, llvm::outs());
    return kExitPass;
}

int run_measure(const MeasureOptions& o) {
    if (o.native) {
        return run_timed(o);
    }
    if (o.elf.empty()) {
        return usage_error(kVerb, "--elf is required",
                           "pass the image the cross build produced, e.g. "
                           "build/targets/" +
                               o.target + "/clockwork_heap.elf");
    }
    if (o.timer1) {
        return run_timed(o);
    }
    if (o.workload != "random" && o.workload != "adversarial" && o.workload != "search") {
        return usage_error(kVerb, "unknown workload '" + o.workload + "'",
                           "use one of random, adversarial, search");
    }
    if (o.random.calls == 0) {
        return usage_error(kVerb, "--calls must be at least 1", "");
    }
    if (o.executions == 0) {
        return usage_error(kVerb, "--executions must be at least 1", "");
    }
    if (o.max_operations == 0) {
        return usage_error(kVerb, "--max-operations must be at least 1", "");
    }
    auto machine = runner::Machine::load(o.elf, o.target);
    if (!machine) {
        std::cerr << "clockwork measure: " << llvm::toString(machine.takeError()) << '\n';
        return kExitUsage;
    }
    Measured measured;
    if (o.workload == "search") {
        auto searched = run_search(**machine, o);
        if (const int* code = std::get_if<int>(&searched)) {
            return *code;
        }
        measured = std::move(std::get<Measured>(searched));
    } else {
        llvm::Expected<workloads::WorkloadResult> result = workloads::WorkloadResult{};
        if (o.workload == "random") {
            workloads::RandomWorkload random = o.random;
            random.seed = o.seed;
            if (o.arena != 0) {
                random.arena_bytes = o.arena;
            }
            result = workloads::run_random(**machine, random);
        } else {
            workloads::AdversarialWorkload adversarial;
            if (o.arena != 0) {
                adversarial.heap.arena_bytes = o.arena;
            }
            result = workloads::run_adversarial(**machine, adversarial);
        }
        if (!result) {
            std::cerr << "clockwork measure: " << o.elf
                      << ": error: " << llvm::toString(result.takeError()) << '\n';
            return kExitUsage;
        }
        measured.result = std::move(*result);
    }

    std::cout << std::left << std::setw(20) << "function" << std::setw(14) << "metric" << std::right
              << std::setw(8) << "calls" << std::setw(10) << "lowest" << std::setw(10) << "highest"
              << '\n';
    for (const reports::Measurement& m : measured.result.measurements) {
        std::cout << std::left << std::setw(20) << m.function << std::setw(14)
                  << (m.metric == reports::Metric::instructions ? "instructions" : "cycles")
                  << std::right << std::setw(8) << m.calls << std::setw(10) << m.lowest
                  << std::setw(10) << m.highest << '\n';
    }
    for (const std::string& note : measured.notes) {
        std::cout << note << '\n';
    }
    if (o.json.empty()) {
        return kExitPass;
    }
    reports::Evidence evidence = new_evidence();
    const auto sha256 = file_sha256(o.elf);
    if (!sha256) {
        return usage_error(kVerb, "cannot read " + o.elf, "");
    }
    evidence.inputs.push_back({"elf", o.elf, *sha256});
    evidence.measurements = std::move(measured.result.measurements);
    evidence.witnesses = std::move(measured.result.witnesses);
    return write_evidence(kVerb, o.json, evidence);
}

} // namespace

std::function<int()> add_measure_command(CLI::App& app) {
    auto options = std::make_shared<MeasureOptions>();
    CLI::App* measure = app.add_subcommand(
        "measure", "Run a workload on the target's emulator and measure every call");
    measure->add_option("--target", options->target, "cortex-m4 | rv32imc | avr | x86-64")
        ->required();
    measure->add_option("--elf", options->elf,
                        "The heap image the cross build produced (all but --native)");
    measure->add_option("--workload", options->workload,
                        "random (default) | adversarial (sequences designed from the heap's "
                        "worst paths) | search (cost-guided worst-case search)");
    measure->add_option("--json", options->json, "Write the Evidence JSON here");
    measure->add_option("--calls", options->random.calls, "random: calls to make (default 20000)");
    measure->add_option("--seed", options->seed,
                        "Seed of the random or search workload (default 42)");
    measure->add_option("--arena", options->arena,
                        "Arena bytes (default 65536), clipped to the emulator's scratch memory");
    measure->add_option("--executions", options->executions,
                        "search: sequences to run per function at most (default 5000)");
    measure->add_option("--function", options->functions,
                        "search: function to maximise, repeatable (default cw_heap_allocate "
                        "and cw_heap_free; also cw_heap_reallocate)");
    measure->add_option("--goal", options->goals,
                        "search: stop when a call reaches this cost (the analyzer's bound); N "
                        "for every function or FUNCTION=N, repeatable");
    measure->add_option("--metric", options->metric,
                        "search: instructions (default) or cycles (avr)");
    measure->add_option("--max-operations", options->max_operations,
                        "search: operations per sequence at most (default 24)");
    measure->add_flag("--timer1", options->timer1,
                      "avr: run the Timer1 firmware given as --elf; it times every call itself");
    measure->add_flag("--native", options->native,
                      "x86-64: time the host build with the TSC (statistics, not evidence)");
    measure->add_flag("--progress", options->progress,
                      "search: progress lines on stderr (on by default when stderr is a "
                      "terminal)");
    measure->add_option("--progress-every", options->progress_every,
                        "search: executions between progress lines (default 1000)");
    return [measure, options]() { return measure->parsed() ? run_measure(*options) : -1; };
}

} // namespace clockwork::cli
