// Property 3 for free: on every heap of up to symbolic_heap::kScope blocks that the invariant
// admits, freeing any used block leaves the heap well-formed, returns CW_OK, and takes exactly
// that block's bytes off the allocated count.
#include <clockwork/symbolic_heap.h>

CW_HARNESS {
    using namespace symbolic_heap;
    const Snapshot before = build_symbolic_heap();
    const auto [block, size] = choose_used_block(before);

    const size_t allocated_before = before.heap->allocated;
    const cw_status status = cw_heap_free(before.heap, reinterpret_cast<char*>(block) + kHeader);
    assert_well_formed(before, "free-keeps-blocks-tiling", "free-keeps-free-blocks-apart",
                       "free-keeps-free-blocks-listed", "free-keeps-lists-sound",
                       "free-keeps-bitmaps", "free-keeps-statistics");
    cw_assert(status == CW_OK, "free-of-a-used-block-succeeds");
    cw_assert(before.heap->allocated == allocated_before - size, "free-uncounts-the-block");
}
