/* Clockwork heap: a two-level segregated-fit allocator with O(1) worst-case allocate and free,
 * in a caller-provided arena. C99 interface; the C++ interface (clockwork/heap.hpp) wraps it.
 *
 * Build-time parameters (the library and every user must agree on them):
 *   CW_HEAP_SPACING_LOG2   log2 of the size classes per power of two. 3 (default): 8 classes,
 *                          a block is at most 1/8 larger than request + header. 0: one class per
 *                          power of two (half-fit, as in o1heap): up to twice as large.
 *   CW_HEAP_MAX_ARENA_LOG2 the heap manages at most 2^this bytes of an arena; larger arenas are
 *                          used up to that size. Bounds the class table and the reallocate copy.
 *
 * Worst-case structure, for every function below unless it says otherwise: no loop, O(1).
 * Thread safety: none, unless the heap was given a lock (cw_heap_options.lock): then every
 * function that takes a cw_heap* runs inside lock.enter/lock.exit.
 * Alignment: every returned pointer is a multiple of CW_HEAP_ALIGNMENT (2 * sizeof(void*):
 * 8 on 32-bit targets, 16 on 64-bit ones). */
#ifndef CLOCKWORK_CW_ALLOC_H
#define CLOCKWORK_CW_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CW_HEAP_SPACING_LOG2
#define CW_HEAP_SPACING_LOG2 3
#endif

#ifndef CW_HEAP_MAX_ARENA_LOG2
#if UINTPTR_MAX <= 0xFFFFu
#define CW_HEAP_MAX_ARENA_LOG2 15
#elif UINTPTR_MAX <= 0xFFFFFFFFu
#define CW_HEAP_MAX_ARENA_LOG2 24
#else
#define CW_HEAP_MAX_ARENA_LOG2 40
#endif
#endif

/* Validation is on by default in builds without NDEBUG. */
#ifndef CW_HEAP_VALIDATE_DEFAULT
#ifdef NDEBUG
#define CW_HEAP_VALIDATE_DEFAULT 0
#else
#define CW_HEAP_VALIDATE_DEFAULT 1
#endif
#endif

#define CW_HEAP_ALIGNMENT (2u * sizeof(void*))

typedef enum cw_status {
    CW_OK = 0,
    CW_ERR_NULL_ARGUMENT = 1,      /* a required pointer argument was null */
    CW_ERR_ARENA_MISALIGNED = 2,   /* arena not a multiple of CW_HEAP_ALIGNMENT */
    CW_ERR_ARENA_TOO_SMALL = 3,    /* arena smaller than cw_heap_min_arena_size() */
    CW_ERR_FOREIGN_POINTER = 4,    /* pointer outside this heap's blocks */
    CW_ERR_MISALIGNED_POINTER = 5, /* inside the heap but not on CW_HEAP_ALIGNMENT */
    CW_ERR_INTERIOR_POINTER = 6,   /* inside the heap but not the start of a block */
    CW_ERR_DOUBLE_FREE = 7         /* the start of a block that is already free */
} cw_status;

/* Caller-supplied critical section. enter and exit must both be set, or both be null. */
typedef struct cw_heap_lock {
    void (*enter)(void* context);
    void (*exit)(void* context);
    void* context;
} cw_heap_lock;

typedef struct cw_heap_options {
    /* Nonzero: free and reallocate check every pointer in O(1) (see cw_heap_free). Fixed at
     * init because it reserves a block-start map of arena_size / (8 * CW_HEAP_ALIGNMENT)
     * bytes inside the arena. */
    int validate;
    cw_heap_lock lock;
} cw_heap_options;

typedef struct cw_heap_diagnostics {
    size_t capacity;             /* bytes available for blocks (headers included) */
    size_t allocated;            /* bytes in allocated blocks, headers included */
    size_t peak_allocated;       /* highest value of allocated since init */
    size_t peak_request;         /* largest size ever passed to an allocating function */
    uint32_t oom_count;          /* allocating calls with a nonzero size that returned null */
    uint32_t invalid_free_count; /* pointers refused by validation */
    size_t free_block_count;     /* free blocks now */
} cw_heap_diagnostics;

typedef struct cw_heap cw_heap; /* lives at the start of its arena */

