#include "verify_mutants.hpp"

#include "evidence_output.hpp"
#include "exit_codes.hpp"
#include "mutants_json.hpp"

#include <clockwork/reports/atomic_file.hpp>
#include <clockwork/verifier/mutation_run.hpp>
#include <clockwork/verifier/query.hpp>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

namespace clockwork::cli {
namespace {

constexpr const char* kVerb = "verify";

// "heap.cpp:127 < 177 < 321": the line, then each line it was inlined at, the file named
// again only where it changes.
std::string inlined_text(const verifier::Mutant& mutant) {
    std::string text = location_text(mutant.where);
    std::string file = mutant.where.file;
    for (const verifier::SourceLine& call : mutant.inlined_at) {
        text += " < ";
        if (call.file != file) {
            text += call.file + ":";
            file = call.file;
        }
        text += std::to_string(call.line);
    }
    return text;
}

std::string function_text(const verifier::Mutant& mutant) {
    return mutant.source_function == mutant.function
               ? mutant.function
               : mutant.function + " (" + mutant.source_function + ")";
}

std::string percent(double fraction) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(1) << 100.0 * fraction << '%';
    return text.str();
}

void print_originals(const verifier::MutationReport& report) {
    size_t proven = 0;
    for (const verifier::HarnessReport& harness : report.originals) {
        for (const verifier::PropertyResult& result : harness.properties) {
            if (result.status == reports::ProofStatus::proven) {
                ++proven;
                continue;
            }
            std::cout << "original: " << result.property << " ("
                      << llvm::sys::path::filename(harness.harness).str()
                      << ") is not proven: " << result.reason << '\n';
        }
    }
    std::cout << "original: " << proven << " properties proven in " << report.originals.size()
              << (report.originals.size() == 1 ? " harness" : " harnesses")
              << "; only proven properties kill mutants\n";
}

// Survivors grouped by the source function they sit in, which is where a property is missing.
void print_survivors(const verifier::MutationReport& report) {
    std::map<std::string, std::vector<const verifier::MutantResult*>> by_function;
    for (const verifier::MutantResult& result : report.mutants) {
        if (result.status == verifier::MutantStatus::survived ||
            result.status == verifier::MutantStatus::undecided ||
            result.status == verifier::MutantStatus::unexecuted) {
            by_function[result.mutant.source_function].push_back(&result);
        }
    }
    if (by_function.empty()) {
        return;
    }
    std::cout << std::left << std::setw(7) << "id" << std::setw(21) << "operator" << std::setw(38)
              << "location" << std::setw(44) << "function"
              << "change\n";
    for (const auto& [function, results] : by_function) {
        for (const verifier::MutantResult* result : results) {
            const verifier::Mutant& mutant = result->mutant;
            std::cout << std::left << std::setw(7) << ("M" + std::to_string(mutant.id))
                      << std::setw(21) << verifier::operator_name(mutant.op) << std::setw(38)
                      << inlined_text(mutant) + ' ' << std::setw(44) << function_text(mutant) + ' '
                      << mutant.change;
            if (result->status == verifier::MutantStatus::undecided) {
                std::cout << "  [undecided: " << result->reason << ']';
            } else if (result->status == verifier::MutantStatus::unexecuted) {
                std::cout << "  [never executed]";
            }
            std::cout << '\n';
        }
    }
}

// `limit_ms`: the originals' limit per query.
int write_originals_evidence(const std::string& path, const verifier::MutationReport& report,
                             const std::string& heap, const std::string& target,
                             unsigned limit_ms) {
    reports::Evidence evidence = new_evidence();
    evidence.tools.z3 = verifier::z3_version();
    evidence.tools.z3_parameters = verifier::describe_solver(limit_ms);
    for (const verifier::HarnessReport& harness : report.originals) {
        evidence.inputs.push_back({"harness", harness.harness, harness.harness_sha256});
        evidence.inputs.push_back({"ir", harness.harness + " + " + heap, harness.ir_sha256});
        for (const verifier::PropertyResult& result : harness.properties) {
            evidence.proofs.push_back({result.property,
                                       llvm::sys::path::filename(harness.harness).str(),
                                       result.status, harness.scope_blocks, result.reason,
                                       result.counterexample, target, kVerifiedAllocator});
        }
    }
    return write_evidence(kVerb, path, evidence);
}

} // namespace

