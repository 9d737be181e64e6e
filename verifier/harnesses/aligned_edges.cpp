// allocate_aligned at the edges of what it serves, on a fresh heap with validation and on one
// without. A request of 0 bytes, or an alignment that is not a power of two, gets null and is
// not counted as out of memory. A request one byte above the largest the alignment allows (for
// an alignment no larger than the heap's own: cw_heap_max_allocation_size; above it, that less
// the alignment and one granule of room for the head), and a request of SIZE_MAX, get null,
// count once each as out of memory and as the peak request, and leave the heap empty and well
// formed. The largest request itself is served: aligned, inside the arena, holding the request,
// the heap well formed; it frees with CW_OK and the heap is one free block again. Scope:
// alignments 1, 16 and 64, each from a fresh 2 KiB heap.
#include "heap_layout.hpp"

#include <clockwork/annotations.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

#include <stdint.h>

namespace {
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[2048];

// Nothing allocated, one free block, well formed, and the refusals so far counted.
bool empty_and_counted(cw_heap* heap, uint32_t refusals, size_t peak_request) {
    cw_heap_diagnostics d{};
    cw_heap_get_diagnostics(heap, &d);
    return d.allocated == 0 && d.free_block_count == 1 && d.oom_count == refusals &&
           d.peak_request == peak_request && cw_heap_invariants_hold(heap) == 1;
}

void largest_is_served(cw_heap* heap, size_t largest, size_t alignment) {
    void* p = cw_heap_allocate_aligned(heap, largest, alignment);
    cw_assert(p != nullptr, "aligned-largest-request-is-served");
    if (p == nullptr) {
        return;
    }
    const uintptr_t at = reinterpret_cast<uintptr_t>(p);
    const uintptr_t begin = reinterpret_cast<uintptr_t>(arena);
    const Block* b = reinterpret_cast<const Block*>(static_cast<char*>(p) - kHeader);
    cw_assert(at % alignment == 0 && at >= begin && largest <= begin + sizeof arena - at &&
                  (b->size_used & kUsed) != 0 && (b->size_used & ~kUsed) - kHeader >= largest,
              "aligned-largest-block-holds-the-request");
    cw_assert(cw_heap_invariants_hold(heap) == 1, "aligned-largest-keeps-the-invariant");
    cw_assert(cw_heap_free(heap, p) == CW_OK && empty_and_counted(heap, 2, SIZE_MAX),
              "aligned-largest-frees-back");
}

void edges(size_t alignment, bool validate) {
    cw_heap_options options = cw_heap_default_options();
    options.validate = validate ? 1 : 0;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena, sizeof arena, &options, &heap) == CW_OK);

    cw_assert(cw_heap_allocate_aligned(heap, 0, alignment) == nullptr &&
                  empty_and_counted(heap, 0, 0),
              "aligned-zero-gets-null-uncounted");
    cw_assert(cw_heap_allocate_aligned(heap, 8, alignment + kAlign) == nullptr &&
                  empty_and_counted(heap, 0, 0),
              "aligned-odd-alignment-gets-null-uncounted");

    const size_t max = cw_heap_max_allocation_size(heap);
    const size_t largest = alignment <= kAlign ? max : max - alignment - kAlign;
    cw_assert(cw_heap_allocate_aligned(heap, largest + 1, alignment) == nullptr &&
                  empty_and_counted(heap, 1, largest + 1),
              "aligned-too-large-is-refused-and-counted");
    cw_assert(cw_heap_allocate_aligned(heap, SIZE_MAX, alignment) == nullptr &&
                  empty_and_counted(heap, 2, SIZE_MAX),
              "aligned-too-large-is-refused-and-counted");
    largest_is_served(heap, largest, alignment);
}
} // namespace

CW_HARNESS {
    const size_t alignments[] = {1, 16, 64};
    for (unsigned v = 0; v < 2; ++v) {
        CW_LOOP_BOUND(2);
        for (size_t alignment : alignments) {
            CW_LOOP_BOUND(3);
            edges(alignment, v != 0);
        }
    }
}
