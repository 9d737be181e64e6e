// Properties 3 and 4 on the release path (validation off, the path the bundled configuration
// bounds): two blocks carved from a fresh heap and freed in either order merge back into the
// one free block the heap started with. Each free returns CW_OK and leaves the statistics
// cw_alloc.h promises (allocated bytes, free blocks); then the largest request the heap serves
// gets the first block again, which only works when every merge, unlink, list and bitmap
// update on the way was right. Scope: a fresh 2 KiB heap; two blocks of
// different classes (small then large, large then small) that leave a rest, both free orders.
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

namespace {
constexpr size_t kArena = 2048;
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[kArena];

size_t block_size(const void* payload) {
    return static_cast<const size_t*>(payload)[-1] & ~size_t{1};
}

cw_heap_diagnostics diagnostics(const cw_heap* heap) {
    cw_heap_diagnostics d{};
    cw_heap_get_diagnostics(heap, &d);
    return d;
}

void round_trip(size_t first, size_t second, bool first_block_first) {
    cw_heap_options options = cw_heap_default_options();
    options.validate = 0;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena, sizeof arena, &options, &heap) == CW_OK);
    const size_t capacity = diagnostics(heap).capacity;
    const size_t max = cw_heap_max_allocation_size(heap);

    void* p1 = cw_heap_allocate(heap, first);
    const size_t size1 = p1 != nullptr ? block_size(p1) : 0;
    void* p2 = cw_heap_allocate(heap, second);
    cw_assert(p1 != nullptr && p2 != nullptr, "round-trip-blocks-are-served");
    if (p1 == nullptr || p2 == nullptr) {
        return;
    }
    const size_t size2 = block_size(p2);

    void* early = first_block_first ? p1 : p2;
    void* late = first_block_first ? p2 : p1;
    cw_assert(cw_heap_free(heap, early) == CW_OK, "release-free-succeeds");
    const cw_heap_diagnostics middle = diagnostics(heap);
    // The first block freed first stays apart (the second is used); the second freed first
    // merges with the rest.
    const size_t free_blocks = first_block_first ? 2 : 1;
    cw_assert(middle.allocated == (first_block_first ? size2 : size1) &&
                  middle.free_block_count == free_blocks,
              "release-free-counts-blocks-and-bytes");

    cw_assert(cw_heap_free(heap, late) == CW_OK, "release-free-succeeds");
    const cw_heap_diagnostics empty = diagnostics(heap);
    cw_assert(empty.allocated == 0 && empty.free_block_count == 1 &&
                  empty.peak_allocated == size1 + size2,
              "release-free-counts-blocks-and-bytes");

    // The largest request only fits a block of more than half the capacity, which only the
    // merged block is; it starts where the first block did.
    void* whole = cw_heap_allocate(heap, max);
    cw_assert(whole == p1 && block_size(whole) > capacity / 2, "frees-merge-back-into-one-block");
}
} // namespace

CW_HARNESS {
    round_trip(24, 200, true);
    round_trip(24, 200, false);
    round_trip(200, 24, true);
    round_trip(200, 24, false);
}
