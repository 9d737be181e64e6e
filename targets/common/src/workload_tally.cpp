#include <clockwork/workloads/workload_tally.hpp>

#include <algorithm>

namespace clockwork::workloads {

llvm::StringRef metric_name(reports::Metric metric) {
    return metric == reports::Metric::instructions ? "instructions" : "cycles";
}

std::vector<reports::Metric> measured_metrics(runner::Target target) {
    if (target == runner::Target::avr) {
        return {reports::Metric::instructions, reports::Metric::cycles};
    }
    return {reports::Metric::instructions};
}

void merge_highest(WorkloadResult& into, WorkloadResult from) {
    auto take_witness = [&](const std::string& id) {
        for (reports::Witness& witness : from.witnesses) {
            if (witness.id == id) {
                into.witnesses.push_back(std::move(witness));
                return;
            }
        }
    };
    auto length_of = [](const WorkloadResult& result, const std::string& id) {
        for (const reports::Witness& witness : result.witnesses) {
            if (witness.id == id) {
                return witness.operations.size();
            }
        }
        return ~size_t{0};
    };
    for (reports::Measurement& measurement : from.measurements) {
        auto same = std::find_if(
            into.measurements.begin(), into.measurements.end(), [&](const reports::Measurement& m) {
                return m.target == measurement.target && m.function == measurement.function &&
                       m.metric == measurement.metric;
            });
        if (same == into.measurements.end()) {
            take_witness(measurement.witness);
            into.measurements.push_back(std::move(measurement));
            continue;
        }
        same->calls += measurement.calls;
        same->lowest = std::min(same->lowest, measurement.lowest);
        const bool shorter = measurement.highest == same->highest &&
                             length_of(from, measurement.witness) < length_of(into, same->witness);
        if (measurement.highest > same->highest || shorter) {
            const std::string replaced = same->witness;
            std::erase_if(into.witnesses,
                          [&](const reports::Witness& w) { return w.id == replaced; });
            take_witness(measurement.witness);
            same->highest = measurement.highest;
            same->workload = measurement.workload;
            same->witness = measurement.witness;
        }
    }
}

void WorkloadTally::record(llvm::StringRef function, reports::Metric metric, uint64_t cost,
                           llvm::StringRef name,
                           llvm::function_ref<std::vector<std::string>()> witness) {
    Entry& entry = entries_[{function.str(), metric}];
    ++entry.calls;
    entry.lowest = std::min(entry.lowest, cost);
    if (cost > entry.highest || entry.calls == 1) {
        entry.highest = cost;
        entry.name = name.str();
        entry.witness = witness();
    }
}

WorkloadResult WorkloadTally::result() const {
    WorkloadResult result;
    for (const auto& [key, entry] : entries_) {
        const auto& [function, metric] = key;
        reports::Witness witness;
        witness.id = target_ + "/" + function + "/" + metric_name(metric).str() + "/" + workload_ +
                     "-" + entry.name;
        witness.target = target_;
        witness.function = function;
        witness.workload = workload_;
        witness.cost = entry.highest;
        witness.operations = entry.witness;
        reports::Measurement measurement;
        measurement.target = target_;
        measurement.function = function;
        measurement.metric = metric;
        measurement.workload = workload_;
        measurement.calls = entry.calls;
        measurement.lowest = entry.lowest;
        measurement.highest = entry.highest;
        measurement.witness = witness.id;
        result.measurements.push_back(std::move(measurement));
        result.witnesses.push_back(std::move(witness));
    }
    return result;
}

} // namespace clockwork::workloads
