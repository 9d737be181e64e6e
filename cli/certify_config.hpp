// clockwork.json, the configuration `certify` gates on: every allocator image x target, the
// functions with a budget per metric, and the configuration the image runs in.
#pragma once

#include <clockwork/reports/evidence.hpp>
#include <clockwork/workloads/random_workload.hpp>

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace clockwork::cli {

struct CertifyTarget {
    std::string target;             // cortex-m4 | rv32imc | avr | x86-64
    std::string allocator = "heap"; // the allocator configuration the image was built with
    std::string elf;                // resolved against the configuration's directory
    std::string compile_commands;   // likewise
    bool validate = false;          // the heap is initialised with pointer validation
    std::vector<std::string> never_called;
    long long indirect_call_cost = -1; // -1: a call through a function pointer is an error
    std::map<std::string, std::map<reports::Metric, uint64_t>>
        budgets; // function -> metric -> budget
};

struct CertifyConfig {
    std::string path;
    workloads::RandomWorkload workload;
    // "workload": { "adversarial": true }: the adversarial sequences run after the random
    // workload; "search_executions": N > 0: then a worst-case search of N executions per
    // budgeted function, stopping at the function's instruction bound.
    bool adversarial = false;
    uint64_t search_executions = 0;
    // "proofs": the Evidence JSON of `clockwork verify` (resolved against the configuration's
    // directory); empty: none. Its proofs join the certify Evidence (a refuted or vacuous one
    // makes it unsound) and the loop bounds it proves are marked proven.
    std::string proofs;
    std::vector<CertifyTarget> targets;
};

// A parse error names the file and the key: "clockwork.json: targets[1].functions.cw_heap_free:
// 'cycles' must be a positive whole number". Two entries for one target and allocator are an
// error: their records could not be told apart in the Evidence.
std::variant<CertifyConfig, std::string> read_certify_config(const std::string& path);

} // namespace clockwork::cli
