// The Evidence model: one document that carries every bound, proof, measurement and
// cross-check of a certification run (DESIGN.md, "Data flow"). The analyzer, the verifier and
// the harnesses fill it; the writers in reports/ render it. Everything here is canonical:
// the same inputs give the same document, byte for byte (evidence_json.hpp), so nothing that
// varies between runs (wall-clock times, host names) belongs in it — see RunInfo.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::reports {

enum class Metric { instructions, cycles };
enum class LoopBoundProvenance { annotated, derived, proven };
enum class ProofStatus { proven, refuted, unknown, vacuous };
enum class Verdict { pass, budget_exceeded, unsound, error };

struct SourceLocation {
    std::string file;
    unsigned line = 0;
    bool operator==(const SourceLocation&) const = default;
};

struct ToolVersions {
    std::string clockwork;
    std::string llvm;
    std::string z3;
    // How the verifier asked Z3, when its proofs are in the document: the tactic and the limit
    // of a query (an unknown depends on it). Empty otherwise.
    std::string z3_parameters = {};
    // How the verifier compiled the harnesses and the allocator to the IR it proved, per target:
    // the compiler and every flag (the optimisation level, the flags that keep the IR
    // encodable). Empty where no proofs are.
    std::map<std::string, std::string> verifier_compile = {};
    bool operator==(const ToolVersions&) const = default;
};

// A file the run read: the ELF under analysis, a harness, the configuration.
struct InputFile {
    std::string role; // "elf", "config", "harness", "ir", ...
    std::string path; // as given, relative to the configuration when possible
    std::string sha256;
    bool operator==(const InputFile&) const = default;
};

// Every number the analyzer took as given, with where it comes from.
struct Assumption {
    std::string subject;   // "loop at heap.cpp:312", "timing-model cortex-m4", ...
    std::string statement; // "iterates at most 1048576 times", "0 flash wait states"
    std::string source;    // "CW_LOOP_BOUND annotation", "ARM DDI 0439B table 3-1", ...
    bool operator==(const Assumption&) const = default;
};

// Allocators: records about an allocator image name its configuration in `allocator` ("heap":
// the default 8 classes per power of two; "heap-halffit": one class per power of two), so that
// one Evidence covers every allocator x target. Empty for code that is no allocator image.

struct LoopBound {
    std::string function;
    uint64_t header_address = 0;
    SourceLocation location;
    uint64_t bound = 0; // iterations of the body per entry of the loop
    LoopBoundProvenance provenance = LoopBoundProvenance::annotated;
    bool proven = false; // the verifier proved it; otherwise it is an assumption
    bool operator==(const LoopBound&) const = default;
};

struct WorstPathBlock {
    uint64_t address = 0;
    uint64_t count = 0; // executions on the worst path
    uint64_t cost = 0;  // metric units per execution
    SourceLocation location;
    bool operator==(const WorstPathBlock&) const = default;
};

struct TimingParameter {
    std::string name;
    std::string value;
    std::string source;
    bool operator==(const TimingParameter&) const = default;
};

struct Bound {
    std::string target;
    std::string function;
    Metric metric = Metric::instructions;
    uint64_t value = 0;
    std::vector<WorstPathBlock> worst_path;
    std::vector<LoopBound> loops;
    std::vector<TimingParameter> timing_model;
    std::vector<Assumption> assumptions;
    std::string allocator = {}; // last, so that positional initialisers stay valid
    bool operator==(const Bound&) const = default;
};

struct Counterexample {
    std::map<std::string, std::string> inputs; // name -> value
    std::vector<SourceLocation> path;
    std::string replay; // a test case that reproduces it
    bool operator==(const Counterexample&) const = default;
};

struct Proof {
    std::string property;
    std::string harness;
    ProofStatus status = ProofStatus::unknown;
    unsigned scope_blocks = 0; // K: the symbolic heap's size
    std::string reason;        // for unknown / vacuous
    std::optional<Counterexample> counterexample;
    // What was encoded: the target whose IR (integer and pointer widths) and the allocator
    // configuration whose macros shaped it. A proof holds for that pair only. Last, so that
    // positional initialisers stay valid.
    std::string target = {};
    std::string allocator = {};
    bool operator==(const Proof&) const = default;
};

// One replayable input: the operation sequence that reached a measured cost.
struct Witness {
    std::string id;
    std::string target;
    std::string function;
    std::string workload;
    uint64_t cost = 0;
    std::vector<std::string> operations; // "allocate 24", "free #3", "allocate_aligned 40 64"
    std::string allocator = {};          // last, so that positional initialisers stay valid
    bool operator==(const Witness&) const = default;
};

struct Measurement {
    std::string target;
    std::string function;
    Metric metric = Metric::instructions;
    std::string workload;
    uint64_t calls = 0;
    uint64_t lowest = 0;
    uint64_t highest = 0;
    std::string witness;        // Witness::id of the highest
    std::string allocator = {}; // last, so that positional initialisers stay valid
    bool operator==(const Measurement&) const = default;
};

struct CrossCheck {
    std::string target;
    std::string function;
    Metric metric = Metric::instructions;
    uint64_t bound = 0;
    uint64_t highest_measured = 0;
    bool sound = true;          // highest_measured <= bound
    double tightness = 0.0;     // bound / highest_measured
    std::string allocator = {}; // last, so that positional initialisers stay valid
    bool operator==(const CrossCheck&) const = default;
};

struct BudgetCheck {
    std::string target;
    std::string function;
    Metric metric = Metric::instructions;
    uint64_t budget = 0;
    uint64_t bound = 0;
    bool within = true;
    std::string allocator = {}; // last, so that positional initialisers stay valid
    bool operator==(const BudgetCheck&) const = default;
};

struct Evidence {
    ToolVersions tools;
    std::vector<InputFile> inputs;
    std::vector<Bound> bounds;
    std::vector<Proof> proofs;
    std::vector<Measurement> measurements;
    std::vector<Witness> witnesses;
    std::vector<CrossCheck> cross_checks;
    std::vector<BudgetCheck> budgets;
    Verdict verdict = Verdict::pass;
    bool operator==(const Evidence&) const = default;
};

// What varies between runs and so stays out of the Evidence: durations, the host.
struct RunInfo {
    std::map<std::string, double> seconds; // step -> wall-clock seconds
    std::string host;
};

// The verdict the product's rules give (DESIGN.md, certify exit codes): any unsound
// cross-check or refuted/vacuous proof is unsound; else any budget exceeded; else pass.
Verdict decide_verdict(const Evidence& evidence);

// Certify's exit code for a verdict: 0 pass, 1 budget exceeded, 2 unsound, 3 error.
int exit_code(Verdict verdict);

} // namespace clockwork::reports
