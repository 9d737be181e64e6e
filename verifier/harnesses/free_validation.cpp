// Property 4: with validation on, freeing the pointer allocate returned succeeds, and freeing
// it again is refused with CW_ERR_DOUBLE_FREE and leaves the heap as it was, except for
// invalid_free_count, which cw_alloc.h says goes up by one: exactly one word of the arena
// changes, by one, and the diagnostics' counter is that word. Then no block is live, and any
// other non-null pointer is refused as well. Scope: one 24-byte block in a fresh 2 KiB heap.
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
    cw_assert(cw_heap_free(heap, p) == CW_OK, "free-of-allocated-pointer-succeeds");
    cw_heap_diagnostics emptied{};
    cw_heap_get_diagnostics(heap, &emptied);
    cw_assert(emptied.allocated == 0 && emptied.free_block_count == 1 &&
                  emptied.peak_allocated >= 24 && emptied.invalid_free_count == 0,
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
