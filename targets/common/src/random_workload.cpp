#include <clockwork/workloads/random_workload.hpp>

#include <algorithm>
#include <map>
#include <random>

namespace clockwork::workloads {

namespace {

llvm::Error error(const llvm::Twine& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

struct Tally {
    uint64_t calls = 0;
    uint64_t lowest = ~uint64_t{0};
    uint64_t highest = 0;
    size_t witness_length = 0; // operations up to the highest call
};

} // namespace

llvm::Expected<WorkloadResult> run_random(runner::Machine& machine,
                                          const RandomWorkload& workload) {
    const std::string target = runner::target_name(machine.target()).str();
    const uint64_t out = machine.scratch_base();
    const uint64_t options = out + 16;
    const uint64_t arena = (out + 64) & ~uint64_t{15};
    const uint64_t room = machine.scratch_size() > 128 ? machine.scratch_size() - 128 : 0;
    const uint64_t arena_bytes = std::min(room, workload.arena_bytes) & ~uint64_t{15};
    // cw_heap_options as the target lays it out: int validate, then three pointers (the lock),
    // each aligned to the pointer size. All zero but validate: no lock.
    std::vector<uint8_t> layout(machine.pointer_bytes() * 4, 0);
    layout[0] = workload.validate ? 1 : 0;
    if (auto err = machine.write(options, layout)) {
        return std::move(err);
    }
    auto init = machine.call("cw_heap_init", {arena, arena_bytes, options, out});
    if (!init) {
        return init.takeError();
    }
    if (init->value != 0) {
        return error("cw_heap_init refused an arena of " + llvm::Twine(arena_bytes) +
                     " bytes with status " + llvm::Twine(init->value) +
                     "; note: give the runner more scratch memory");
    }
    auto handle = machine.read(out, machine.pointer_bytes());
    if (!handle) {
        return handle.takeError();
    }
    uint64_t heap = 0;
    for (unsigned k = 0; k < machine.pointer_bytes(); ++k) {
        heap |= uint64_t{(*handle)[k]} << (8 * k);
    }

    const bool cycles = machine.target() == runner::Target::avr;
    std::map<std::pair<std::string, reports::Metric>, Tally> tallies;
    auto record = [&](const std::string& function, reports::Metric metric, uint64_t cost,
                      size_t operations) {
        Tally& tally = tallies[{function, metric}];
        ++tally.calls;
        tally.lowest = std::min(tally.lowest, cost);
        if (cost > tally.highest) {
            tally.highest = cost;
            tally.witness_length = operations;
        }
    };

    std::mt19937_64 random(workload.seed);
    struct Live {
        uint64_t address;
        uint64_t id;
    };
    std::vector<Live> live;
    std::vector<std::string> operations;
    uint64_t next_id = 0;
    for (uint64_t step = 0; step < workload.calls; ++step) {
        std::string function;
        llvm::Expected<runner::CallResult> call = runner::CallResult{};
        if (live.empty() || random() % 100 < workload.allocate_percent) {
            const uint64_t limit =
                random() % 4 == 0 ? workload.large_request : workload.small_request;
            const uint64_t n = 1 + random() % limit;
            function = "cw_heap_allocate";
            operations.push_back("allocate " + std::to_string(n));
            call = machine.call(function, {heap, n});
            if (call && call->value != 0) {
                live.push_back({call->value, next_id});
            }
            ++next_id;
        } else {
            const size_t index = random() % live.size();
            function = "cw_heap_free";
            operations.push_back("free #" + std::to_string(live[index].id));
            call = machine.call(function, {heap, live[index].address});
            live[index] = live.back();
            live.pop_back();
        }
        if (!call) {
            return error("call " + llvm::Twine(step) + " (" + operations.back() +
                         "): " + llvm::toString(call.takeError()));
        }
        record(function, reports::Metric::instructions, call->cost.instructions, operations.size());
        if (cycles) {
            record(function, reports::Metric::cycles, call->cost.cycles, operations.size());
        }
    }

    WorkloadResult result;
    for (const auto& [key, tally] : tallies) {
        const auto& [function, metric] = key;
        reports::Witness witness;
        witness.id = target + "/" + function + "/" +
                     (metric == reports::Metric::instructions ? "instructions" : "cycles") +
                     "/random-" + std::to_string(workload.seed);
        witness.target = target;
        witness.function = function;
        witness.workload = "random";
        witness.cost = tally.highest;
        witness.operations.assign(operations.begin(),
                                  operations.begin() + static_cast<long>(tally.witness_length));
        reports::Measurement measurement;
        measurement.target = target;
        measurement.function = function;
        measurement.metric = metric;
        measurement.workload = "random";
        measurement.calls = tally.calls;
        measurement.lowest = tally.lowest;
        measurement.highest = tally.highest;
        measurement.witness = witness.id;
        result.measurements.push_back(std::move(measurement));
        result.witnesses.push_back(std::move(witness));
    }
    return result;
}

} // namespace clockwork::workloads
