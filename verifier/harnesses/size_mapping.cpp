// Property 1, size mapping: for every size_t request, the block allocate hands out holds the
// request and its header, wastes no more than cw_alloc.h documents, no size computation
// wraps, and a request that is zero or larger than the heap can ever serve (SIZE_MAX
// included) gets null. No wrap: the block is exactly the size heap_geometry.hpp's formula gives
// in 64-bit arithmetic, where a request below the largest arena plus its header cannot wrap
// (or the whole heap, when the rest would be smaller than a block); a step of heap.cpp's
// pointer-width computation that wrapped would give another size. The diagnostics count the call as
// cw_alloc.h says: a refused nonzero request is one out-of-memory, a served one adds its block to
// the allocated bytes and leaves one free block unless it took the whole heap.
//
// The heap is the largest one the build manages (2^CW_HEAP_MAX_ARENA_LOG2 bytes), empty, so
// every request up to cw_heap_max_allocation_size() finds a block: the size computation is
// exercised for every request, not only those that fit some fragmented state.
#include <clockwork/block_header.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/heap_geometry.hpp>
#include <clockwork/verify.h>

namespace {
constexpr size_t kArena = size_t{1} << CW_HEAP_MAX_ARENA_LOG2;
constexpr size_t kHeader = CW_HEAP_ALIGNMENT;
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[kArena];
constexpr clockwork::HeapGeometry kWide{sizeof(void*), CW_HEAP_SPACING_LOG2,
                                        CW_HEAP_MAX_ARENA_LOG2};
} // namespace

CW_HARNESS {
    cw_heap_options options = cw_heap_default_options();
    options.validate = 0;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena, sizeof arena, &options, &heap) == CW_OK);
    const size_t max = cw_heap_max_allocation_size(heap);
    cw_heap_diagnostics fresh{};
    cw_heap_get_diagnostics(heap, &fresh);
    cw_assert(cw_heap_allocate(heap, SIZE_MAX) == nullptr, "size-max-gets-null");

    const size_t n = cw_nondet<size_t>();
    void* p = cw_heap_allocate(heap, n);
    cw_heap_diagnostics after{};
    cw_heap_get_diagnostics(heap, &after);
    // The peak request stays SIZE_MAX; release_sequences.cpp checks it takes each new peak.
    if (n == 0 || n > max) {
        cw_assert(p == nullptr, "unservable-request-gets-null");
        cw_assert(after.oom_count == (n != 0 ? 2u : 1u) && after.allocated == 0 &&
                      after.peak_allocated == 0 && after.free_block_count == 1,
                  "refusal-counts-only-a-nonzero-request");
        return;
    }
    cw_assert(p != nullptr, "servable-request-succeeds-on-empty-heap");
    if (p == nullptr) {
        return;
    }
    const size_t block = cw_block_size(p);
    const unsigned long long wide = kWide.block_size(n);
    cw_assert(block == wide || (block == fresh.capacity && block - wide < kWide.min_block_size()),
              "block-size-computed-without-wrapping");
    cw_assert(block >= n + kHeader, "block-holds-request-and-header");
    cw_assert(block % CW_HEAP_ALIGNMENT == 0, "block-size-is-aligned");
    const size_t documented_waste = (n + kHeader) / (size_t{1} << CW_HEAP_SPACING_LOG2) +
                                    CW_HEAP_ALIGNMENT - 1 + (2 * CW_HEAP_ALIGNMENT - 1);
    cw_assert(block - (n + kHeader) <= documented_waste, "waste-within-documented-bound");
    cw_assert(after.allocated == block && after.peak_allocated == block && after.oom_count == 1 &&
                  after.free_block_count == (block == fresh.capacity ? 0u : 1u),
              "allocation-is-counted");
}
