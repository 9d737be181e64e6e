#include "analyze_command.hpp"

#include "evidence_output.hpp"
#include "exit_codes.hpp"
#include "proven_loop_bounds.hpp"

#include <clockwork/analyzer/analysis.hpp>
#include <clockwork/analyzer/binary/program.hpp>
#include <clockwork/analyzer/source/flow_facts.hpp>

#include <llvm/Support/Error.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace clockwork::cli {
namespace {

struct AnalyzeOptions {
    std::string target;
    std::string elf;
    std::vector<std::string> functions;
    std::vector<std::string> metrics{"instructions"};
    std::string json;
    std::string compile_commands;
    std::vector<std::string> sources;
    unsigned wait_states = 0;
    long long indirect_call_cost = -1;
    std::vector<std::string> never_called;
    std::string proofs;    // a clockwork verify Evidence: the loop bounds it proves
    std::string allocator; // the ELF's allocator configuration, which proofs must have been made on
};

constexpr const char* kVerb = "analyze";

// Library errors already read "where: error: what; note: fix"; print them as they are.
int input_error(llvm::Error error) {
    std::cerr << "clockwork analyze: " << llvm::toString(std::move(error)) << '\n';
    return kExitUsage;
}

std::string metric_name(reports::Metric metric) {
    return metric == reports::Metric::instructions ? "instructions" : "cycles";
}

std::string describe_loops(const reports::Bound& bound) {
    if (bound.loops.empty()) {
        return "-";
    }
    // One entry per source location: a loop the compiler split or inlined twice is one bound.
    std::vector<std::string> seen;
    for (const reports::LoopBound& loop : bound.loops) {
        const std::string file = loop.location.file.substr(loop.location.file.rfind('/') + 1);
        std::string provenance = loop.proven ? "proven"
                                 : loop.provenance == reports::LoopBoundProvenance::derived
                                     ? "derived"
                                     : "annotated";
        std::string entry = file + ":" + std::to_string(loop.location.line) +
                            " <= " + std::to_string(loop.bound) + " (" + provenance + ")";
        if (std::find(seen.begin(), seen.end(), entry) == seen.end()) {
            seen.push_back(std::move(entry));
        }
    }
    std::string out;
    for (const std::string& entry : seen) {
        out += (out.empty() ? "" : ", ") + entry;
    }
    return out;
}

int run_analyze(const AnalyzeOptions& o) {
    const auto target = analyzer::binary::find_target(o.target);
    if (!target) {
        return usage_error(kVerb, "unknown target '" + o.target + "'",
                           std::string("use one of ") + analyzer::binary::target_names());
    }
    std::vector<reports::Metric> metrics;
    for (const std::string& name : o.metrics) {
        if (name == "instructions") {
            metrics.push_back(reports::Metric::instructions);
        } else if (name == "cycles") {
            if (!target->has_cycle_model) {
                return usage_error(kVerb, "--metric cycles has no bound on " + o.target,
                                   "an out-of-order core has no static cycle bound; use "
                                   "--metric instructions");
            }
            metrics.push_back(reports::Metric::cycles);
        } else {
            return usage_error(kVerb, "unknown metric '" + name + "'",
                               "use instructions or cycles");
        }
    }

    auto program = analyzer::binary::Program::load(o.elf, *target);
    if (!program) {
        return input_error(program.takeError());
    }
    std::vector<std::string> sources = o.sources;
    if (sources.empty()) {
        sources = (*program)->compile_unit_sources();
    }
    const std::string elf = o.elf;
    const std::string compile_commands = o.compile_commands;
    analyzer::FlowFactsProvider facts = [&]() -> llvm::Expected<analyzer::source::FlowFacts> {
        if (compile_commands.empty()) {
            return llvm::createStringError(
                llvm::inconvertibleErrorCode(),
                elf + ": error: a function has loops, whose bounds are read from its sources; "
                      "note: pass --compile-commands DIR, the directory with the "
                      "compile_commands.json of the build that made the ELF");
        }
        if (sources.empty()) {
            return llvm::createStringError(
                llvm::inconvertibleErrorCode(),
                elf + ": error: the ELF has no debug information naming its sources; note: "
                      "build with -g, or give the sources with --source");
        }
        return analyzer::source::collect_flow_facts(compile_commands, sources);
    };

    std::vector<analyzer::source::RuleBreach> breaches;
    reports::Evidence evidence = new_evidence();
    evidence.inputs.push_back({"elf", o.elf, (*program)->sha256()});
    std::vector<analyzer::AnalysisOptions::ProvenLoopBound> proven;
    if (!o.proofs.empty()) {
        if (o.allocator.empty()) {
            return usage_error("analyze", "--proofs needs --allocator",
                               "name the allocator configuration the ELF was built with (heap "
                               "for the default; heap-halffit, ...): a proof holds only for the "
                               "configuration it was made on");
        }
        auto verified = read_evidence(o.proofs);
        if (const auto* failure = std::get_if<std::string>(&verified)) {
            std::cerr << "clockwork analyze: " << *failure
                      << "; note: pass the Evidence JSON that clockwork verify --json wrote\n";
            return kExitUsage;
        }
        auto read = proven_loop_bounds(std::get<reports::Evidence>(verified), o.proofs, o.target,
                                       o.allocator);
        if (const auto* failure = std::get_if<std::string>(&read)) {
            std::cerr << "clockwork analyze: " << *failure << '\n';
            return kExitUsage;
        }
        proven = std::move(std::get<0>(read));
        evidence.inputs.push_back({"proofs", o.proofs, file_sha256(o.proofs).value_or("")});
    }

    for (reports::Metric metric : metrics) {
        analyzer::AnalysisOptions options;
        options.metric = metric;
        options.flash_wait_states = o.wait_states;
        if (o.indirect_call_cost >= 0) {
            options.indirect_call_cost = static_cast<uint64_t>(o.indirect_call_cost);
        }
        options.never_called = o.never_called;
        options.proven_loop_bounds = proven;
        auto analyzer = analyzer::Analyzer::create(**program, facts, options);
        if (!analyzer) {
            return input_error(analyzer.takeError());
        }
        for (const std::string& function : o.functions) {
            auto bound = (*analyzer)->analyze(function);
            if (!bound) {
                return input_error(bound.takeError());
            }
            evidence.bounds.push_back(std::move(*bound));
        }
        if (const analyzer::source::FlowFacts* read = (*analyzer)->loaded_facts();
            read != nullptr && breaches.empty()) {
            breaches = read->breaches;
        }
    }
    // Constructs the static bound cannot see through, as the sources show them; the binary
    // analysis above has already refused or charged (with a stated assumption) each one it met.
    for (const analyzer::source::RuleBreach& breach : breaches) {
        std::cerr << breach.file << ':' << breach.line << ':' << breach.column
                  << ": warning: " << analyzer::source::rule_name(breach.rule).str() << " in "
                  << (breach.function.empty() ? "a static initializer" : breach.function) << ": "
                  << breach.message << '\n';
    }

    size_t width = 28;
    for (const reports::Bound& bound : evidence.bounds) {
        width = std::max(width, bound.function.size() + 2);
    }
    const int name_width = static_cast<int>(width);
    std::cout << std::left << std::setw(name_width) << "function" << std::setw(14) << "metric"
              << std::right << std::setw(10) << "bound"
              << "  loops\n";
    for (const reports::Bound& bound : evidence.bounds) {
        std::cout << std::left << std::setw(name_width) << bound.function << std::setw(14)
                  << metric_name(bound.metric) << std::right << std::setw(10) << bound.value << "  "
                  << describe_loops(bound) << '\n';
    }
    if (o.target == "x86-64") {
        std::cout << "note: x86-64 is bounded in instructions only; an out-of-order core has no "
                     "static cycle bound\n";
    }
    return o.json.empty() ? kExitPass : write_evidence(kVerb, o.json, evidence);
}

} // namespace

