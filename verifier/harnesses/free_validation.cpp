// Property 4: with validation on, a pointer that is no live block's payload is refused with the
// status cw_alloc.h gives its kind, and leaves the heap as it was, except for invalid_free_count,
// which goes up by one: exactly one word of the arena changes, by one, and the diagnostics'
// counter is that word. While a 24-byte block is live: a pointer one byte into its payload
// (misaligned), one alignment into it (interior), and, foreign, one into the control block, the
// arena's end and one outside the arena. Freeing the pointer allocate returned succeeds;
// freeing it again is refused as a double free. Then no block is live, and any other non-null
// pointer is refused as well. Scope: one 24-byte block in a fresh 2 KiB heap.
#include <clockwork/annotations.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

namespace {
constexpr size_t kArena = 2048;
constexpr size_t kWords = kArena / sizeof(uint32_t);
alignas(CW_HEAP_ALIGNMENT) uint32_t arena[kWords];
uint32_t snapshot[kWords];

// Branch-free, so that the loop's trip count does not depend on the heap's contents.
bool only_one_word_went_up_by_one() {
    uint32_t changed = 0;
    uint32_t incremented = 0;
    for (size_t i = 0; i < kWords; ++i) {
        CW_LOOP_BOUND(kWords);
        changed += arena[i] != snapshot[i] ? 1u : 0u;
        incremented += arena[i] == snapshot[i] + 1 ? 1u : 0u;
    }
    return changed == 1 && incremented == 1;
}

uint32_t invalid_frees(const cw_heap* heap) {
    cw_heap_diagnostics diagnostics{};
    cw_heap_get_diagnostics(heap, &diagnostics);
    return diagnostics.invalid_free_count;
}

// Freeing `bad` is refused with `expected`, and only the refusal count changes: to `refusals`.
__attribute__((always_inline)) inline void refused_alone(cw_heap* heap, void* bad,
                                                         cw_status expected, uint32_t refusals) {
    __builtin_memcpy(snapshot, arena, sizeof arena);
    cw_assert(cw_heap_free(heap, bad) == expected, "invalid-pointer-gets-the-status-of-its-kind");
    cw_assert(only_one_word_went_up_by_one() && invalid_frees(heap) == refusals,
              "invalid-pointer-changes-only-the-refusal-count");
}
} // namespace

CW_HARNESS {
    cw_heap_options options = cw_heap_default_options();
    options.validate = 1;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena, sizeof arena, &options, &heap) == CW_OK);
    void* p = cw_heap_allocate(heap, 24);
    cw_assert(p != nullptr, "small-request-succeeds");
    if (p == nullptr) {
        return;
    }

    // Each a concrete address, freed in turn: a pointer chosen among them, or a symbolic offset
    // into the payload, leaves the path that frees it open to the solver, whose stores at
    // symbolic addresses made the comparison of the arena run out of memory.
    char* const payload = static_cast<char*>(p);
    char* const arena_bytes = reinterpret_cast<char*>(arena);
    refused_alone(heap, payload + 1, CW_ERR_MISALIGNED_POINTER, 1);
    refused_alone(heap, payload + CW_HEAP_ALIGNMENT, CW_ERR_INTERIOR_POINTER, 2);
    refused_alone(heap, arena_bytes + CW_HEAP_ALIGNMENT, CW_ERR_FOREIGN_POINTER, 3);
    refused_alone(heap, arena_bytes + sizeof arena, CW_ERR_FOREIGN_POINTER, 4);
    refused_alone(heap, snapshot, CW_ERR_FOREIGN_POINTER, 5);

    cw_assert(cw_heap_free(heap, p) == CW_OK, "free-of-allocated-pointer-succeeds");
    cw_heap_diagnostics emptied{};
    cw_heap_get_diagnostics(heap, &emptied);
    cw_assert(emptied.allocated == 0 && emptied.free_block_count == 1 &&
                  emptied.peak_allocated >= 24 && emptied.invalid_free_count == 5,
              "free-restores-the-statistics");

    const uint32_t refused_before = invalid_frees(heap);
    __builtin_memcpy(snapshot, arena, sizeof arena);
    cw_assert(cw_heap_free(heap, p) == CW_ERR_DOUBLE_FREE, "double-free-is-refused");
    cw_assert(only_one_word_went_up_by_one() && invalid_frees(heap) == refused_before + 1,
              "double-free-changes-only-the-refusal-count");

    char* q = cw_nondet<char*>();
    cw_assume(q != nullptr);
    cw_assert(cw_heap_free(heap, q) != CW_OK, "free-of-non-live-pointer-is-refused");
}
