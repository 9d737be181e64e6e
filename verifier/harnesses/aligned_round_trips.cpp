// allocate_aligned on a validated heap (the path that keeps the start map), which
// aligned_pointer_bounds.cpp (validation off) does not run: for each alignment above the
// heap's own and each size, the pointer is aligned and inside the arena, the heap stays well
// formed (the head split off before the aligned block is a free block with its start bit, the
// block's start bit moves with it), the pointer frees with CW_OK and the heap merges back, so
// the largest request gets the first block again. Scope: concrete alignments and sizes from a
// fresh 2 KiB heap each.
#include <clockwork/annotations.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

#include <stdint.h>

namespace {
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[2048];

void aligned_round_trip(size_t size, size_t alignment) {
    cw_heap_options options = cw_heap_default_options();
    options.validate = 1;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena, sizeof arena, &options, &heap) == CW_OK);
    const size_t max = cw_heap_max_allocation_size(heap);
    void* first = cw_heap_allocate(heap, max);
    cw_assert(first != nullptr && cw_heap_free(heap, first) == CW_OK,
              "validated-aligned-heap-starts-whole");

    void* p = cw_heap_allocate_aligned(heap, size, alignment);
    cw_assert(p != nullptr, "validated-aligned-request-is-served");
    if (p == nullptr) {
        return;
    }
    const uintptr_t at = reinterpret_cast<uintptr_t>(p);
    const uintptr_t begin = reinterpret_cast<uintptr_t>(arena);
    cw_assert(at % alignment == 0 && at >= begin && size <= begin + sizeof arena - at,
              "validated-aligned-pointer-inside-arena-aligned");
    cw_assert(cw_heap_invariants_hold(heap) == 1, "validated-aligned-keeps-the-invariant");
    cw_assert(cw_heap_free(heap, p) == CW_OK, "validated-aligned-pointer-frees");
    cw_assert(cw_heap_invariants_hold(heap) == 1, "validated-aligned-keeps-the-invariant");
    cw_assert(cw_heap_allocate(heap, max) == first, "validated-aligned-merges-back");
}
} // namespace

CW_HARNESS {
    const size_t sizes[] = {1, 40, 200};
    const size_t alignments[] = {16, 64, 256};
    for (size_t size : sizes) {
        CW_LOOP_BOUND(3);
        for (size_t alignment : alignments) {
            CW_LOOP_BOUND(3);
            aligned_round_trip(size, alignment);
        }
    }
}
