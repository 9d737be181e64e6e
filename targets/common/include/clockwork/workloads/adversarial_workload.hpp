// The `adversarial` workload (DESIGN.md, targets/common): operation sequences designed from the
// heap's code (alloc/src/heap.cpp) to drive the paths its analyzer reports as worst, each on a
// fresh heap, every call measured. Where random operations find a worst path by chance, these
// build the heap state that path needs on purpose; adversarial_sequences() says which path each
// sequence drives.
#pragma once

#include <clockwork/runner/machine.hpp>
#include <clockwork/workloads/heap_session.hpp>
#include <clockwork/workloads/random_workload.hpp>

#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace clockwork::workloads {

struct AdversarialWorkload {
    HeapSetup heap; // arena clipped to the runner's scratch memory
};

struct AdversarialSequence {
    std::string name; // "free-merges-both-emptying-classes": part of its witnesses' ids
    std::vector<HeapOperation> operations;
};

// The sequences for a heap of arena_bytes (the arena as the heap got it). Request sizes come
// from the arena so that the same design holds on every target, 16-bit avr included.
std::vector<AdversarialSequence> adversarial_sequences(uint64_t arena_bytes);

// Runs every sequence on a fresh heap. A witness is its sequence's init and operations up to
// the call that reached the highest cost. Errors: the heap refused the arena, or a call failed
// on the core, naming the sequence and the operation.
llvm::Expected<WorkloadResult> run_adversarial(runner::Machine& machine,
                                               const AdversarialWorkload& workload);

} // namespace clockwork::workloads
