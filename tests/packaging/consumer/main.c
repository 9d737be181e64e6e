/* The C API of an installed Clockwork, in C99; built through find_package and through
 * pkg-config alone. Exits 0 when the heap works. */
#include <clockwork/cw_alloc.h>

#include <stdint.h>

/* C99 has no _Alignas. */
static unsigned char arena[16 * 1024] __attribute__((aligned(16)));

int main(void) {
    cw_heap* heap = NULL;
    cw_heap_options options = cw_heap_default_options();
    cw_heap_diagnostics diagnostics;
    unsigned char* block;
    options.validate = 1;
    if (cw_heap_init(arena, sizeof arena, &options, &heap) != CW_OK) {
        return 1;
    }
    block = (unsigned char*)cw_heap_allocate(heap, 40);
    if (block == NULL || (uintptr_t)block % CW_HEAP_ALIGNMENT != 0) {
        return 2;
    }
    block[0] = 1;
    block[39] = 2;
    cw_heap_get_diagnostics(heap, &diagnostics);
    if (diagnostics.allocated < 40) {
        return 3;
    }
    if (cw_heap_free(heap, block) != CW_OK || cw_heap_free(heap, block) != CW_ERR_DOUBLE_FREE) {
        return 4;
    }
    return cw_heap_invariants_hold(heap) ? 0 : 5;
}
