#include "certify_command.hpp"

#include "certify_config.hpp"
#include "evidence_output.hpp"
#include "exit_codes.hpp"
#include "proven_loop_bounds.hpp"

#include <clockwork/analyzer/analysis.hpp>
#include <clockwork/reports/atomic_file.hpp>
#include <clockwork/reports/audit_report.hpp>
#include <clockwork/reports/gate_reports.hpp>
#include <clockwork/runner/machine.hpp>
#include <clockwork/workloads/adversarial_workload.hpp>
#include <clockwork/workloads/random_workload.hpp>
#include <clockwork/workloads/search_workload.hpp>
#include <clockwork/workloads/workload_tally.hpp>

#include <llvm/Support/Error.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

namespace clockwork::cli {
namespace {

constexpr const char* kVerb = "certify";

struct CertifyOptions {
    std::string config = "clockwork.json";
    std::string out = "build/reports";
};

std::string metric_name(reports::Metric metric) {
    return metric == reports::Metric::instructions ? "instructions" : "cycles";
}

// The heap functions the search workload can maximise.
bool searchable(const std::string& function) {
    return function == "cw_heap_allocate" || function == "cw_heap_free" ||
           function == "cw_heap_reallocate";
}

int input_error(const std::string& what) {
    std::cerr << "clockwork certify: " << what << '\n';
    return kExitUsage;
}

// Bounds and budget checks of one target, then its measurements and the cross-check.
// `verified`: the verifier's Evidence when it passed, whose loop-bound proofs on this entry's
// target and allocator are marked proven.
int certify_target(const CertifyConfig& config, const CertifyTarget& entry,
                   const reports::Evidence* verified, reports::Evidence& evidence) {
    const auto target = analyzer::binary::find_target(entry.target);
    std::vector<analyzer::AnalysisOptions::ProvenLoopBound> proven;
    if (verified != nullptr) {
        auto loops = proven_loop_bounds(*verified, config.proofs, entry.target, entry.allocator);
        if (const auto* failure = std::get_if<std::string>(&loops)) {
            return input_error(*failure);
        }
        proven = std::move(std::get<0>(loops));
    }
    std::cerr << "certify: " << entry.target << " " << entry.allocator << ": analysing "
              << entry.elf << '\n';
    // This entry's bounds: another entry may bound the same target (another allocator).
    const size_t first_bound = evidence.bounds.size();
    auto program = analyzer::binary::Program::load(entry.elf, *target);
    if (!program) {
        return input_error(llvm::toString(program.takeError()));
    }
    evidence.inputs.push_back({"elf", entry.elf, (*program)->sha256()});
    const std::vector<std::string> sources = (*program)->compile_unit_sources();
    const std::string commands = entry.compile_commands;
    for (reports::Metric metric : {reports::Metric::instructions, reports::Metric::cycles}) {
        analyzer::AnalysisOptions options;
        options.metric = metric;
        options.never_called = entry.never_called;
        options.proven_loop_bounds = proven;
        if (entry.indirect_call_cost >= 0) {
            options.indirect_call_cost = static_cast<uint64_t>(entry.indirect_call_cost);
        }
        std::unique_ptr<analyzer::Analyzer> analyzer;
        for (const auto& [function, budgets] : entry.budgets) {
            const auto budget = budgets.find(metric);
            if (budget == budgets.end()) {
                continue;
            }
            if (!analyzer) {
                auto created = analyzer::Analyzer::create(
                    **program,
                    [&]() { return analyzer::source::collect_flow_facts(commands, sources); },
                    options);
                if (!created) {
                    return input_error(llvm::toString(created.takeError()));
                }
                analyzer = std::move(*created);
            }
            auto bound = analyzer->analyze(function);
            if (!bound) {
                return input_error(llvm::toString(bound.takeError()));
            }
            bound->allocator = entry.allocator;
            reports::BudgetCheck check;
            check.target = entry.target;
            check.allocator = entry.allocator;
            check.function = function;
            check.metric = metric;
            check.budget = budget->second;
            check.bound = bound->value;
            check.within = bound->value <= budget->second;
            evidence.budgets.push_back(std::move(check));
            evidence.bounds.push_back(std::move(*bound));
        }
    }

    std::cerr << "certify: " << entry.target << " " << entry.allocator << ": measuring "
              << config.workload.calls << " calls of the random workload\n";
    auto machine = runner::Machine::load(entry.elf, entry.target);
    if (!machine) {
        return input_error(llvm::toString(machine.takeError()));
    }
    workloads::RandomWorkload workload = config.workload;
    workload.validate = entry.validate;
    if (entry.target == "avr") { // 8 KiB of SRAM
        workload.small_request = 60;
        workload.large_request = 400;
    }
    auto measured = workloads::run_random(**machine, workload);
    if (!measured) {
        return input_error(entry.elf + ": error: " + llvm::toString(measured.takeError()));
    }
    if (config.adversarial) {
        std::cerr << "certify: " << entry.target << " " << entry.allocator
                  << ": measuring the adversarial sequences\n";
        workloads::AdversarialWorkload adversarial;
        adversarial.heap.validate = entry.validate;
        auto designed = workloads::run_adversarial(**machine, adversarial);
        if (!designed) {
            return input_error(entry.elf + ": error: " + llvm::toString(designed.takeError()));
        }
        workloads::merge_highest(*measured, std::move(*designed));
    }
    if (config.search_executions > 0) {
        for (const auto& [function, budgets] : entry.budgets) {
            if (!searchable(function)) {
                continue;
            }
            std::cerr << "certify: " << entry.target << " " << entry.allocator << ": searching "
                      << function << " for " << config.search_executions << " executions at most\n";
            workloads::SearchWorkload search;
            search.heap.validate = entry.validate;
            search.function = function;
            search.search.seed = config.workload.seed;
            search.search.executions = config.search_executions;
            for (size_t b = first_bound; b < evidence.bounds.size(); ++b) {
                const reports::Bound& bound = evidence.bounds[b];
                if (bound.function == function && bound.metric == reports::Metric::instructions) {
                    search.search.goal = bound.value;
                }
            }
            auto searched = workloads::run_search(**machine, search);
            if (!searched) {
                return input_error(entry.elf + ": error: " + llvm::toString(searched.takeError()));
            }
            workloads::merge_highest(*measured, std::move(searched->workload));
        }
    }
    // Witness ids name the allocator too, so that they stay unique across entries.
    for (reports::Measurement& measurement : measured->measurements) {
        measurement.allocator = entry.allocator;
        if (!measurement.witness.empty()) {
            measurement.witness = entry.allocator + "/" + measurement.witness;
        }
    }
    for (reports::Witness& witness : measured->witnesses) {
        witness.allocator = entry.allocator;
        witness.id = entry.allocator + "/" + witness.id;
    }
    for (const reports::Measurement& measurement : measured->measurements) {
        for (size_t b = first_bound; b < evidence.bounds.size(); ++b) {
            const reports::Bound& bound = evidence.bounds[b];
            if (bound.function == measurement.function && bound.metric == measurement.metric) {
                const double tightness = measurement.highest == 0
                                             ? 0.0
                                             : static_cast<double>(bound.value) /
                                                   static_cast<double>(measurement.highest);
                reports::CrossCheck check;
                check.target = bound.target;
                check.allocator = bound.allocator;
                check.function = bound.function;
                check.metric = bound.metric;
                check.bound = bound.value;
                check.highest_measured = measurement.highest;
                check.sound = measurement.highest <= bound.value;
                check.tightness = tightness;
                evidence.cross_checks.push_back(std::move(check));
            }
        }
    }
    for (auto& measurement : measured->measurements) {
        evidence.measurements.push_back(std::move(measurement));
    }
    for (auto& witness : measured->witnesses) {
        evidence.witnesses.push_back(std::move(witness));
    }
    return kExitPass;
}

void print_summary(const reports::Evidence& evidence) {
    std::cout << std::left << std::setw(11) << "target" << std::setw(14) << "allocator"
              << std::setw(20) << "function" << std::setw(14) << "metric" << std::right
              << std::setw(8) << "budget" << std::setw(8) << "bound" << std::setw(10) << "measured"
              << std::setw(11) << "tightness"
              << "  verdict\n";
    for (const reports::BudgetCheck& budget : evidence.budgets) {
        const reports::CrossCheck* check = nullptr;
        for (const reports::CrossCheck& candidate : evidence.cross_checks) {
            if (candidate.target == budget.target && candidate.allocator == budget.allocator &&
                candidate.function == budget.function && candidate.metric == budget.metric) {
                check = &candidate;
            }
        }
        std::ostringstream tightness;
        tightness << std::fixed << std::setprecision(2) << (check ? check->tightness : 0.0);
        const char* verdict = check != nullptr && !check->sound ? "UNSOUND"
                              : !budget.within                  ? "over budget"
                                                                : "pass";
        std::cout << std::left << std::setw(11) << budget.target << std::setw(14)
                  << budget.allocator << std::setw(20) << budget.function << std::setw(14)
                  << metric_name(budget.metric) << std::right << std::setw(8) << budget.budget
                  << std::setw(8) << budget.bound << std::setw(10)
                  << (check ? std::to_string(check->highest_measured) : "-") << std::setw(11)
                  << (check ? tightness.str() : "-") << "  " << verdict << '\n';
    }
}

int run_certify(const CertifyOptions& o) {
    auto read = read_certify_config(o.config);
    if (const std::string* error = std::get_if<std::string>(&read)) {
        return input_error(*error);
    }
    const CertifyConfig& config = std::get<CertifyConfig>(read);
    reports::Evidence evidence = new_evidence();
    evidence.inputs.push_back({"config", o.config, file_sha256(o.config).value_or("")});
    // The verifier's proofs: every one joins the Evidence (a refuted or vacuous one makes it
    // unsound); the loop bounds a passing verification proves are marked proven.
    std::optional<reports::Evidence> passed;
    if (!config.proofs.empty()) {
        auto read = read_evidence(config.proofs);
        if (const auto* failure = std::get_if<std::string>(&read)) {
            return input_error(*failure + "; note: run clockwork verify --json " + config.proofs +
                               " first (make certify does)");
        }
        const reports::Evidence& verified = std::get<reports::Evidence>(read);
        evidence.inputs.push_back(
            {"proofs", config.proofs, file_sha256(config.proofs).value_or("")});
        evidence.inputs.insert(evidence.inputs.end(), verified.inputs.begin(),
                               verified.inputs.end());
        evidence.proofs = verified.proofs;
        evidence.tools.z3_parameters = verified.tools.z3_parameters;
        evidence.tools.verifier_compile = verified.tools.verifier_compile;
        if (verified.verdict == reports::Verdict::pass) {
            passed = verified;
        }
    }
    for (const CertifyTarget& entry : config.targets) {
        if (const int code = certify_target(config, entry, passed ? &*passed : nullptr, evidence);
            code != kExitPass) {
            return code;
        }
    }
    std::error_code made;
    std::filesystem::create_directories(o.out, made);
    if (made) {
        return usage_error(kVerb, "cannot create " + o.out + " (" + made.message() + ")", "");
    }
    if (const int code = write_evidence(kVerb, o.out + "/evidence.json", evidence);
        code != kExitPass) {
        return code;
    }
    for (const auto& [name, contents] :
         {std::pair<std::string, std::string>{"junit.xml", reports::to_junit_xml(evidence)},
          {"clockwork.sarif", reports::to_sarif(evidence)},
          {"report.md", reports::to_markdown(evidence)},
          {"report.html", reports::to_html(evidence)}}) {
        const std::string failure = reports::write_file_atomically(o.out + "/" + name, contents);
        if (!failure.empty()) {
            return usage_error(kVerb, failure, "check that the directory is writable");
        }
    }
    print_summary(evidence);
    if (!evidence.proofs.empty()) {
        size_t proven = 0;
        size_t unknown = 0;
        for (const reports::Proof& proof : evidence.proofs) {
            proven += proof.status == reports::ProofStatus::proven ? 1 : 0;
            unknown += proof.status == reports::ProofStatus::unknown ? 1 : 0;
        }
        // Refuted and vacuous properties make the Evidence unsound; an unknown one only stays
        // an assumption (a loop bound it would have proven is then marked assumed).
        const size_t failed = evidence.proofs.size() - proven - unknown;
        std::cout << "proofs: " << proven << " of " << evidence.proofs.size()
                  << " properties proven";
        if (unknown != 0) {
            std::cout << ", " << unknown << " unknown (assumed)";
        }
        if (failed != 0) {
            std::cout << ", " << failed << " refuted or vacuous (UNSOUND)";
        }
        std::cout << '\n';
    }
    std::cout << "reports: " << o.out
              << "/evidence.json, junit.xml, clockwork.sarif, report.md, report.html\n";
    return reports::exit_code(evidence.verdict);
}

} // namespace

std::function<int()> add_certify_command(CLI::App& app) {
    auto options = std::make_shared<CertifyOptions>();
    CLI::App* certify = app.add_subcommand(
        "certify", "Analyze, measure and cross-check every configured target against its budgets");
    certify->add_option("--config", options->config, "The configuration (default clockwork.json)");
    certify->add_option("--out", options->out, "Directory for the reports (default build/reports)");
    return [certify, options]() { return certify->parsed() ? run_certify(*options) : -1; };
}

} // namespace clockwork::cli
