// Per function and metric, what a workload measured: calls, lowest, highest, and the witness of
// the highest (the first call that reached it). Shared by the adversarial and search workloads.
#pragma once

#include <clockwork/runner/machine.hpp>
#include <clockwork/workloads/random_workload.hpp>

#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/ADT/StringRef.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace clockwork::workloads {

llvm::StringRef metric_name(reports::Metric metric);

// The metrics a target's runner measures: instructions everywhere, cycles on avr.
std::vector<reports::Metric> measured_metrics(runner::Target target);

// Adds from's measurements to into's, one per target x function x metric: calls add up, the
// lowest is the lowest of both, and the highest wins with its workload and its witness (on a
// tie, the witness with fewer operations: the shorter replay proves the same cost; on a tie of
// lengths too, into's). Only the witnesses that measurements name are kept.
void merge_highest(WorkloadResult& into, WorkloadResult from);

class WorkloadTally {
  public:
    WorkloadTally(std::string target, std::string workload)
        : target_(std::move(target)), workload_(std::move(workload)) {}

    // One call. witness() gives the operations from init up to and including this call; it is
    // asked for only when the call is a new highest. name tells the witness apart in its id
    // ("<target>/<function>/<metric>/<workload>-<name>").
    void record(llvm::StringRef function, reports::Metric metric, uint64_t cost,
                llvm::StringRef name, llvm::function_ref<std::vector<std::string>()> witness);

    // Measurements and witnesses ordered by function, then metric.
    WorkloadResult result() const;

  private:
    struct Entry {
        uint64_t calls = 0;
        uint64_t lowest = ~uint64_t{0};
        uint64_t highest = 0;
        std::string name;
        std::vector<std::string> witness;
    };
    std::string target_;
    std::string workload_;
    std::map<std::pair<std::string, reports::Metric>, Entry> entries_;
};

} // namespace clockwork::workloads
