#include <clockwork/workloads/search_workload.hpp>
#include <clockwork/workloads/workload_tally.hpp>

#include <llvm/ADT/STLExtras.h>

#include <algorithm>
#include <array>

namespace clockwork::workloads {

namespace {

constexpr size_t kRecordBytes = 3;

llvm::Error error(const llvm::Twine& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

constexpr std::array<HeapOperation::Kind, 3> kMeasuredKinds = {
    HeapOperation::Kind::allocate, HeapOperation::Kind::free, HeapOperation::Kind::reallocate};

} // namespace

std::vector<HeapOperation> decode_search_input(llvm::ArrayRef<uint8_t> input,
                                               uint64_t arena_bytes) {
    const uint64_t large = std::max<uint64_t>(arena_bytes / 2, 1);
    // Decoding does not run the heap, so a block counts as live from its allocate on, whether
    // that allocation succeeds or not; run_search skips what names a block that failed.
    std::vector<uint64_t> live;
    uint64_t next_block = 0;
    std::vector<HeapOperation> operations;
    for (size_t at = 0; at + kRecordBytes <= input.size(); at += kRecordBytes) {
        const uint8_t kind = input[at];
        const uint64_t v = input[at + 1] | (uint64_t{input[at + 2]} << 8);
        HeapOperation operation;
        switch (kind % 8) {
        case 0:
        case 1:
        case 2:
        case 3:
            operation.kind = HeapOperation::Kind::allocate;
            operation.size = 1 + v % (kind % 8 < 2 ? 64 : large);
            live.push_back(next_block++);
            break;
        case 7:
            if (live.empty()) {
                continue;
            }
            operation.kind = HeapOperation::Kind::reallocate;
            operation.block = live[(kind / 8) % live.size()];
            operation.size = 1 + v % large;
            break;
        default:
            if (live.empty()) {
                continue;
            }
            operation.kind = HeapOperation::Kind::free;
            const size_t index = v % live.size();
            operation.block = live[index];
            live[index] = live.back();
            live.pop_back();
            break;
        }
        operations.push_back(operation);
    }
    return operations;
}

llvm::Expected<HeapSearchResult> run_search(runner::Machine& machine,
                                            const SearchWorkload& workload) {
    const auto kind =
        std::find_if(kMeasuredKinds.begin(), kMeasuredKinds.end(),
                     [&](HeapOperation::Kind k) { return function_of(k) == workload.function; });
    if (kind == kMeasuredKinds.end()) {
        return error("the search maximises cw_heap_allocate, cw_heap_free or cw_heap_reallocate, "
                     "not '" +
                     workload.function + "'");
    }
    if (workload.metric == reports::Metric::cycles && machine.target() != runner::Target::avr) {
        return error("only avr measures cycles; search instructions on " +
                     runner::target_name(machine.target()));
    }
    auto probe = HeapSession::start(machine, workload.heap);
    if (!probe) {
        return probe.takeError();
    }
    const HeapSetup setup{probe->arena_bytes(), workload.heap.validate};
    const std::string target = runner::target_name(machine.target()).str();
    const std::string name = "seed-" + std::to_string(workload.search.seed);
    WorkloadTally tally(target, "search");
    auto cost_of = [&](const runner::CallResult& call) {
        return workload.metric == reports::Metric::instructions ? call.cost.instructions
                                                                : call.cost.cycles;
    };

    auto evaluate = [&](llvm::ArrayRef<uint8_t> input) -> llvm::Expected<Evaluation> {
        auto session = HeapSession::start(machine, setup);
        if (!session) {
            return session.takeError();
        }
        Evaluation evaluation;
        evaluation.features.assign(kMeasuredKinds.size(), 0);
        std::vector<std::string> operations{init_operation(setup)};
        for (HeapOperation operation : decode_search_input(input, setup.arena_bytes)) {
            // A block whose allocation failed is not live: its free or reallocate is skipped,
            // and so left out of the witness.
            if (operation.kind != HeapOperation::Kind::allocate &&
                llvm::find(session->live_blocks(), operation.block) ==
                    session->live_blocks().end()) {
                continue;
            }
            operations.push_back(to_string(operation));
            auto call = session->apply(operation);
            if (!call) {
                return error("'" + operations.back() + "': " + llvm::toString(call.takeError()));
            }
            const uint64_t cost = cost_of(*call);
            const size_t feature = static_cast<size_t>(
                std::find(kMeasuredKinds.begin(), kMeasuredKinds.end(), operation.kind) -
                kMeasuredKinds.begin());
            evaluation.features[feature] = std::max(evaluation.features[feature], cost);
            if (operation.kind == *kind) {
                evaluation.cost = std::max(evaluation.cost, cost);
                tally.record(workload.function, workload.metric, cost, name,
                             [&] { return operations; });
            }
        }
        return evaluation;
    };

    SearchOptions options = workload.search;
    options.record_bytes = kRecordBytes;
    auto searched = search_worst_case(options, evaluate);
    if (!searched) {
        return searched.takeError();
    }
    return HeapSearchResult{tally.result(), std::move(*searched)};
}

} // namespace clockwork::workloads
