// Linked into an image exactly like the allocator (targets/heap_image), with one call to memcpy:
// that link must fail, or the allocator's own link would not catch a library call either.
#include <stddef.h>

extern "C" void* memcpy(void* to, const void* from, size_t n);

extern "C" void cw_link_probe(void* to, const void* from, size_t n) {
    memcpy(to, from, n);
}
