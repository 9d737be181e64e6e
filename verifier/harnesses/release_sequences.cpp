// Properties 3 and 4 on the release path (validation off, the path the bundled configuration
// bounds), on concrete heaps: three blocks carved from a fresh heap, one of them reallocated
// (grown, then shrunk back), then freed in every one of the six orders. After every call the
// whole-structure check holds (blocks tile the arena, no two free blocks are adjacent, every
// free block is in its class's list, the bitmaps agree with the lists, the statistics match
// the blocks); every free returns CW_OK and leaves the allocated bytes cw_alloc.h promises;
// and at the end the largest request gets the first block again: every merge took place.
// Scope: a fresh heap per sequence; two size triples of different classes in 2 KiB, so that
// merges go left, right and both ways, into and out of lists of one and of several blocks; and
// one triple in 3 KiB whose middle block and free rest lie in the second bitmap word, freed in
// the two orders where a merge empties the first word and must clear its summary bit (in 2 KiB
// every block, the rest included, is in the first word, and the summary never changes).
#include <clockwork/annotations.h>
#include <clockwork/block_header.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

namespace {
alignas(CW_HEAP_ALIGNMENT) unsigned char small_arena[2048];
alignas(CW_HEAP_ALIGNMENT) unsigned char large_arena[3072];

size_t allocated(const cw_heap* heap) {
    cw_heap_diagnostics d{};
    cw_heap_get_diagnostics(heap, &d);
    return d.allocated;
}

void keeps_invariant(const cw_heap* heap) {
    cw_assert(cw_heap_invariants_hold(heap) == 1, "release-path-keeps-the-invariant");
}

struct Sizes {
    size_t n[3];
};

// order: the indices of the blocks in the order they are freed.
template <size_t ArenaSize>
void sequence(unsigned char (&arena)[ArenaSize], const Sizes& sizes, const unsigned (&order)[3]) {
    cw_heap_options options = cw_heap_default_options();
    options.validate = 0;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena, ArenaSize, &options, &heap) == CW_OK);
    const size_t max = cw_heap_max_allocation_size(heap);

    void* p[3] = {};
    size_t live = 0;
    for (unsigned i = 0; i < 3; ++i) {
        CW_LOOP_BOUND(3);
        p[i] = cw_heap_allocate(heap, sizes.n[i]);
        cw_assert(p[i] != nullptr, "sequence-blocks-are-served");
        if (p[i] == nullptr) {
            return;
        }
        live += cw_block_size(p[i]);
        keeps_invariant(heap);
    }
    cw_assert(allocated(heap) == live, "release-path-counts-bytes");
    cw_heap_diagnostics counted{};
    cw_heap_get_diagnostics(heap, &counted);
    const size_t largest = sizes.n[0] > sizes.n[1] ? sizes.n[0] : sizes.n[1];
    cw_assert(counted.peak_request == (largest > sizes.n[2] ? largest : sizes.n[2]) &&
                  counted.oom_count == 0 && counted.peak_allocated == live,
              "release-path-counts-peaks-and-refusals");
    cw_assert(cw_heap_allocate(heap, SIZE_MAX) == nullptr && cw_heap_allocate(heap, 0) == nullptr,
              "release-path-refuses-zero-and-size-max");
    cw_heap_get_diagnostics(heap, &counted);
    cw_assert(counted.peak_request == SIZE_MAX && counted.oom_count == 1,
              "release-path-counts-peaks-and-refusals");

    // The middle block grows (in place into the free rest, or moved) and shrinks back.
    cw_status status = CW_OK;
    void* grown = cw_heap_reallocate(heap, p[1], sizes.n[1] + 64, &status);
    cw_assert(grown != nullptr && status == CW_OK, "reallocate-grows");
    if (grown == nullptr) {
        return;
    }
    keeps_invariant(heap);
    void* shrunk = cw_heap_reallocate(heap, grown, sizes.n[1], &status);
    cw_assert(shrunk == grown && status == CW_OK, "reallocate-shrinks-in-place");
    keeps_invariant(heap);
    p[1] = shrunk;
    live = cw_block_size(p[0]) + cw_block_size(p[1]) + cw_block_size(p[2]);
    cw_assert(allocated(heap) == live, "release-path-counts-bytes");

    for (unsigned k = 0; k < 3; ++k) {
        CW_LOOP_BOUND(3);
        const unsigned i = order[k];
        live -= cw_block_size(p[i]);
        cw_assert(cw_heap_free(heap, p[i]) == CW_OK, "release-free-succeeds");
        keeps_invariant(heap);
        cw_assert(allocated(heap) == live, "release-path-counts-bytes");
    }
    void* whole = cw_heap_allocate(heap, max);
    cw_assert(whole == p[0], "frees-merge-back-into-one-block");
    keeps_invariant(heap);
}
} // namespace

CW_HARNESS {
    const Sizes triples[] = {{{24, 200, 72}}, {{200, 8, 100}}};
    const unsigned orders[][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (const Sizes& sizes : triples) {
        CW_LOOP_BOUND(2);
        for (const auto& order : orders) {
            CW_LOOP_BOUND(6);
            sequence(small_arena, sizes, order);
        }
    }
    // The small first block freed first, alone in the first word: the next merge that takes
    // it (with the middle block, or with the middle block and the rest) empties the word.
    const Sizes across_words{{24, 600, 24}};
    sequence(large_arena, across_words, orders[0]);
    sequence(large_arena, across_words, orders[1]);
}
