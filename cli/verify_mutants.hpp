// `clockwork verify --mutants`: mutation testing of the verifier's properties.
#pragma once

#include <clockwork/verifier/verify.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace clockwork::cli {

// The allocator configuration clockwork verify proves things of: the heap source compiled with
// no CW_HEAP_* configuration macro, the one the `heap` entries of clockwork.json name.
inline constexpr const char* kVerifiedAllocator = "heap";

struct MutantsCommandOptions {
    bool enabled = false;
    size_t every = 1;                   // --mutants-every: every Nth mutant only
    size_t limit = 0;                   // --mutants-limit: the first N mutants only
    std::vector<unsigned> ids;          // --mutant-ids: these mutants only
    std::vector<std::string> functions; // --mutant-functions: IR or source function names
    std::string json;                   // --mutants-json: the mutants, one object each
    std::vector<std::string> resume;    // --mutants-resume: verdicts of earlier runs
    std::string evidence_json;          // --json: the originals' proofs, as clockwork verify
    unsigned jobs = 2;                  // --jobs
};

// Prints the survivors and the score. Exit 0 when the run completed and every property of the
// unmutated allocator is proven, 2 when one is not (its mutants then say little), 3 on errors.
int run_verify_mutants(const MutantsCommandOptions& mutants,
                       const std::vector<std::string>& harnesses,
                       const verifier::VerifyOptions& options);

} // namespace clockwork::cli
