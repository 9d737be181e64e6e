/* cw_alloc.h from strict C99 (no extensions, pedantic warnings as errors): the C interface
 * compiles and behaves as its header says. Exits nonzero and names the first failed check. */
#include <clockwork/cw_alloc.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ARENA_BYTES (64u * 1024u)

/* C99 has no _Alignas: over-allocate and align by hand. */
static unsigned char storage[ARENA_BYTES + CW_HEAP_ALIGNMENT];
static unsigned char elsewhere[64];

static int failures = 0;

static void check(int condition, const char* what, int line) {
    if (!condition) {
        fprintf(stderr, "heap_c99_test.c:%d: check failed: %s\n", line, what);
        ++failures;
    }
}
#define CHECK(condition) check((condition) != 0, #condition, __LINE__)

static unsigned char* aligned_arena(void) {
    const uintptr_t address = (uintptr_t)storage;
    const uintptr_t aligned =
        (address + CW_HEAP_ALIGNMENT - 1) & ~(uintptr_t)(CW_HEAP_ALIGNMENT - 1);
    return storage + (aligned - address);
}

static int enters = 0;
static int exits = 0;
static void count_enter(void* context) {
    (void)context;
    ++enters;
}
static void count_exit(void* context) {
    (void)context;
    ++exits;
}

static void test_init(unsigned char* arena) {
    cw_heap* heap = NULL;
    cw_heap_options options = cw_heap_default_options();
    CHECK(options.validate == CW_HEAP_VALIDATE_DEFAULT);
    CHECK(options.lock.enter == NULL && options.lock.exit == NULL);
    CHECK(cw_heap_init(NULL, ARENA_BYTES, NULL, &heap) == CW_ERR_NULL_ARGUMENT);
    CHECK(cw_heap_init(arena, ARENA_BYTES, NULL, NULL) == CW_ERR_NULL_ARGUMENT);
    options.lock.enter = count_enter;
    CHECK(cw_heap_init(arena, ARENA_BYTES, &options, &heap) == CW_ERR_NULL_ARGUMENT);
    options.lock.enter = NULL;
    CHECK(cw_heap_init(arena + 1, ARENA_BYTES - 1, NULL, &heap) == CW_ERR_ARENA_MISALIGNED);
    options.validate = 1;
    CHECK(cw_heap_init(arena, cw_heap_min_arena_size(1) - 1, &options, &heap) ==
          CW_ERR_ARENA_TOO_SMALL);
    options.validate = 0;
    CHECK(cw_heap_init(arena, cw_heap_min_arena_size(0) - 1, &options, &heap) ==
          CW_ERR_ARENA_TOO_SMALL);
    CHECK(heap == NULL);
    CHECK(cw_heap_init(arena, cw_heap_min_arena_size(0), &options, &heap) == CW_OK);
    CHECK(heap != NULL && cw_heap_allocate(heap, 1) != NULL);
    CHECK(heap != NULL && cw_heap_allocate(heap, 1) == NULL);
}

static void test_allocate_and_free(unsigned char* arena) {
    cw_heap* heap = NULL;
    cw_heap_options options = cw_heap_default_options();
    cw_heap_diagnostics d;
    unsigned char* p;
    unsigned char* q;
    void* aligned;
    options.validate = 1;
    options.lock.enter = count_enter;
    options.lock.exit = count_exit;
    CHECK(cw_heap_init(arena, ARENA_BYTES, &options, &heap) == CW_OK);

    CHECK(cw_heap_allocate(heap, 0) == NULL);
    CHECK(cw_heap_allocate(heap, SIZE_MAX) == NULL);
    CHECK(cw_heap_allocate(heap, cw_heap_max_allocation_size(heap) + 1) == NULL);
    CHECK(cw_heap_largest_free_block(heap) == cw_heap_max_allocation_size(heap));

    p = (unsigned char*)cw_heap_allocate(heap, 100);
    CHECK(p != NULL && (uintptr_t)p % CW_HEAP_ALIGNMENT == 0);
    memset(p, 0x3C, 100);

    aligned = cw_heap_allocate_aligned(heap, 40, 256);
    CHECK(aligned != NULL && (uintptr_t)aligned % 256 == 0);
    CHECK(cw_heap_allocate_aligned(heap, 40, 24) == NULL);

    q = (unsigned char*)cw_heap_reallocate(heap, p, 3000, NULL);
    CHECK(q != NULL && q[0] == 0x3C && q[99] == 0x3C);

    {
        cw_status status = CW_OK;
        CHECK(cw_heap_reallocate(heap, elsewhere, 10, &status) == NULL);
        CHECK(status == CW_ERR_FOREIGN_POINTER);
        CHECK(cw_heap_reallocate(heap, q + 1, 10, &status) == NULL);
        CHECK(status == CW_ERR_MISALIGNED_POINTER);
    }

    CHECK(cw_heap_free(heap, NULL) == CW_OK);
    CHECK(cw_heap_free(heap, elsewhere) == CW_ERR_FOREIGN_POINTER);
    CHECK(cw_heap_free(heap, q + 1) == CW_ERR_MISALIGNED_POINTER);
    CHECK(cw_heap_free(heap, q + CW_HEAP_ALIGNMENT) == CW_ERR_INTERIOR_POINTER);
    CHECK(cw_heap_free(heap, q) == CW_OK);
    {
        /* Which one depends on whether q merged into a free predecessor. */
        const cw_status again = cw_heap_free(heap, q);
        CHECK(again == CW_ERR_DOUBLE_FREE || again == CW_ERR_INTERIOR_POINTER);
    }
    CHECK(cw_heap_free(heap, aligned) == CW_OK);

    cw_heap_get_diagnostics(heap, &d);
    CHECK(d.allocated == 0);
    CHECK(d.free_block_count == 1);
    CHECK(d.peak_request == SIZE_MAX);
    CHECK(d.oom_count == 2);
    CHECK(d.invalid_free_count == 6);
    CHECK(d.capacity > ARENA_BYTES / 2 && d.capacity < ARENA_BYTES);
    CHECK(cw_heap_invariants_hold(heap) == 1);
    CHECK(enters > 0 && enters == exits);
}

int main(void) {
    unsigned char* arena = aligned_arena();
    test_init(arena);
    test_allocate_and_free(arena);
    if (failures != 0) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    return 0;
}
