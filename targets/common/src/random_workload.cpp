#include <clockwork/workloads/random_workload.hpp>

#include <clockwork/workloads/heap_session.hpp>
#include <clockwork/workloads/workload_tally.hpp>

#include <random>

namespace clockwork::workloads {

llvm::Expected<WorkloadResult> run_random(runner::Machine& machine,
                                          const RandomWorkload& workload) {
    const HeapSetup setup{workload.arena_bytes, workload.validate};
    auto session = HeapSession::start(machine, setup);
    if (!session) {
        return session.takeError();
    }
    WorkloadTally tally(runner::target_name(machine.target()).str(), "random");
    const std::vector<reports::Metric> metrics = measured_metrics(machine.target());
    const std::string name = std::to_string(workload.seed);

    std::mt19937_64 random(workload.seed);
    std::vector<std::string> operations{init_operation(setup)};
    for (uint64_t step = 0; step < workload.calls; ++step) {
        HeapOperation operation;
        const std::vector<uint64_t>& live = session->live_blocks();
        if (live.empty() || random() % 100 < workload.allocate_percent) {
            const uint64_t limit =
                random() % 4 == 0 ? workload.large_request : workload.small_request;
            operation.kind = HeapOperation::Kind::allocate;
            operation.size = 1 + random() % limit;
        } else {
            operation.kind = HeapOperation::Kind::free;
            operation.block = live[random() % live.size()];
        }
        operations.push_back(to_string(operation));
        auto call = session->apply(operation);
        if (!call) {
            return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                           "call " + llvm::Twine(step) + " (" + operations.back() +
                                               "): " + llvm::toString(call.takeError()));
        }
        for (reports::Metric metric : metrics) {
            const uint64_t cost = metric == reports::Metric::instructions ? call->cost.instructions
                                                                          : call->cost.cycles;
            tally.record(function_of(operation.kind), metric, cost, name,
                         [&] { return operations; });
        }
    }
    return tally.result();
}

} // namespace clockwork::workloads
