// The Clockwork heap's memory layout: the control structure at the arena's start and the block
// header. heap.cpp is its one user in the shipped library; the verifier's harnesses include it
// too, to build symbolic heap states field by field on the same layout.
#ifndef CLOCKWORK_HEAP_LAYOUT_HPP
#define CLOCKWORK_HEAP_LAYOUT_HPP

#include <clockwork/cw_alloc.h>
#include <clockwork/heap_geometry.hpp>

// Named, not anonymous: cw_heap has external linkage, and its fields' types must too.
namespace clockwork::heap_layout {

using Word = uintptr_t;

constexpr clockwork::HeapGeometry kGeometry{sizeof(void*), CW_HEAP_SPACING_LOG2,
                                            CW_HEAP_MAX_ARENA_LOG2};
constexpr size_t kAlign = kGeometry.alignment();
constexpr size_t kHeader = kGeometry.header_size();
constexpr size_t kMinBlock = kGeometry.min_block_size();
constexpr unsigned kGranuleLog2 = kGeometry.granule_log2();
constexpr unsigned kSpacingLog2 = CW_HEAP_SPACING_LOG2;
constexpr unsigned kClassBias = kGeometry.class_bias();
constexpr unsigned kClassCount = kGeometry.class_count();
constexpr unsigned kWordBits = sizeof(Word) * 8;
constexpr unsigned kBitmapWords = kGeometry.bitmap_words();
constexpr size_t kMaxArena = static_cast<size_t>(kGeometry.max_arena_size());
constexpr size_t kUsed = 1;

static_assert(CW_HEAP_SPACING_LOG2 <= 5, "more than 32 classes per power of two buys nothing");
static_assert(CW_HEAP_MAX_ARENA_LOG2 < sizeof(size_t) * 8, "the arena size must fit a size_t");
static_assert(kHeader == CW_HEAP_ALIGNMENT && kAlign == CW_HEAP_ALIGNMENT);
static_assert(kBitmapWords <= kWordBits, "the summary word must cover every bitmap word");
static_assert(kGeometry.class_of(kMinBlock) - kClassBias == 0);

struct FreeLinks {
    FreeLinks* next;
    FreeLinks* prev;
};

struct Block {
    Block* prev_phys;
    size_t size_used; // block size (header included, a multiple of kAlign) | kUsed
    FreeLinks links;  // only while free
};
static_assert(sizeof(Block) == kMinBlock && __builtin_offsetof(Block, links) == kHeader);

} // namespace clockwork::heap_layout

using namespace clockwork::heap_layout;

struct cw_heap {
    FreeLinks bins[kClassCount];
    Word nonempty[kBitmapWords];
    Word summary;
    Block* first; // start sentinel
    Block* last;  // end sentinel
    Word* start_map;
    size_t max_request;
    // Each hot path's one test: allocate stays on its fast path while n - 1 < allocate_limit,
    // free while p - 1 < free_limit. Unchecked, they are max_request and UINTPTR_MAX, so only
    // what the fast path must refuse (0, too large; null) leaves it; a checked heap (validation
    // or a lock) sets both to 0, so every call leaves it for the checked path.
    size_t allocate_limit;
    uintptr_t free_limit;
    cw_heap_lock lock;
    size_t capacity;
    size_t allocated;
    size_t peak_allocated;
    size_t peak_request;
    size_t oom_count;
    size_t invalid_free_count;
    size_t free_blocks;
};
static_assert(sizeof(cw_heap) == (2 * kClassCount + kBitmapWords + 1 +
                                  clockwork::HeapGeometry::kBookkeepingWords) *
                                     sizeof(void*),
              "heap_geometry.hpp's control_size() must describe cw_heap");

#endif
