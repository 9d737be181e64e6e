// A heap given a lock, with validation and without: every call runs inside the lock, and takes
// it once (entered once, never nested, released before the call returns); and the checked path
// that a lock sends every call down keeps the heap's promises as the fast path does. A request
// of 0 is refused uncounted, one of SIZE_MAX refused and counted. Three blocks are carved from
// a fresh heap, the middle one is grown (into the free rest, or moved) and shrunk back, an
// aligned block is taken and given back, then the three are freed in two orders that between
// them merge left, right, both ways and not at all. After every call the heap is well formed
// and every free returns CW_OK; at the end the largest request gets the first block again.
// And filled with 100-byte blocks, a request of 100 bytes is refused and counted.
// Scope: a 3 KiB heap whose middle block and free rest lie in the second bitmap word, so that a
// merge empties the first word and clears its summary bit; concrete sizes; lock functions that
// count.
#include <clockwork/annotations.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

namespace {
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[3072];

struct LockCount {
    unsigned held;
    unsigned entered;
};

void enter(void* context) {
    LockCount* count = static_cast<LockCount*>(context);
    cw_assert(count->held == 0, "lock-is-never-nested");
    count->held = 1;
    ++count->entered;
}

void leave(void* context) {
    LockCount* count = static_cast<LockCount*>(context);
    cw_assert(count->held == 1, "lock-is-held-when-released");
    count->held = 0;
}

LockCount lock_count;

// The call before it took the lock exactly once and gave it back.
void took_the_lock_once(unsigned& entered) {
    cw_assert(lock_count.held == 0 && lock_count.entered == entered + 1,
              "every-call-runs-inside-the-lock");
    entered = lock_count.entered;
}

void well_formed(const cw_heap* heap, unsigned& entered) {
    cw_assert(cw_heap_invariants_hold(heap) == 1, "locked-heap-keeps-the-invariant");
    took_the_lock_once(entered);
}

// A fresh heap in the arena whose lock counts into lock_count, reset.
cw_heap* locked_heap(bool validate) {
    lock_count = {0, 0};
    cw_heap_options options = cw_heap_default_options();
    options.validate = validate ? 1 : 0;
    options.lock = {enter, leave, &lock_count};
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena, sizeof arena, &options, &heap) == CW_OK);
    return heap;
}

void sequence(const unsigned (&order)[3], bool validate) {
    cw_heap* heap = locked_heap(validate);
    unsigned entered = lock_count.entered;
    const size_t max = cw_heap_max_allocation_size(heap);
    took_the_lock_once(entered);

    // Refusals take the checked path too: 0 is not counted, SIZE_MAX is.
    cw_assert(cw_heap_allocate(heap, 0) == nullptr, "locked-refusal-is-counted-once");
    took_the_lock_once(entered);
    cw_assert(cw_heap_allocate(heap, SIZE_MAX) == nullptr, "locked-refusal-is-counted-once");
    took_the_lock_once(entered);
    cw_heap_diagnostics d{};
    cw_heap_get_diagnostics(heap, &d);
    took_the_lock_once(entered);
    cw_assert(d.oom_count == 1 && d.peak_request == SIZE_MAX && d.allocated == 0,
              "locked-refusal-is-counted-once");

    const size_t sizes[3] = {24, 600, 24};
    void* p[3] = {};
    for (unsigned i = 0; i < 3; ++i) {
        CW_LOOP_BOUND(3);
        p[i] = cw_heap_allocate(heap, sizes[i]);
        took_the_lock_once(entered);
        cw_assert(p[i] != nullptr, "locked-blocks-are-served");
        if (p[i] == nullptr) {
            return;
        }
        well_formed(heap, entered);
    }

    cw_status status = CW_ERR_NULL_ARGUMENT;
    void* grown = cw_heap_reallocate(heap, p[1], sizes[1] + 64, &status);
    took_the_lock_once(entered);
    cw_assert(grown != nullptr && status == CW_OK, "locked-reallocate-grows");
    if (grown == nullptr) {
        return;
    }
    well_formed(heap, entered);
    p[1] = cw_heap_reallocate(heap, grown, sizes[1], &status);
    took_the_lock_once(entered);
    cw_assert(p[1] == grown && status == CW_OK, "locked-reallocate-shrinks-in-place");
    well_formed(heap, entered);

    void* aligned = cw_heap_allocate_aligned(heap, 40, 64);
    took_the_lock_once(entered);
    cw_assert(aligned != nullptr && reinterpret_cast<uintptr_t>(aligned) % 64 == 0,
              "locked-aligned-is-served-aligned");
    well_formed(heap, entered);
    cw_assert(cw_heap_free(heap, aligned) == CW_OK, "locked-free-succeeds");
    took_the_lock_once(entered);
    well_formed(heap, entered);

    for (unsigned k = 0; k < 3; ++k) {
        CW_LOOP_BOUND(3);
        cw_assert(cw_heap_free(heap, p[order[k]]) == CW_OK, "locked-free-succeeds");
        took_the_lock_once(entered);
        well_formed(heap, entered);
    }
    cw_assert(cw_heap_allocate(heap, max) == p[0], "locked-frees-merge-back");
    took_the_lock_once(entered);
}
// Filled with 100-byte blocks, the heap has no free block a request of 100 bytes fits, which
// the size check passes: on the checked path it is refused, counted once as out of memory,
// and the heap is left as it was.
void full(bool validate) {
    cw_heap* heap = locked_heap(validate);
    for (unsigned k = 0; k < 32; ++k) {
        CW_LOOP_BOUND(32);
        if (cw_heap_allocate(heap, 100) == nullptr) {
            break;
        }
    }
    cw_heap_diagnostics before{};
    cw_heap_get_diagnostics(heap, &before);
    unsigned entered = lock_count.entered;
    cw_assert(cw_heap_allocate(heap, 100) == nullptr, "locked-full-heap-refuses");
    took_the_lock_once(entered);
    cw_heap_diagnostics after{};
    cw_heap_get_diagnostics(heap, &after);
    cw_assert(after.oom_count == before.oom_count + 1 && after.allocated == before.allocated &&
                  after.free_block_count == before.free_block_count,
              "locked-full-heap-refusal-is-counted-once");
    entered = lock_count.entered;
    well_formed(heap, entered);
}
} // namespace

CW_HARNESS {
    // First, middle, last: merges left, then both ways. Last, middle, first: merges right.
    const unsigned orders[][3] = {{0, 1, 2}, {2, 1, 0}};
    for (unsigned v = 0; v < 2; ++v) {
        CW_LOOP_BOUND(2);
        for (const auto& order : orders) {
            CW_LOOP_BOUND(2);
            sequence(order, v != 0);
        }
        full(v != 0);
    }
}
