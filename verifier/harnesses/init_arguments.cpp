// cw_heap_init's checks and the heap it makes, on arenas whose contents are anything (init
// must write every word it later reads, the start map included). A misaligned arena, or one
// below cw_heap_min_arena_size, is refused with the status cw_alloc.h names; any other size is
// rounded down to the alignment and cut at the largest arena the heap manages, and the heap
// spans exactly that, less the control structure, start map and sentinels; it is well formed
// and empty, with zeroed statistics; init writes no byte of the free block past its links (its
// start-map loop clears exactly the map). Scope: concrete sizes at and around each minimum, one
// unaligned size, and one past the largest arena (validation off there: its start map zeroing
// would run 2^16 iterations); null options at one size.
#include "heap_layout.hpp"

#include <clockwork/annotations.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

namespace {
constexpr size_t kArena = kMaxArena + 4 * kAlign;
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[kArena]; // above 4 KiB: any initial contents

size_t usable_size(size_t size) {
    return (size > kMaxArena ? kMaxArena : size) & ~(kAlign - 1);
}

// The word after the free block's links, where the arena leaves room for it: init writes the
// control structure, the start map (a loop of exactly its words, as cw_alloc.h promises), the
// sentinels and the block's header and links, and nothing else. Null when no such word exists.
Word* first_payload_word_past_links(size_t skew, size_t size, bool validate) {
    const size_t usable = usable_size(size);
    if (skew % kAlign != 0 || usable < cw_heap_min_arena_size(validate ? 1 : 0)) {
        return nullptr;
    }
    const size_t block = static_cast<size_t>(kGeometry.control_size()) +
                         (validate ? static_cast<size_t>(kGeometry.start_map_size(usable)) : 0) +
                         kHeader;
    const size_t word = block + sizeof(Block);
    if (word + sizeof(Word) > usable - kHeader) {
        return nullptr;
    }
    typedef Word __attribute__((may_alias)) AnyWord;
    return reinterpret_cast<AnyWord*>(arena + skew + word);
}

void init_checked(size_t skew, size_t size, bool validate) {
    cw_heap_options options = cw_heap_default_options();
    options.validate = validate ? 1 : 0;
    // Any word: the arena is shared by the calls, and what earlier ones left there must not hide
    // a write.
    Word* untouched = first_payload_word_past_links(skew, size, validate);
    const Word untouched_before = cw_nondet<Word>();
    if (untouched != nullptr) {
        *untouched = untouched_before;
    }
    cw_heap* heap = nullptr;
    const cw_status status = cw_heap_init(arena + skew, size, &options, &heap);
    if (skew % kAlign != 0) {
        cw_assert(status == CW_ERR_ARENA_MISALIGNED, "misaligned-arena-is-refused");
        return;
    }
    const size_t usable = usable_size(size);
    if (usable < cw_heap_min_arena_size(validate ? 1 : 0)) {
        cw_assert(status == CW_ERR_ARENA_TOO_SMALL, "small-arena-is-refused");
        return;
    }
    cw_assert(status == CW_OK, "arena-from-the-minimum-is-accepted");
    if (status != CW_OK) {
        return;
    }
    cw_heap_diagnostics d{};
    cw_heap_get_diagnostics(heap, &d);
    cw_assert(d.capacity == usable - static_cast<size_t>(kGeometry.overhead(usable, validate)),
              "init-spans-the-usable-arena");
    cw_assert(d.allocated == 0 && d.peak_allocated == 0 && d.peak_request == 0 &&
                  d.oom_count == 0 && d.invalid_free_count == 0 && d.free_block_count == 1,
              "init-makes-an-empty-heap");
    // Each hot path makes one test against these: an unchecked heap (no validation, no lock)
    // keeps allocate and free on their fast paths, a checked one sends every call to the
    // checked path.
    cw_assert(validate
                  ? heap->allocate_limit == 0 && heap->free_limit == 0
                  : heap->allocate_limit == heap->max_request && heap->free_limit == ~uintptr_t{0},
              "init-sets-the-fast-path-limits");
    cw_assert(cw_heap_invariants_hold(heap) == 1, "init-leaves-a-well-formed-heap");
    cw_assert(untouched == nullptr || *untouched == untouched_before,
              "init-writes-no-free-block-payload");
    cw_assert(cw_heap_max_allocation_size(heap) != 0 &&
                  cw_heap_allocate(heap, cw_heap_max_allocation_size(heap)) != nullptr,
              "init-serves-its-largest-request");
}

// cw_alloc.h: options may be null, and then are cw_heap_default_options(). The defaults show
// in the heap init makes: its start map and fast-path limits follow `validate`, and no lock.
void init_without_options(size_t size) {
    const cw_heap_options defaults = cw_heap_default_options();
    const bool validate = defaults.validate != 0;
    cw_heap* heap = nullptr;
    const cw_status status = cw_heap_init(arena, size, nullptr, &heap);
    cw_assert(status == CW_OK, "null-options-are-accepted");
    if (status != CW_OK) {
        return;
    }
    const size_t usable = usable_size(size);
    cw_assert(
        heap->capacity == usable - static_cast<size_t>(kGeometry.overhead(usable, validate)) &&
            (heap->start_map != nullptr) == validate && heap->lock.enter == nullptr &&
            heap->lock.exit == nullptr &&
            (validate
                 ? heap->allocate_limit == 0 && heap->free_limit == 0
                 : heap->allocate_limit == heap->max_request && heap->free_limit == ~uintptr_t{0}),
        "null-options-are-the-defaults");
}
} // namespace

CW_HARNESS {
    for (unsigned v = 0; v < 2; ++v) {
        CW_LOOP_BOUND(2);
        const bool validate = v != 0;
        const size_t least = cw_heap_min_arena_size(v);
        const size_t sizes[] = {least - kAlign, least - 1, least, least + kAlign - 1, 8192 + 3};
        for (size_t size : sizes) {
            CW_LOOP_BOUND(5);
            init_checked(0, size, validate);
        }
        init_checked(kAlign / 2, 2048, validate);
        init_checked(1, 2048, validate);
    }
    init_checked(0, kArena, false);
    init_without_options(2048);
}