std::function<int()> add_analyze_command(CLI::App& app) {
    auto options = std::make_shared<AnalyzeOptions>();
    CLI::App* analyze =
        app.add_subcommand("analyze", "Static worst-case bound of functions in a shipped ELF");
    analyze->add_option("--target", options->target, "cortex-m4 | rv32imc | avr | x86-64")
        ->required();
    analyze->add_option("--elf", options->elf, "The ELF the cross build produced")->required();
    analyze->add_option("--function", options->functions, "Function symbol to bound (repeatable)")
        ->required();
    analyze->add_option("--metric", options->metrics,
                        "instructions (default) | cycles (repeatable)");
    analyze->add_option("--json", options->json, "Write the Evidence JSON here");
    analyze->add_option(
        "--compile-commands", options->compile_commands,
        "Directory with the compile_commands.json of the ELF's build (loop bounds)");
    analyze->add_option("--source", options->sources,
                        "Source file to read loop bounds from (default: the ELF's DWARF units)");
    analyze->add_option("--wait-states", options->wait_states,
                        "cortex-m4: flash wait states (default 0)");
    analyze->add_option("--assume-indirect-call-cost", options->indirect_call_cost,
                        "Cost charged for each call through a function pointer (an assumption)");
    analyze->add_option("--never-called", options->never_called,
                        "Function assumed never to run in this configuration (repeatable)");
    analyze->add_option("--proofs", options->proofs,
                        "Evidence JSON of clockwork verify: the loop bounds it proves are marked "
                        "proven, the others stay assumed");
    analyze->add_option("--allocator", options->allocator,
                        "With --proofs: the allocator configuration the ELF was built with "
                        "(heap, heap-halffit); only proofs made on it apply");
    return [analyze, options]() { return analyze->parsed() ? run_analyze(*options) : -1; };
}

} // namespace clockwork::cli
