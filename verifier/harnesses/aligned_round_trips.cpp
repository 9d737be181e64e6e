// allocate_aligned as round trips, on a heap with validation and on one without: for each
// alignment (one no larger than the heap's own, served by plain allocate) and each size, the
// pointer is aligned and inside the arena; the block behind it is used, holds the request and is
// what the heap counts as allocated; it is the request's class size (plain) or request plus
// header rounded to the granule (aligned): head and tail went back to the heap; the request is
// the peak, the block alone is the allocated peak, and nothing counts as out of memory; the heap
// stays well formed (with validation, the head split off before the aligned block is a free
// block with its start bit, and the block's start bit moves with it); the pointer frees with
// CW_OK and the heap merges back: the largest request is served again.
// aligned_pointer_bounds.cpp covers every size and alignment, without validation, for bounds
// and alignment only; aligned_edges.cpp the refusals and the largest requests. Scope: concrete
// alignments and sizes from a fresh 2 KiB heap each, and fresh heaps laid out so that a bitmap
// word empties or fills (the first free payload lies 1304 bytes into a heap without
// validation, 1344 with a 2.5 KiB arena's start map; the second bitmap word begins at 640
// bytes, the third at 10240):
// - 200 at 16, 3 KiB: the rest of the arena is the only block of the second word, so giving
//   back the tail unlinks it, empties that word and clears its summary bit before the merged
//   tail sets it again.
// - 40 at 16, 1984 bytes: the whole free block (680 bytes, 672 with validation) is the only
//   block of the second word and of its first class, so taking it must clear that class's bit
//   and no other (M1085 kept it: undecided before).
// - 40 at 1024, 2.5 KiB at a 1024-aligned address: the head (744 bytes, 704 with validation)
//   is the one block of the second word and the tail merged with the rest (464) lies in the
//   first, so only the head's own link sets the second word's bits (M1204 and M1214 survived
//   before: its class's word and summary bit taken wrong).
// - 592 at 16, that arena a granule in, 16-aligned without validation: no head; the rest (600)
//   is the only free block, in the first word, and the tail merged with it (640) belongs to
//   the second, so unlinking the rest must empty the first word and clear its summary bit
//   (M1272 to M1275, M1277 to M1279 and M1283 survived before: that clear skipped or wrong).
// - 488 at 16, the 2.5 KiB arena at its start: the rest (680, 640 with validation) is the only
//   block of the second word and of its first class, and the tail merged with it (736, 720)
//   is of the next class, so the rest's bit must be the one cleared (M1269 kept it).
// - 8168 at 16 without validation, 19736 bytes a granule into a 1024-aligned arena: no head;
//   the rest (9216) is the only block of the second word and the tail merged with it (10256)
//   belongs to the third, so the second word's summary bit is the one cleared (M1276 cleared
//   the first word's).
#include "heap_layout.hpp"

#include <clockwork/annotations.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

#include <stdint.h>

namespace {
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[3072];
alignas(1024) unsigned char arena_at_1024[2560];
alignas(1024) unsigned char large_arena_at_1024[19744];

void aligned_round_trip(size_t size, size_t alignment, bool validate, size_t arena_size,
                        unsigned char* arena_begin = arena) {
    cw_heap_options options = cw_heap_default_options();
    options.validate = validate ? 1 : 0;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena_begin, arena_size, &options, &heap) == CW_OK);
    void* p = cw_heap_allocate_aligned(heap, size, alignment);
    cw_assert(p != nullptr, "aligned-request-is-served");
    if (p == nullptr) {
        return;
    }
    const uintptr_t at = reinterpret_cast<uintptr_t>(p);
    const uintptr_t begin = reinterpret_cast<uintptr_t>(arena_begin);
    cw_assert(at % alignment == 0 && at >= begin && size <= begin + arena_size - at,
              "aligned-pointer-inside-arena-aligned");
    cw_heap_diagnostics d{};
    cw_heap_get_diagnostics(heap, &d);
    const Block* b = reinterpret_cast<const Block*>(static_cast<char*>(p) - kHeader);
    const size_t block = b->size_used & ~kUsed;
    cw_assert((b->size_used & kUsed) != 0 && block - kHeader >= size && d.allocated == block,
              "aligned-block-holds-the-request");
    cw_assert(d.peak_request == size, "aligned-request-is-the-peak");
    // The rest of the arena follows the block, free: a plain allocation keeps its class size,
    // an aligned one gives back every byte past its rounded request, and neither head nor
    // tail ever counts as allocated, not even for the peak.
    const size_t trimmed = alignment <= kAlign
                               ? clockwork::block_size_for_request(size, kGranuleLog2, kSpacingLog2)
                               : (size + kHeader + kAlign - 1) & ~(kAlign - 1);
    cw_assert(block == trimmed, "aligned-gives-back-head-and-tail");
    cw_assert(d.peak_allocated == block && d.oom_count == 0, "aligned-counts-only-the-block");
    cw_assert(cw_heap_invariants_hold(heap) == 1, "aligned-keeps-the-invariant");
    cw_assert(cw_heap_free(heap, p) == CW_OK, "aligned-pointer-frees");
    cw_assert(cw_heap_invariants_hold(heap) == 1, "aligned-keeps-the-invariant");
    cw_assert(cw_heap_allocate(heap, cw_heap_max_allocation_size(heap)) != nullptr,
              "aligned-merges-back");
}
} // namespace

CW_HARNESS {
    const size_t sizes[] = {1, 40, 200, 400}; // 400: the rest is of a smaller class
    const size_t alignments[] = {1, 16, 64, 256};
    for (unsigned v = 0; v < 2; ++v) {
        CW_LOOP_BOUND(2);
        for (size_t size : sizes) {
            CW_LOOP_BOUND(4);
            for (size_t alignment : alignments) {
                CW_LOOP_BOUND(4);
                aligned_round_trip(size, alignment, v != 0, 2048);
            }
        }
        aligned_round_trip(200, 16, v != 0, sizeof arena);
        aligned_round_trip(40, 16, v != 0, 1984);
        aligned_round_trip(40, 1024, v != 0, sizeof arena_at_1024, arena_at_1024);
        aligned_round_trip(592, 16, v != 0, sizeof arena_at_1024 - kAlign, arena_at_1024 + kAlign);
        aligned_round_trip(488, 16, v != 0, sizeof arena_at_1024, arena_at_1024);
    }
    aligned_round_trip(8168, 16, false, sizeof large_arena_at_1024 - kAlign,
                       large_arena_at_1024 + kAlign);
}
