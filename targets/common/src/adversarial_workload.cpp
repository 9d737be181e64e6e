#include <clockwork/workloads/adversarial_workload.hpp>
#include <clockwork/workloads/workload_tally.hpp>

namespace clockwork::workloads {

namespace {

llvm::Error error(const llvm::Twine& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

HeapOperation allocate(uint64_t n) {
    return {HeapOperation::Kind::allocate, 0, n, 0};
}
HeapOperation release(uint64_t block) {
    return {HeapOperation::Kind::free, block, 0, 0};
}
HeapOperation reallocate(uint64_t block, uint64_t n) {
    return {HeapOperation::Kind::reallocate, block, n, 0};
}

} // namespace

// Why these sizes hold on every target: a 24-byte request lands in a class of the lowest bitmap
// word (nonempty[0]) for every pointer size, and a free block of more than a quarter of the
// arena lands in a higher word (on avr, 16-bit words of 16 classes; elsewhere 32 or 64 classes
// per word, all of them below 1 KiB for word 0). A medium request (200 bytes) sits between.
std::vector<AdversarialSequence> adversarial_sequences(uint64_t arena_bytes) {
    const uint64_t small = 24;
    const uint64_t medium = 200;
    const uint64_t quarter = arena_bytes / 4;
    std::vector<AdversarialSequence> sequences;

    // cw_heap_allocate, the analyzer's worst path: on a fresh heap the only free block is the
    // whole arena, in a class of a higher bitmap word than the request's. So the wanted word has
    // no candidate and the summary word is searched (the second count-trailing-zeros); the block
    // is the only one of its class and its class the only one of its word, so unlinking it
    // clears both its nonempty[] bit and its summary bit; the remainder is split off and linked
    // (marking a class); the request is a new peak request and a new peak of allocated bytes.
    sequences.push_back({"allocate-splits-a-block-found-through-the-summary", {allocate(small)}});

    // cw_heap_allocate taking a block of the wanted word (first count-trailing-zeros hits) that
    // is too small to split: the remainder branch not taken, the free block count decremented.
    sequences.push_back(
        {"allocate-takes-a-whole-block-of-its-class",
         {allocate(small), allocate(small), allocate(small), release(1), allocate(small)}});

    // cw_heap_allocate from a list of several blocks: the class stays non-empty (no bitmap
    // clearing) and a larger block is split.
    sequences.push_back(
        {"allocate-splits-the-head-of-a-long-list",
         {allocate(medium), allocate(small), allocate(medium), allocate(small), allocate(medium),
          allocate(small), release(0), release(2), release(4), allocate(small)}});

    // cw_heap_allocate failing: no word above holds a class large enough (out of memory).
    sequences.push_back(
        {"allocate-finds-no-class", {allocate(2 * quarter), allocate(2 * quarter)}});

    // cw_heap_free, the analyzer's worst path: the freed block merges with a free predecessor
    // and a free successor, and each is alone in its class, in a word it has to itself (the
    // predecessor small, in nonempty[0]; the successor the arena's remainder, in a higher word).
    // Both unlinks empty their class and their word, so both clear a nonempty[] bit and a
    // summary bit before the merged block is linked.
    sequences.push_back(
        {"free-merges-both-emptying-their-classes",
         {allocate(small), allocate(small), allocate(small), release(0), release(2), release(1)}});

    // cw_heap_free merging with both neighbours while each sits in a list of several blocks:
    // the unlinks take blocks from the middle (and the head) of non-empty lists, so no bitmap
    // bit is cleared.
    sequences.push_back({"free-merges-both-from-non-empty-lists",
                         {allocate(small), allocate(small), allocate(small), allocate(small),
                          allocate(small), allocate(small), allocate(small), allocate(small),
                          release(0), release(2), release(6), release(4), release(3)}});

    // cw_heap_free with used neighbours: no merge, one link.
    sequences.push_back(
        {"free-merges-nothing", {allocate(small), allocate(small), allocate(small), release(1)}});

    // cw_heap_reallocate growing in place into a free next block (unlinking it, emptying its
    // class) and giving the tail back as a new free block (linking it).
    sequences.push_back({"reallocate-grows-into-the-free-next-block",
                         {allocate(small), allocate(medium), allocate(small), release(1),
                          reallocate(0, 2 * small)}});

    // cw_heap_reallocate that cannot grow in place (the free next block is too small): it
    // allocates from the arena's remainder, copies, and frees the old block, which merges with a
    // free predecessor and a free successor.
    sequences.push_back({"reallocate-moves-and-merges-both",
                         {allocate(small), allocate(medium), allocate(small), allocate(small),
                          release(0), release(2), reallocate(1, 2 * medium)}});

    // cw_heap_reallocate's loop: the copy runs for the old payload's words, so a large block
    // moves: a quarter of the arena (its class rounds it up by at most an eighth, so asking for
    // half as much again is beyond it), behind a guard block, into the remainder (more than
    // 2.8 quarters, a class above the request's).
    sequences.push_back(
        {"reallocate-moves-a-large-block",
         {allocate(quarter), allocate(small), reallocate(0, quarter + quarter / 2)}});
    return sequences;
}

llvm::Expected<WorkloadResult> run_adversarial(runner::Machine& machine,
                                               const AdversarialWorkload& workload) {
    const std::string target = runner::target_name(machine.target()).str();
    const std::vector<reports::Metric> metrics = measured_metrics(machine.target());
    WorkloadTally tally(target, "adversarial");
    auto probe = HeapSession::start(machine, workload.heap);
    if (!probe) {
        return probe.takeError();
    }
    const HeapSetup setup{probe->arena_bytes(), workload.heap.validate};
    for (const AdversarialSequence& sequence : adversarial_sequences(setup.arena_bytes)) {
        auto session = HeapSession::start(machine, setup);
        if (!session) {
            return session.takeError();
        }
        std::vector<std::string> operations{init_operation(setup)};
        for (const HeapOperation& operation : sequence.operations) {
            operations.push_back(to_string(operation));
            auto call = session->apply(operation);
            if (!call) {
                return error("sequence " + sequence.name + ", '" + operations.back() +
                             "': " + llvm::toString(call.takeError()));
            }
            for (reports::Metric metric : metrics) {
                const uint64_t cost = metric == reports::Metric::instructions
                                          ? call->cost.instructions
                                          : call->cost.cycles;
                tally.record(function_of(operation.kind), metric, cost, sequence.name,
                             [&] { return operations; });
            }
        }
    }
    return tally.result();
}

} // namespace clockwork::workloads
