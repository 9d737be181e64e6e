/* Property 3 for reallocate, the inductive step: on every heap of up to symbolic_heap::kScope
 * blocks that the invariant admits, resizing any used block to any size leaves the heap
 * well-formed and reports CW_OK. A pointer back is a used block that holds the request; null for a
 * non-zero size leaves the allocated count as it was, and size 0 takes the block's bytes off it.
 *
 * The requests are split in two harnesses, which together cover every size_t: those reallocate
 * answers with the block it has (0 frees it, one above the largest is refused, one the block
 * holds shrinks it in place), and those larger than the block (it grows into a free next block,
 * moves, or is refused for want of a block). One query for all of them took 56 s; the two halves
 * are smaller, and run on two threads. */
#ifndef CLOCKWORK_REALLOCATE_STEP_H
#define CLOCKWORK_REALLOCATE_STEP_H

#include <clockwork/symbolic_heap.h>

enum class Requests { kept_in_place, larger_than_the_block };

template <Requests kRequests>
inline void check_reallocate_step() {
    using namespace symbolic_heap;
    const Snapshot state = build_symbolic_heap();
    const auto [block, size] = choose_used_block(state);

    const size_t allocated_before = state.heap->allocated;
    const size_t n = cw_nondet<size_t>();
    const size_t need = static_cast<size_t>(kGeometry.round_up(n + kHeader));
    const bool larger = n != 0 && n <= state.heap->max_request && need > size;
    cw_assume(larger == (kRequests == Requests::larger_than_the_block));
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
        /* Property 2 for reallocate: the pointer is the payload of a block the walk from the
         * start sentinel reaches, so it lies inside the region and is aligned. */
        const size_t at = static_cast<size_t>(
            reinterpret_cast<const unsigned char*>(b) -
            reinterpret_cast<const unsigned char*>(block_at(state.start, kHeader)));
        const Layout after = read_layout(state.heap, state.start);
        bool starts_a_block = false;
        for (unsigned j = 0; j < kPositions; ++j) {
            CW_LOOP_BOUND(kPositions);
            starts_a_block |= (at == j * kAlign) & after.starts[j];
        }
        cw_assert(starts_a_block && reinterpret_cast<uintptr_t>(q) % CW_HEAP_ALIGNMENT == 0,
                  "reallocate-returns-an-aligned-block-of-the-heap");
    } else if (n != 0) {
        cw_assert(state.heap->allocated == allocated_before, "failed-reallocate-keeps-the-block");
    } else if constexpr (kRequests == Requests::kept_in_place) {
        cw_assert(state.heap->allocated == allocated_before - size,
                  "reallocate-to-zero-frees-the-block");
    }
}

#endif
