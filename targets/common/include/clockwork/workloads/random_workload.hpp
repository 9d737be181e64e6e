// The `random` workload (DESIGN.md, targets/common): a seeded mix of allocate and free calls on
// a heap in the runner's scratch memory, every call measured. The same seed gives the same
// calls, so a measurement's witness replays it.
#pragma once

#include <clockwork/reports/evidence.hpp>
#include <clockwork/runner/machine.hpp>

#include <llvm/Support/Error.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clockwork::workloads {

struct RandomWorkload {
    uint64_t seed = 42;
    uint64_t calls = 20000;
    uint64_t arena_bytes = 65536;  // clipped to the runner's scratch memory
    uint64_t small_request = 120;  // three in four requests are 1 .. small_request bytes
    uint64_t large_request = 2000; // the others 1 .. large_request bytes
    unsigned allocate_percent = 55;
    bool validate = false; // the heap checks every pointer (its checked path runs)
};

// Per function and metric: calls, lowest and highest cost; a witness for each highest: the
// operations from init up to and including the call that reached it.
struct WorkloadResult {
    std::vector<reports::Measurement> measurements;
    std::vector<reports::Witness> witnesses;
};

// Errors: the heap did not initialise in the scratch memory, or a call failed on the core
// (fault, budget), naming the call.
llvm::Expected<WorkloadResult> run_random(runner::Machine& machine, const RandomWorkload& workload);

} // namespace clockwork::workloads
