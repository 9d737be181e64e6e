// Property 3 for allocate: on every heap of up to symbolic_heap::kScope blocks that the invariant
// admits, any request leaves the heap well-formed. And it does what the header promises: a pointer
// exactly when a free block of a class that fits the request exists (good fit: the search starts at
// the first class whose every block fits), carved from that free block, now used and large enough,
// its bytes counted as allocated. The block is the request's class size, and the whole free block
// only when the rest would be smaller than a minimum block: the waste cw_alloc.h documents on every
// heap, not only on the empty one of size_mapping.cpp.
#include <clockwork/symbolic_heap.h>

CW_HARNESS {
    using namespace symbolic_heap;
    const Snapshot before = build_symbolic_heap();
    const Layout& l = before.layout;
    cw_heap* h = before.heap;
    const size_t allocated_before = h->allocated;

    const size_t n = cw_nondet<size_t>();
    const bool servable = n != 0 && n <= h->max_request;
    const size_t needed = servable ? static_cast<size_t>(kGeometry.block_size(n)) : 0;
    bool fits = false;
    for (unsigned j = 0; j < kPositions; ++j) {
        CW_LOOP_BOUND(kPositions);
        fits |= l.free_at[j] & (l.size_at[j] >= needed);
    }

    void* p = cw_heap_allocate(h, n);
    assert_well_formed(before, "allocate-keeps-blocks-tiling", "allocate-keeps-free-blocks-apart",
                       "allocate-keeps-free-blocks-listed", "allocate-keeps-lists-sound",
                       "allocate-keeps-bitmaps", "allocate-keeps-statistics");
    cw_assert((p != nullptr) == (servable && fits), "allocate-succeeds-exactly-when-a-class-fits");
    if (p == nullptr) {
        cw_assert(h->allocated == allocated_before, "failed-allocate-changes-no-block");
        return;
    }
    const Block* b = block_of_payload(p);
    const Block* first_block = block_at(before.start, kHeader);
    bool was_free_block = false;
    size_t free_size = 0;
    for (unsigned j = 0; j < kPositions; ++j) {
        CW_LOOP_BOUND(kPositions);
        const bool here = l.free_at[j] & (block_at(first_block, j * kAlign) == b);
        was_free_block |= here;
        free_size |= here ? l.size_at[j] : 0;
    }
    cw_assert(was_free_block, "allocate-carves-from-a-free-block");
    const size_t taken = b->size_used & ~kUsed;
    cw_assert(taken == needed || (taken == free_size && free_size - needed < kMinBlock),
              "allocate-splits-off-every-rest-that-holds-a-block");
    cw_assert(!block_is_free(b) && payload_bytes(b) >= n,
              "allocate-returns-a-used-block-that-fits");
    cw_assert(h->allocated == allocated_before + taken, "allocate-counts-the-block");
}
