#include "verify_command.hpp"

#include "evidence_output.hpp"
#include "exit_codes.hpp"
#include "verify_mutants.hpp"

#include <clockwork/reports/atomic_file.hpp>
#include <clockwork/reports/evidence_json.hpp>
#include <clockwork/verifier/compile.hpp>
#include <clockwork/verifier/loop_proofs.hpp>
#include <clockwork/verifier/parallel.hpp>
#include <clockwork/verifier/query.hpp>
#include <clockwork/verifier/verify.hpp>

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace clockwork::cli {
namespace {

constexpr const char* kVerb = "verify";

struct VerifyCommandOptions {
    std::vector<std::string> targets{"rv32imc"};
    std::string json;
    std::string times_json;
    std::vector<std::string> harnesses;
    std::string heap = CLOCKWORK_VERIFY_HEAP_SOURCE;
    unsigned timeout_seconds = 60;
    unsigned jobs = 2;
    MutantsCommandOptions mutants;
};

std::string status_name(reports::ProofStatus status) {
    switch (status) {
    case reports::ProofStatus::proven:
        return "proven";
    case reports::ProofStatus::refuted:
        return "refuted";
    case reports::ProofStatus::unknown:
        return "unknown";
    case reports::ProofStatus::vacuous:
        return "vacuous";
    }
    return "unknown";
}

// Every *.cpp directly in the harness folder, in name order.
std::vector<std::string> default_harnesses() {
    std::vector<std::string> found;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(CLOCKWORK_VERIFY_HARNESS_DIR, ec), end;
         it != end && !ec; it.increment(ec)) {
        if (llvm::sys::path::extension(it->path()) == ".cpp") {
            found.push_back(it->path());
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

void print_result(const verifier::HarnessReport& report, const verifier::PropertyResult& result) {
    const std::string harness = llvm::sys::path::filename(report.harness).str();
    std::ostringstream seconds;
    seconds << std::fixed << std::setprecision(2) << result.seconds;
    std::cout << std::left << std::setw(44) << (result.property + ' ') << std::setw(34)
              << (harness + ' ') << std::setw(9) << status_name(result.status) << std::right
              << std::setw(8) << seconds.str() << '\n';
    if (!result.reason.empty()) {
        std::cout << "    reason: " << result.reason << '\n';
    }
    if (result.counterexample) {
        const reports::Counterexample& example = *result.counterexample;
        for (const auto& [name, value] : example.inputs) {
            std::cout << "    input " << name << " = " << value << '\n';
        }
        std::string path;
        for (const reports::SourceLocation& step : example.path) {
            path += (path.empty() ? "" : " ") + step.file + ":" + std::to_string(step.line);
        }
        std::cout << "    path: " << path << '\n';
        std::cout << "    replay: " << example.replay << '\n';
    }
}

// What one target's verification produced: a report per harness, in the harnesses' order, and
// the allocator's loop-bound proofs.
struct TargetResults {
    std::vector<verifier::HarnessReport> harnesses;
    verifier::LoopProofReport loops;
};

bool runs_harnesses(const std::string& target) {
    const verifier::EncodingTarget* encoding = verifier::find_encoding_target(target);
    return encoding != nullptr && encoding->encodes_memory;
}

// Verifies every harness (on the targets whose memory the encoder models) and every loop bound
// on every target, `jobs` of them at a time: each (target, harness) pair and each target's loop
// proofs is one job with its own contexts, and the results keep their order whatever order the
// jobs finish in.
llvm::Expected<std::vector<TargetResults>> verify_all(const std::vector<std::string>& targets,
                                                      const std::vector<std::string>& harnesses,
                                                      const verifier::VerifyOptions& options,
                                                      unsigned jobs) {
    constexpr size_t kLoopProofs = SIZE_MAX;
    std::vector<TargetResults> results(targets.size());
    std::vector<std::pair<size_t, size_t>> work; // (target, harness or kLoopProofs)
    for (size_t t = 0; t < targets.size(); ++t) {
        if (runs_harnesses(targets[t])) {
            results[t].harnesses.resize(harnesses.size());
            for (size_t h = 0; h < harnesses.size(); ++h) {
                work.emplace_back(t, h);
            }
        }
        work.emplace_back(t, kLoopProofs);
    }
    auto error =
        verifier::parallel_for(work.size(), jobs, [&](size_t job, unsigned) -> llvm::Error {
            const auto [t, which] = work[job];
            TargetResults& result = results[t];
            verifier::VerifyOptions own = options;
            own.target = targets[t];
            if (which == kLoopProofs) {
                // Every CW_LOOP_BOUND of the allocator, for every input of its function
                // (ScalarEvolution's count, checked by Z3).
                auto loops = verifier::prove_allocator_loop_bounds(own);
                if (!loops) {
                    return loops.takeError();
                }
                result.loops = std::move(*loops);
                return llvm::Error::success();
            }
            auto report = verifier::verify_harness(harnesses[which], own);
            if (!report) {
                return report.takeError();
            }
            result.harnesses[which] = std::move(*report);
            return llvm::Error::success();
        });
    if (error) {
        return std::move(error);
    }
    return results;
}

// Prints one target's results and adds its proofs to `evidence`.
void record_target(const VerifyCommandOptions& o, const std::string& target,
                   const TargetResults& results, reports::Evidence& evidence,
                   reports::RunInfo& times, bool& all_proven) {
    std::vector<std::string> flags = results.loops.flags;
    std::cout << "target " << target << '\n';
    if (!runs_harnesses(target)) {
        std::cout << "harnesses: none on " << target
                  << " (the encoder's memory model takes 32-bit little-endian pointers); "
                     "the allocator's loop bounds only\n";
    }
    std::cout << std::left << std::setw(44) << "property" << std::setw(34) << "harness"
              << std::setw(9) << "status" << std::right << std::setw(8) << "seconds" << '\n';
    for (const verifier::HarnessReport& report : results.harnesses) {
        evidence.inputs.push_back({"harness", report.harness, report.harness_sha256});
        evidence.inputs.push_back(
            {"ir", report.harness + " + " + o.heap + " (" + target + ")", report.ir_sha256});
        flags = report.flags;
        for (const verifier::PropertyResult& result : report.properties) {
            print_result(report, result);
            times.seconds[target + " " + llvm::sys::path::filename(report.harness).str() + " " +
                          result.property] = result.seconds;
            all_proven = all_proven && result.status == reports::ProofStatus::proven;
            reports::Proof proof;
            proof.property = result.property;
            proof.harness = llvm::sys::path::filename(report.harness).str();
            proof.status = result.status;
            proof.scope_blocks = report.scope_blocks;
            proof.reason = result.reason;
            proof.counterexample = result.counterexample;
            proof.target = target;
            proof.allocator = kVerifiedAllocator;
            evidence.proofs.push_back(std::move(proof));
        }
    }
    // A loop bound not proven stays an assumption of the analysis, as it was, so only a
    // refuted one fails the run.
    evidence.inputs.push_back({"ir", o.heap + " (" + target + ")", results.loops.ir_sha256});
    verifier::HarnessReport method;
    method.harness = verifier::kLoopProofHarness;
    for (const verifier::LoopBoundProof& loop : results.loops.proofs) {
        print_result(method, {loop.property, loop.where, loop.status, loop.reason,
                              loop.counterexample, loop.seconds});
        times.seconds[target + " " + method.harness + " " + loop.property] = loop.seconds;
        all_proven = all_proven && loop.status != reports::ProofStatus::refuted;
        evidence.proofs.push_back({loop.property, method.harness, loop.status, 0, loop.reason,
                                   loop.counterexample, target, kVerifiedAllocator});
    }
    std::string joined;
    for (const std::string& flag : flags) {
        joined += (joined.empty() ? "" : " ") + flag;
    }
    const std::string compile = std::string(CLOCKWORK_VERIFY_CLANG) + ' ' + joined;
    evidence.tools.verifier_compile[target] = compile;
    std::cout << "clang: " << compile << '\n';
}

int run_verify(const VerifyCommandOptions& o) {
    for (const std::string& target : o.targets) {
        if (verifier::find_encoding_target(target) == nullptr) {
            return usage_error(kVerb, verifier::unknown_target_message(target), "");
        }
        if (!runs_harnesses(target) && (!o.harnesses.empty() || o.mutants.enabled)) {
            return usage_error(kVerb, verifier::unencodable_target_message(target),
                               "drop --harness and --mutants for it: `clockwork verify --target " +
                                   target + "` proves its loop bounds");
        }
        if (std::count(o.targets.begin(), o.targets.end(), target) > 1) {
            return usage_error(kVerb, "--target " + target + " given twice",
                               "name each target once");
        }
    }
    const std::vector<std::string> harnesses =
        o.harnesses.empty() ? default_harnesses() : o.harnesses;
    if (harnesses.empty()) {
        return usage_error(kVerb, std::string("no harness in ") + CLOCKWORK_VERIFY_HARNESS_DIR,
                           "pass --harness FILE");
    }
    for (const std::string& harness : harnesses) {
        if (!llvm::sys::fs::is_regular_file(harness)) {
            return usage_error(kVerb, harness + ": no such harness", "pass a C++ harness file");
        }
    }
    if (!llvm::sys::fs::is_regular_file(o.heap)) {
        return usage_error(kVerb, o.heap + ": no such allocator source", "");
    }

    verifier::VerifyOptions options;
    options.clang = CLOCKWORK_VERIFY_CLANG;
    options.allocator_sources = {o.heap};
    // The heap's own folder too: harnesses that build heap states include its heap_layout.hpp.
    options.include_dirs = {CLOCKWORK_VERIFY_ALLOC_INCLUDE, CLOCKWORK_VERIFY_HARNESS_INCLUDE,
                            llvm::sys::path::parent_path(o.heap).str()};
    options.check.timeout_ms = o.timeout_seconds * 1000;
    options.leave_contexts_to_exit = true; // clockwork exits once its report is written
    if (o.mutants.enabled) {
        if (o.targets.size() != 1) {
            return usage_error(kVerb, "--mutants takes one --target", "run one target at a time");
        }
        if (!o.times_json.empty()) {
            return usage_error(kVerb, "--times-json times proofs, not mutants",
                               "drop it: --mutants-json records each mutant's seconds");
        }
        options.target = o.targets.front();
        MutantsCommandOptions mutants = o.mutants;
        mutants.jobs = o.jobs;
        mutants.evidence_json = o.json;
        return run_verify_mutants(mutants, harnesses, options);
    }

    const auto started = std::chrono::steady_clock::now();
    reports::Evidence evidence = new_evidence();
    evidence.tools.z3 = verifier::z3_version();
    evidence.tools.z3_parameters = verifier::describe_solver(options.check.timeout_ms);
    auto results = verify_all(o.targets, harnesses, options, o.jobs);
    if (!results) {
        std::cerr << "clockwork verify: " << llvm::toString(results.takeError()) << '\n';
        return kExitUsage;
    }
    bool all_proven = true;
    reports::RunInfo times;
    for (size_t t = 0; t < o.targets.size(); ++t) {
        record_target(o, o.targets[t], (*results)[t], evidence, times, all_proven);
    }
    times.seconds["total"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "z3: " << verifier::z3_version() << ", "
              << verifier::describe_query_limit(options.check.timeout_ms) << '\n';
    if (!o.json.empty()) {
        if (const int code = write_evidence(kVerb, o.json, evidence); code != kExitPass) {
            return code;
        }
    }
    if (!o.times_json.empty()) {
        const std::string failure =
            reports::write_file_atomically(o.times_json, reports::run_info_json(times));
        if (!failure.empty()) {
            return usage_error(kVerb, failure, "pass a --times-json path in a writable folder");
        }
    }
    return all_proven ? kExitPass : kExitUnsound;
}

} // namespace

std::function<int()> add_verify_command(CLI::App& app) {
    auto options = std::make_shared<VerifyCommandOptions>();
    CLI::App* verify =
        app.add_subcommand("verify", "Prove the allocator's properties on its LLVM IR with Z3");
    verify->add_option("--target", options->targets,
                       "Target whose IR is verified (repeatable): rv32imc (default) | cortex-m4, "
                       "harnesses and loop bounds; avr | x86-64, loop bounds only");
    verify->add_option("--json", options->json, "Write the Evidence JSON here");
    verify->add_option("--times-json", options->times_json,
                       "Write each property's seconds of checking here (kept out of the "
                       "Evidence, which the same inputs reproduce byte for byte)");
    verify->add_option("--harness", options->harnesses,
                       "Harness files (default: every harness in verifier/harnesses)");
    verify->add_option("--heap", options->heap,
                       "The allocator source (default alloc/src/heap.cpp)");
    verify->add_option("--timeout", options->timeout_seconds,
                       "Seconds of solver work per query (default 60), counted in Z3 resource "
                       "units so that a verdict does not depend on the machine's load; the wall "
                       "clock stops a query at 4 times this");
    verify->add_flag("--mutants", options->mutants.enabled,
                     "Mutation testing: plant faults in the allocator's IR and report the ones "
                     "no property kills");
    verify
        ->add_option("--mutants-every", options->mutants.every,
                     "With --mutants: a systematic sample, mutants 1, 1+N, 1+2N, ...")
        ->check(CLI::PositiveNumber);
    verify->add_option("--mutants-limit", options->mutants.limit,
                       "With --mutants: only the first N mutants");
    verify
        ->add_option("--mutant-ids", options->mutants.ids,
                     "With --mutants: only these mutants (ids as a full run prints them, "
                     "without the M)")
        ->check(CLI::PositiveNumber);
    verify->add_option("--mutant-functions", options->mutants.functions,
                       "With --mutants: only these IR or source functions");
    verify->add_option("--mutants-json", options->mutants.json,
                       "With --mutants: write every mutant and its verdict here, also as the "
                       "run goes");
    verify->add_option("--mutants-resume", options->mutants.resume,
                       "With --mutants: take the verdicts of this earlier --mutants-json (same "
                       "verifier, Z3, --timeout, harnesses and allocator) instead of deciding "
                       "them again; repeat it to take those of several such files, the first "
                       "file that names a mutant giving its verdict");
    verify
        ->add_option("--jobs", options->jobs,
                     "Worker threads: harnesses, or with --mutants mutants (default 2)")
        ->check(CLI::Range(1u, 64u));
    return [verify, options]() { return verify->parsed() ? run_verify(*options) : -1; };
}

} // namespace clockwork::cli
