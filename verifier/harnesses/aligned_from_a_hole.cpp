// allocate_aligned beside a hole: the first of two allocations freed, so a free block sits in
// front of a block in use. A request whose class is above the hole's is served from the free
// rest of the arena, never from the hole; one the hole's class can hold is served from the hole
// (good fit: the lowest class that holds it); a plain request of the hole's own size takes it
// whole; an aligned request that takes it whole gives back its tail as a free block of its own,
// the next block being in use. When nothing is free above the hole (the fence took the rest),
// a request of a higher class, in the hole's own bitmap word, is refused and counted, the heap
// unchanged. Each time the block holds the request and is aligned, the heap is well formed,
// and after the free the heap is as before. A block served from the hole lies at the lowest
// aligned payload address there that leaves either no head or a head that is a block of its
// own: a needless head is space the hole no longer offers (M1156 and M1157, a head of a whole
// alignment split off a payload that was aligned already, survived before). Scope: a 112-byte
// hole in the first bitmap word of a 2 KiB heap and a 768-byte hole in the second word of a
// 3 KiB heap; concrete sizes and alignments, validation on and off, and one heap that starts a
// granule into its arena.
#include "heap_layout.hpp"

#include <clockwork/annotations.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

#include <stdint.h>

namespace {
alignas(CW_HEAP_ALIGNMENT) unsigned char small_arena[2048];
alignas(CW_HEAP_ALIGNMENT) unsigned char large_arena[3072];

// The hole, and what comes after the block that fences it off.
struct Layout {
    size_t hole_request;
    bool fence_takes_the_rest; // else the rest of the arena stays one free block
};
// A 112-byte block, in the first bitmap word: its class lies below those of 120 bytes and of
// 40 aligned to 64. Above it, the free rest.
constexpr Layout kSmallHole{100, false};
// A 768-byte block, in the second word, and nothing free above it: a request of a higher class
// in the same word must be refused, not served from a lower one.
constexpr Layout kLargeHole{700, true};

// The heap starts `shift` bytes into the arena: every block moves with it, and so does the
// residue of the hole's payload modulo an alignment.
template <size_t ArenaSize>
void beside_a_hole(unsigned char (&arena)[ArenaSize], const Layout& layout, size_t size,
                   size_t alignment, bool validate, size_t shift = 0) {
    cw_heap_options options = cw_heap_default_options();
    options.validate = validate ? 1 : 0;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena + shift, ArenaSize - shift, &options, &heap) == CW_OK);
    void* hole = cw_heap_allocate(heap, layout.hole_request);
    void* fence =
        cw_heap_allocate(heap, layout.fence_takes_the_rest ? cw_heap_largest_free_block(heap) : 1);
    cw_assume(hole != nullptr && fence != nullptr && cw_heap_free(heap, hole) == CW_OK);
    const uintptr_t hole_begin = reinterpret_cast<uintptr_t>(hole) - kHeader;
    const uintptr_t hole_end = reinterpret_cast<uintptr_t>(fence) - kHeader;
    cw_heap_diagnostics before{};
    cw_heap_get_diagnostics(heap, &before);
    // Good fit: the hole serves iff the block the search asks for (the request, with room for
    // the head when aligned) is no larger than the hole.
    const size_t searched = alignment <= kAlign ? size : size + alignment + kAlign;
    const bool fits = clockwork::block_size_for_request(searched, kGranuleLog2, kSpacingLog2) <=
                      hole_end - hole_begin;

    void* p = cw_heap_allocate_aligned(heap, size, alignment);
    if (layout.fence_takes_the_rest && !fits) {
        cw_heap_diagnostics after{};
        cw_heap_get_diagnostics(heap, &after);
        cw_assert(p == nullptr && after.oom_count == before.oom_count + 1 &&
                      after.allocated == before.allocated &&
                      after.free_block_count == before.free_block_count &&
                      cw_heap_invariants_hold(heap) == 1,
                  "hole-alone-refuses-what-it-cannot-hold");
        return;
    }
    cw_assert(p != nullptr, "hole-request-is-served");
    if (p == nullptr) {
        return;
    }
    const uintptr_t at = reinterpret_cast<uintptr_t>(p);
    const uintptr_t begin = reinterpret_cast<uintptr_t>(arena) + shift;
    const Block* b = reinterpret_cast<const Block*>(static_cast<char*>(p) - kHeader);
    const size_t block = b->size_used & ~kUsed;
    cw_assert(at % alignment == 0 && at >= begin && size <= begin + (ArenaSize - shift) - at &&
                  (b->size_used & kUsed) != 0 && block - kHeader >= size,
              "hole-block-holds-the-request");
    const bool in_hole = at > hole_begin && at < hole_end;
    cw_assert(in_hole == fits, "hole-serves-exactly-what-fits-its-class");
    if (in_hole) {
        const uintptr_t first_payload = hole_begin + kHeader;
        const auto can_start_at = [&](uintptr_t payload) {
            return payload >= first_payload && payload % alignment == 0 &&
                   (payload == first_payload || payload - first_payload >= kMinBlock);
        };
        cw_assert(can_start_at(at) && !can_start_at(at - alignment),
                  "hole-block-takes-the-lowest-place");
    }
    cw_assert(cw_heap_invariants_hold(heap) == 1, "hole-keeps-the-invariant");
    cw_assert(cw_heap_free(heap, p) == CW_OK, "hole-pointer-frees");
    cw_heap_diagnostics after{};
    cw_heap_get_diagnostics(heap, &after);
    cw_assert(cw_heap_invariants_hold(heap) == 1 && after.allocated == before.allocated &&
                  after.free_block_count == before.free_block_count,
              "hole-and-rest-come-back");
}
} // namespace

CW_HARNESS {
    // 100 at 1: the hole's own size, taken whole. 120 at 1 and 40 at 64: a class above the
    // hole's, served from the rest. 40 at 16: held by the hole, whose remainder is split off.
    // 72 at 16 and 24 at 64: take the hole whole and leave a tail before the used block. Where
    // the hole's payload lies depends on the control structure, which validation changes: 72 at
    // 16 leaves a tail when the payload is 16-aligned (no head), 24 at 64 when it is 24 past a
    // multiple of 64 (a head of 40), as without validation.
    const size_t sizes[] = {100, 120, 40, 40, 72, 24};
    const size_t alignments[] = {1, 1, 64, 16, 16, 64};
    // 760 at 1: the large hole's own size. 600 at 64: held by it. 800 at 1 and 700 at 64: a
    // class above it, with nothing free there: refused.
    const size_t large_sizes[] = {760, 600, 800, 700};
    const size_t large_alignments[] = {1, 64, 1, 64};
    for (unsigned v = 0; v < 2; ++v) {
        CW_LOOP_BOUND(2);
        for (unsigned i = 0; i < 6; ++i) {
            CW_LOOP_BOUND(6);
            beside_a_hole(small_arena, kSmallHole, sizes[i], alignments[i], v != 0);
        }
        for (unsigned i = 0; i < 4; ++i) {
            CW_LOOP_BOUND(4);
            beside_a_hole(large_arena, kLargeHole, large_sizes[i], large_alignments[i], v != 0);
        }
    }
    // Without validation the hole's payload is 8 past a multiple of 16; a heap one granule
    // further in makes it 16-aligned, so 72 at 16 takes the hole with no head and gives back a
    // tail, as with validation.
    beside_a_hole(small_arena, kSmallHole, 72, 16, false, kAlign);
}
