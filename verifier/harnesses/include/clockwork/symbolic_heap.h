/* Property 3's heap states and the invariant they are checked against.
 *
 * build_symbolic_heap() makes, from one cw_heap_init of a concrete arena, every well-formed heap
 * of at most kScope blocks between the sentinels: the block sizes, their used bits, the order of
 * each free list and the statistics the invariant leaves open (peaks, counters) are inputs.
 * Free blocks are never adjacent, so kScope = 4 blocks hold at most two free ones and one
 * nondeterministic "reverse" bit gives every order of every list. The heap's own
 * cw_heap_invariants_hold walks every one of the build's classes and up to 2^24 / 16 blocks;
 * heap_is_well_formed() states the same conditions over the blocks of the scope, and checks the
 * per-class ones (list contents, bitmap bit) for one nondeterministic class, which is every class
 * at once.
 *
 * Harnesses include heap_layout.hpp from the allocator's source folder, so that the state is
 * written on the very layout heap.cpp reads. */
#ifndef CLOCKWORK_SYMBOLIC_HEAP_H
#define CLOCKWORK_SYMBOLIC_HEAP_H

#include "heap_layout.hpp"

#include <clockwork/annotations.h>
#include <clockwork/verify.h>

namespace symbolic_heap {

constexpr unsigned kScope = 4;
/* An operation adds at most two blocks: allocate_aligned splits off a head and a tail. */
constexpr unsigned kWalk = kScope + 2;

struct Snapshot {
    cw_heap* heap;
    unsigned count; /* blocks between the sentinels, 1..kScope */
    Block* blocks[kScope];
    size_t sizes[kScope];
    bool used[kScope];
};

inline Block* block_at(void* base, size_t offset) {
    return reinterpret_cast<Block*>(static_cast<char*>(base) + offset);
}
inline bool block_is_free(const Block* b) {
    return (b->size_used & kUsed) == 0;
}
/* The class of a block size, as heap_geometry.hpp defines it (not heap.cpp's bit tricks). */
inline unsigned class_of_size(size_t size) {
    return kGeometry.class_of(size) - kClassBias;
}
inline bool bitmap_bit(const Word* words, unsigned bit) {
    return ((words[bit / kWordBits] >> (bit % kWordBits)) & 1u) != 0;
}
inline size_t payload_bytes(const Block* b) {
    return (b->size_used & ~kUsed) - kHeader;
}

/* Links the free blocks into their lists from what the harness knows, reading no memory (a read
 * at a symbolic address costs the solver a case per store before it). Free blocks are never
 * adjacent, so at most two of the four are free: a list holds one or two blocks, and `reverse`
 * picks the order of two. */
static_assert(kScope <= 4, "link_free_blocks orders lists of at most two blocks");
inline void link_free_blocks(cw_heap* h, const Snapshot& s, bool reverse) {
    FreeLinks* earlier = nullptr;
    unsigned earlier_class = 0;
    unsigned classes[kScope] = {};
    for (unsigned i = 0; i < kScope; ++i) {
        CW_LOOP_BOUND(kScope);
        if (i >= s.count || s.used[i]) {
            continue;
        }
        const unsigned c = class_of_size(s.sizes[i]);
        classes[i] = c;
        FreeLinks* bin = &h->bins[c];
        FreeLinks* link = &s.blocks[i]->links;
        if (earlier != nullptr && earlier_class == c) {
            FreeLinks* front = reverse ? link : earlier;
            FreeLinks* back = reverse ? earlier : link;
            bin->next = front;
            front->prev = bin;
            front->next = back;
            back->prev = front;
            back->next = bin;
            bin->prev = back;
        } else {
            bin->next = link;
            bin->prev = link;
            link->next = bin;
            link->prev = bin;
        }
        earlier = link;
        earlier_class = c;
    }
    Word words[kBitmapWords] = {};
    for (unsigned i = 0; i < kScope; ++i) {
        CW_LOOP_BOUND(kScope);
        if (i < s.count && !s.used[i]) {
            words[classes[i] / kWordBits] |= Word{1} << (classes[i] % kWordBits);
        }
    }
    Word summary = 0;
    for (unsigned w = 0; w < kBitmapWords; ++w) {
        CW_LOOP_BOUND(kBitmapWords);
        h->nonempty[w] = words[w];
        summary |= words[w] != 0 ? Word{1} << w : 0;
    }
    h->summary = kBitmapWords > 1 ? summary : 0;
}

/* arena: aligned, zero or any contents; validation off. */
inline Snapshot build_symbolic_heap(void* arena, size_t arena_size) {
    cw_heap_options options = cw_heap_default_options();
    options.validate = 0;
    cw_heap* h = nullptr;
    cw_assume(cw_heap_init(arena, arena_size, &options, &h) == CW_OK);

    /* Forget the one free block init made. */
    Block* first_block = block_at(h->first, kHeader);
    FreeLinks* init_bin = first_block->links.prev;
    init_bin->next = init_bin;
    init_bin->prev = init_bin;
    Snapshot s{};
    s.heap = h;
    s.count = cw_nondet<uint8_t>();
    cw_assume(s.count >= 1 && s.count <= kScope);
    size_t left = h->capacity;
    size_t offset = 0;
    size_t allocated = 0;
    size_t frees = 0;
    Block* prev = h->first;
    for (unsigned i = 0; i < kScope; ++i) {
        CW_LOOP_BOUND(kScope);
        if (i >= s.count) {
            continue;
        }
        const size_t size = i + 1 == s.count ? left : cw_nondet<size_t>();
        cw_assume(size >= kMinBlock && size % kAlign == 0 && size <= left);
        const bool used = (cw_nondet<uint8_t>() & 1u) != 0;
        cw_assume(used || i == 0 || s.used[i - 1]);
        Block* b = block_at(first_block, offset);
        b->prev_phys = prev;
        b->size_used = size | (used ? kUsed : 0);
        s.blocks[i] = b;
        s.sizes[i] = size;
        s.used[i] = used;
        if (used) {
            allocated += size;
        } else {
            ++frees;
        }
        left -= size;
        offset += size;
        prev = b;
    }
    h->last->prev_phys = prev;

    link_free_blocks(h, s, (cw_nondet<uint8_t>() & 1u) != 0);

    h->allocated = allocated;
    h->free_blocks = frees;
    h->peak_allocated = cw_nondet<size_t>();
    cw_assume(h->peak_allocated >= allocated);
    h->peak_request = cw_nondet<size_t>();
    h->oom_count = cw_nondet<size_t>();
    h->invalid_free_count = cw_nondet<size_t>();
    return s;
}

/* What cw_heap_invariants_hold checks, over at most kWalk blocks. */
struct Verdict {
    bool tiles;       /* sizes aligned, >= the minimum, prev links right, reach the end sentinel */
    bool apart;       /* no two free blocks adjacent */
    bool listed;      /* every free block is in its class's list */
    bool lists_sound; /* the lists hold only free blocks of their class, doubly linked */
    bool bitmaps;     /* bitmap bit = list non-empty; summary bit = bitmap word non-zero */
    bool statistics;  /* allocated, free_blocks, capacity, peak match the blocks */
};

/* Every loop below runs its full count and carries its early end in a flag: then each iteration
 * is entered under the same condition, which the verifier decides once instead of per
 * iteration. */
/* The class, bitmap word and spare bit that stand for all: chosen before anything runs, so that
 * their assumptions hold on every path and not under the conditions of the walk. */
struct Witnesses {
    unsigned c;
    unsigned w;
    unsigned spare;
};

inline Witnesses choose_witnesses() {
    Witnesses x{cw_nondet<uint16_t>(), cw_nondet<uint8_t>(), cw_nondet<uint16_t>()};
    cw_assume(x.c < kClassCount);
    cw_assume(x.w < kBitmapWords);
    cw_assume(kBitmapWords * kWordBits == kClassCount ||
              (x.spare >= kClassCount && x.spare < kBitmapWords * kWordBits));
    return x;
}

__attribute__((always_inline)) inline Verdict heap_is_well_formed(const cw_heap* h,
                                                                  const Witnesses& x) {
    Verdict v{true, true, true, true, true, true};
    const Block* walked[kWalk] = {};
    unsigned count = 0;
    size_t total = 0;
    size_t allocated = 0;
    size_t frees = 0;
    unsigned of_class = 0; /* free blocks of class x.c */

    const Block* prev = h->first;
    v.tiles = prev->size_used == (kHeader | kUsed);
    const Block* b = block_at(const_cast<Block*>(prev), kHeader);
    bool walking = v.tiles;
    for (unsigned i = 0; i < kWalk; ++i) {
        CW_LOOP_BOUND(kWalk);
        walking = walking && b != h->last;
        if (!walking) {
            continue;
        }
        const size_t size = b->size_used & ~kUsed;
        const size_t room = static_cast<size_t>(reinterpret_cast<const char*>(h->last) -
                                                reinterpret_cast<const char*>(b));
        if (size < kMinBlock || size % kAlign != 0 || size > room || b->prev_phys != prev) {
            v.tiles = false;
            walking = false;
            continue;
        }
        if (block_is_free(b) && block_is_free(prev)) {
            v.apart = false;
        }
        if (block_is_free(b)) {
            ++frees;
            of_class += class_of_size(size) == x.c ? 1u : 0u;
        } else {
            allocated += size;
        }
        total += size;
        walked[i] = b;
        count = i + 1;
        prev = b;
        b = block_at(const_cast<Block*>(b), size);
    }
    v.tiles = v.tiles && b == h->last && h->last->prev_phys == prev && h->last->size_used == kUsed;

    /* One class stands for all: its list is a doubly linked cycle through its bin, of free
     * walked blocks of that class, and its bitmap bit says whether it is empty. */
    const unsigned c = x.c;
    const FreeLinks* bin = &h->bins[c];
    const FreeLinks* link = bin;
    bool open = true; /* not yet back at the bin */
    unsigned members = 0;
    for (unsigned i = 0; i <= kWalk; ++i) {
        CW_LOOP_BOUND(kWalk + 1);
        if (!open) {
            continue;
        }
        if (link->next->prev != link) {
            v.lists_sound = false;
            open = false;
            continue;
        }
        link = link->next;
        if (link == bin) {
            open = false;
            continue;
        }
        bool known = false;
        for (unsigned j = 0; j < kWalk; ++j) {
            CW_LOOP_BOUND(kWalk);
            known = known || (j < count && &walked[j]->links == link);
        }
        const Block* member =
            reinterpret_cast<const Block*>(reinterpret_cast<const char*>(link) - kHeader);
        if (!known || !block_is_free(member) || class_of_size(member->size_used & ~kUsed) != c) {
            v.lists_sound = false;
            open = false;
            continue;
        }
        ++members;
    }
    v.lists_sound = v.lists_sound && link == bin;
    /* A doubly linked walk back to the bin visits no block twice; holding as many blocks as
     * there are free blocks of the class, it holds every one of them. */
    v.listed = v.lists_sound && members == of_class;
    v.bitmaps = bitmap_bit(h->nonempty, c) == (bin->next != bin);

    const unsigned w = x.w;
    const bool summary_bit = ((h->summary >> w) & 1u) != 0;
    if (kBitmapWords > 1) {
        v.bitmaps =
            v.bitmaps && summary_bit == (h->nonempty[w] != 0) && (h->summary >> kBitmapWords) == 0;
    } else {
        v.bitmaps = v.bitmaps && h->summary == 0;
    }
    if (kBitmapWords * kWordBits > kClassCount) {
        v.bitmaps = v.bitmaps && !bitmap_bit(h->nonempty, x.spare);
    }

    v.statistics = total == h->capacity && allocated == h->allocated && frees == h->free_blocks &&
                   h->peak_allocated >= allocated;
    return v;
}

__attribute__((always_inline)) inline void
assert_well_formed(const cw_heap* h, const Witnesses& x, const char* tiles, const char* apart,
                   const char* listed, const char* lists_sound, const char* bitmaps,
                   const char* statistics) {
    const Verdict v = heap_is_well_formed(h, x);
    cw_assert(v.tiles, tiles);
    cw_assert(v.apart, apart);
    cw_assert(v.listed, listed);
    cw_assert(v.lists_sound, lists_sound);
    cw_assert(v.bitmaps, bitmaps);
    cw_assert(v.statistics, statistics);
}

} // namespace symbolic_heap

#endif