/* Options with validation = CW_HEAP_VALIDATE_DEFAULT and no lock. */
cw_heap_options cw_heap_default_options(void);

/* Smallest arena cw_heap_init accepts; one allocation of one byte then succeeds. */
size_t cw_heap_min_arena_size(int validate);

/* Places the heap at the start of `arena` and makes the rest one free block.
 * options may be null (cw_heap_default_options()). On error *out is untouched and so is the arena.
 * Status: NULL_ARGUMENT (arena or out null, or a half-set lock), ARENA_MISALIGNED,
 * ARENA_TOO_SMALL. O(1) without validation; with it, clears the block-start map (a loop of
 * arena_size / (8 * sizeof(size_t) * CW_HEAP_ALIGNMENT) words). */
cw_status cw_heap_init(void* arena, size_t size, const cw_heap_options* options, cw_heap** out);

/* A block of at least n bytes, or null when n is 0, larger than cw_heap_max_allocation_size(),
 * or no free block of a large enough class exists (oom_count counts the last two).
 * The block handed out is n + header rounded up to its size class: the waste is at most
 * (n + header) / 2^CW_HEAP_SPACING_LOG2 + CW_HEAP_ALIGNMENT - 1 bytes, plus less than one
 * minimum block (2 * CW_HEAP_ALIGNMENT) when the remainder is too small to split.
 * Worst case: no loop; the class is found with two count-trailing-zeros over a two-level
 * bitmap, one block is unlinked and at most one remainder linked. */
void* cw_heap_allocate(cw_heap* heap, size_t n);

/* As cw_heap_allocate, aligned to `alignment`, a power of two. Any other alignment gives null
 * and changes no statistic (a usage error, not a shortage: neither oom_count nor peak_request).
 * Alignments up to CW_HEAP_ALIGNMENT cost nothing extra; larger ones take
 * n + alignment + CW_HEAP_ALIGNMENT bytes from a free block and give back the unused head and
 * tail. No loop. */
void* cw_heap_allocate_aligned(cw_heap* heap, size_t n, size_t alignment);

/* Resizes the block at p to hold n bytes, in place when it can (shrinking, or growing into a
 * free next block), else allocates, copies min(old, n) bytes and frees p.
 * p null: cw_heap_allocate(n). n 0: frees p, returns null. On failure returns null and p stays
 * valid and unchanged. status (may be null) receives what cw_heap_free would say of p.
 * Worst case: one loop, the copy, at most cw_heap_max_allocation_size() / sizeof(size_t)
 * iterations (bounded by CW_HEAP_MAX_ARENA_LOG2 in the code). */
void* cw_heap_reallocate(cw_heap* heap, void* p, size_t n, cw_status* status);

/* Returns the block at p to the heap, merging it with free neighbours. p null: no-op, CW_OK.
 * Without validation, p must come from this heap and be live (else: undefined).
 * With validation: FOREIGN_POINTER, MISALIGNED_POINTER, INTERIOR_POINTER, DOUBLE_FREE are
 * detected in O(1) (range check, alignment, block-start map, header flag); the heap is then
 * unchanged and invalid_free_count is incremented. A pointer into a block that was freed and
 * merged into its predecessor is reported as INTERIOR_POINTER. No loop. */
cw_status cw_heap_free(cw_heap* heap, void* p);

/* Largest n that can ever succeed in this heap (when it is empty). */
size_t cw_heap_max_allocation_size(const cw_heap* heap);

/* Largest n for which cw_heap_allocate(n) succeeds now (a free block of a class that fits);
 * 0 when none. One count-leading-zeros over the bitmap. */
size_t cw_heap_largest_free_block(const cw_heap* heap);

void cw_heap_get_diagnostics(const cw_heap* heap, cw_heap_diagnostics* out);

/* Checks the whole structure: blocks tile the arena, no two free blocks are adjacent, every
 * free block is in the list of its class and nothing else is, the bitmaps match the lists,
 * the statistics match the blocks, and (with validation) the block-start map matches.
 * O(blocks + classes); for tests and audits, not for hot paths. Returns 1 when all hold. */
int cw_heap_invariants_hold(const cw_heap* heap);

#ifdef __cplusplus
}
#endif

#endif
