// What a harness reads of a block it was handed: the size in its header. Harnesses that only
// see payload pointers read it here rather than through heap_layout.hpp's full layout.
#pragma once

#include <stddef.h>

// The block's size, from its header {prev_phys, size | used} (heap.cpp, Block), which ends
// where the payload starts.
inline size_t cw_block_size(const void* payload) {
    return static_cast<const size_t*>(payload)[-1] & ~size_t{1};
}
