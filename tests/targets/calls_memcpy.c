/* Links like the allocator's image but calls memcpy: the link must fail, which proves the
 * allocator's own link would catch a library call. */
#include <stddef.h>

void* memcpy(void* to, const void* from, size_t n);

void cw_link_probe(char* to, const char* from, size_t n) { memcpy(to, from, n); }