int run_verify_mutants(const MutantsCommandOptions& mutants,
                       const std::vector<std::string>& harnesses,
                       const verifier::VerifyOptions& options) {
    const std::string resumed_files = llvm::join(mutants.resume, ", ");
    verifier::MutationOptions run;
    run.verify = options;
    run.harnesses = harnesses;
    run.jobs = mutants.jobs;
    run.every = mutants.every;
    run.limit = mutants.limit;
    run.ids = mutants.ids;
    run.scope.only_functions = mutants.functions;
    if (!mutants.resume.empty()) {
        auto resumed = read_mutants_jsons(mutants.resume);
        if (auto* failure = std::get_if<std::string>(&resumed)) {
            std::cerr << "clockwork verify: " << *failure << '\n';
            return kExitUsage;
        }
        run.resumed = std::move(std::get<verifier::ResumedRun>(resumed));
    }
    // A run of hours keeps what it decided: the file is rewritten as it goes, so its folder is
    // checked before the run rather than after it.
    std::string checkpoint_failure;
    if (!mutants.json.empty()) {
        const llvm::StringRef folder = llvm::sys::path::parent_path(mutants.json);
        if (!folder.empty() && !llvm::sys::fs::is_directory(folder)) {
            return usage_error(kVerb,
                               "--mutants-json " + mutants.json + ": no folder " + folder.str(),
                               "create the folder first, or write the file elsewhere");
        }
        run.on_checkpoint = [&](const verifier::MutationReport& so_far) {
            if (checkpoint_failure.empty()) {
                checkpoint_failure = reports::write_file_atomically(
                    mutants.json, mutants_to_json(so_far, false).dump(2) + "\n");
            }
        };
    }
    run.on_result = [](const verifier::MutantResult& result) {
        const verifier::Mutant& mutant = result.mutant;
        std::cerr << "M" << mutant.id << ' ' << inlined_text(mutant) << ' ' << function_text(mutant)
                  << ' ' << verifier::operator_name(mutant.op) << " '" << mutant.change
                  << "': " << verifier::status_name(result.status);
        if (!result.property.empty()) {
            std::cerr << " by " << result.property << " (" << result.harness << ')';
        }
        std::cerr << ' ' << std::fixed << std::setprecision(1) << result.seconds << " s\n";
    };
    auto report = verifier::run_mutants(run);
    if (!report) {
        const std::string message = llvm::toString(report.takeError());
        const bool about_the_resumed = message.rfind("the verdicts to resume", 0) == 0;
        std::cerr << "clockwork verify: "
                  << (about_the_resumed ? "--mutants-resume " + resumed_files + ": " : "")
                  << message << '\n';
        return kExitUsage;
    }
    if (!checkpoint_failure.empty()) {
        return usage_error(kVerb, checkpoint_failure,
                           "check that the folder exists and is writable");
    }
    print_originals(*report);
    print_survivors(*report);
    const size_t survived = report->survived + report->undecided + report->unexecuted;
    std::cout << "mutants: " << report->mutants.size() << " total, " << report->killed
              << " killed, " << report->equivalent << " equivalent, " << survived << " survived";
    if (report->undecided != 0 || report->unexecuted != 0) {
        std::cout << " (" << report->undecided << " undecided, " << report->unexecuted
                  << " never executed)";
    }
    std::cout << ", score = " << report->killed << "/" << report->candidates() << " = "
              << percent(report->score());
    if (report->mutants.size() != report->enumerated) {
        std::cout << " (a sample of " << report->enumerated << " mutants";
        if (mutants.every > 1) {
            std::cout << ", one in " << mutants.every;
        }
        std::cout << ')';
    }
    std::cout << '\n';
    if (report->sampled_every > 1) {
        const verifier::ScoreInterval interval = report->score_interval();
        std::cout << "score of all " << report->enumerated << " mutants: " << percent(interval.low)
                  << " to " << percent(interval.high)
                  << " (95% Wilson interval, as if the sample were drawn at random)\n";
    }
    if (report->resumed != 0) {
        std::cout << "resumed: " << report->resumed << " of these verdicts from " << resumed_files
                  << '\n';
    }
    std::cout << "z3: " << verifier::z3_version() << ", "
              << verifier::describe_query_limit(options.check.timeout_ms) << "; " << std::fixed
              << std::setprecision(0) << report->seconds << " s on " << mutants.jobs
              << (mutants.jobs == 1 ? " thread\n" : " threads\n");
    if (!mutants.json.empty()) {
        const std::string failure = reports::write_file_atomically(
            mutants.json, mutants_to_json(*report, true).dump(2) + "\n");
        if (!failure.empty()) {
            return usage_error(kVerb, failure, "check that the folder exists and is writable");
        }
    }
    if (!mutants.evidence_json.empty()) {
        const std::string heap =
            options.allocator_sources.empty() ? "" : options.allocator_sources.front();
        if (const int code = write_originals_evidence(mutants.evidence_json, *report, heap,
                                                      options.target, run.originals_limit_ms());
            code != kExitPass) {
            return code;
        }
    }
    return report->originals_proven() ? kExitPass : kExitUnsound;
}

} // namespace clockwork::cli
