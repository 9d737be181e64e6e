// clockwork verify --mutants as a library: every harness compiled once, each mutant planted in
// a clone of the linked module and checked against the properties of the harnesses that reach
// it; a mutant no property kills is then compared with the original by Z3.
#pragma once

#include "mutants.hpp"
#include "verify.hpp"

#include <llvm/Support/Error.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::verifier {

enum class MutantStatus {
    killed,     // a property is refuted, or vacuous where the original's is not
    equivalent, // proven to behave as the original in every harness that reaches it
    survived,   // every property still proven, and it behaves differently
    undecided,  // not killed, and a solver query ran out of time (counted as survived)
    unexecuted, // no harness runs the mutated block: a gap in the harnesses (counted as survived)
};

std::string status_name(MutantStatus status);
std::optional<MutantStatus> status_from_name(const std::string& name);

// The reason of an equivalent mutant decided at its mutated instruction alone, in every harness
// that reaches it: each execution computes what the original instruction would have.
inline constexpr const char* kSameValueAtTheMutation =
    "the mutated instruction computes the original's value at each of its executions";

struct MutantResult {
    Mutant mutant;
    MutantStatus status = MutantStatus::undecided;
    std::string harness;  // file name: the one that killed it, or showed it differs
    std::string property; // killed: the property that killed it
    std::string reason;   // how it was decided, or what was left undecided
    double seconds = 0;
};

struct MutationReport;

// Verdicts of an earlier run, taken instead of deciding those mutants again: a full run takes
// hours, and one cut short keeps what it decided (clockwork verify --mutants-resume).
struct ResumedRun {
    std::string fingerprint; // MutationReport::fingerprint of the run that decided them
    std::vector<MutantResult> results;
};

struct MutationOptions {
    VerifyOptions verify; // its check.timeout_ms bounds every query, equivalence included
    // The originals' proofs take at least this per query: only what they prove kills, so a
    // limit near a proof's time would make the killing properties depend on the machine's load.
    unsigned original_timeout_ms = 120000;
    // The limit the originals' proofs get: the larger of the two.
    unsigned originals_limit_ms() const;
    std::vector<std::string> harnesses;
    MutationScope scope; // source_files empty: the file names of verify.allocator_sources
    unsigned jobs = 2;   // worker threads, each with its own LLVM and Z3 contexts
    size_t every = 1;    // a systematic sample: mutants 1, 1 + every, 1 + 2 * every, ...
    size_t limit = 0;    // 0: every mutant; else the first `limit` in enumeration order
    // Non-empty: only the mutants with these ids (of the full enumeration), before `every`.
    std::vector<unsigned> ids;
    // Called once per decided mutant, one call at a time, in completion order.
    std::function<void(const MutantResult&)> on_result;
    // Taken only when its fingerprint is this run's; an error otherwise.
    ResumedRun resumed;
    // Called, one call at a time, with the verdicts so far (the resumed ones included, in id
    // order) after every `checkpoint_every` newly decided mutants.
    std::function<void(const MutationReport&)> on_checkpoint;
    size_t checkpoint_every = 25;
};

struct ScoreInterval {
    double low = 0;
    double high = 1;
};

struct MutationReport {
    // SHA-256 of what a verdict depends on: the verifier's code, Z3's version, the query time
    // limits, the harnesses (in order), their linked IR and the properties the originals prove,
    // the mutation scope.
    std::string fingerprint;
    size_t enumerated = 0;                // mutants found, before any selection
    size_t resumed = 0;                   // verdicts taken from MutationOptions::resumed
    std::vector<HarnessReport> originals; // the properties of the unmutated allocator
    std::vector<MutantResult> mutants;    // in id order
    size_t killed = 0, equivalent = 0, survived = 0, undecided = 0, unexecuted = 0;
    double seconds = 0;
    // N when the mutants are the systematic sample MutationOptions::every = N of the whole
    // enumeration (no limit, no ids); 0 otherwise.
    size_t sampled_every = 0;
    bool originals_proven() const;
    // The mutants the score counts: all but the equivalent ones.
    size_t candidates() const { return mutants.size() - equivalent; }
    // killed / candidates(); 1 when every mutant is equivalent.
    double score() const;
    // For a sample, where the whole enumeration's score lies: the 95% Wilson score interval of
    // score(), which treats the sample as drawn at random. [0, 1] when no mutant of the sample
    // counts (every one equivalent): the sample then says nothing of the rest.
    ScoreInterval score_interval() const;
};

// An error when a harness does not compile or encode unmutated, a mutant cannot be planted, or
// the resumed run's fingerprint or mutants are not this run's.
llvm::Expected<MutationReport> run_mutants(const MutationOptions& options);

} // namespace clockwork::verifier
