// Not in the default set: its queries take far longer than the verifier's budget
// (docs/verifier.md, Limits). Property 3 for reallocate: on every heap of up to
// symbolic_heap::kScope blocks that the invariant admits, resizing any used block to any size
// leaves the heap well-formed and reports CW_OK. A pointer back is a used block that holds the
// request; null for a non-zero size leaves the allocated count as it was, and size 0 takes the
// block's bytes off it.
#include <clockwork/symbolic_heap.h>

CW_HARNESS {
    using namespace symbolic_heap;
    const Snapshot state = build_symbolic_heap();
    const auto [block, size] = choose_used_block(state);

    const size_t allocated_before = state.heap->allocated;
    const size_t n = cw_nondet<size_t>();
    cw_status status = CW_OK;
    void* q = cw_heap_reallocate(state.heap, reinterpret_cast<char*>(block) + kHeader, n, &status);
    assert_well_formed(state, "reallocate-keeps-blocks-tiling",
                       "reallocate-keeps-free-blocks-apart", "reallocate-keeps-free-blocks-listed",
                       "reallocate-keeps-lists-sound", "reallocate-keeps-bitmaps",
                       "reallocate-keeps-statistics");
    cw_assert(status == CW_OK, "reallocate-of-a-used-block-reports-ok");
    if (q != nullptr) {
        const Block* b = block_of_payload(q);
        cw_assert(!block_is_free(b) && payload_bytes(b) >= n,
                  "reallocate-returns-a-used-block-that-fits");
    } else if (n != 0) {
        cw_assert(state.heap->allocated == allocated_before, "failed-reallocate-keeps-the-block");
    } else {
        cw_assert(state.heap->allocated == allocated_before - size,
                  "reallocate-to-zero-frees-the-block");
    }
}
