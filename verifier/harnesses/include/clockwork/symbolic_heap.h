/* Property 3's heap states and the invariant they are checked against.
 *
 * build_symbolic_heap() makes, from one cw_heap_init of an arena whose block region is kRegion
 * bytes, every well-formed heap of 1 to kScope blocks in that region: the block sizes, their used
 * bits, the order of each free list and the statistics the invariant leaves open (peaks,
 * counters) are inputs. Free blocks are never adjacent, so kScope = 4 blocks hold at most two
 * free ones and one nondeterministic "reverse" bit gives every order of every list. Four is the
 * smallest scope with a free block between two used ones beside another free block, and with two
 * free blocks of one class in one list; kRegion = 128 is the smallest region in which four blocks
 * need not all be of the minimum size.
 *
 * The heap's own cw_heap_invariants_hold walks every one of the build's classes and up to
 * 2^24 / 16 blocks; heap_is_well_formed() states the same conditions over the region, and checks
 * the per-class ones (list contents, bitmap bit) for one nondeterministic class, which is every
 * class at once.
 *
 * What keeps the verifier's terms small (docs/verifier.md, "Symbolic heap states"):
 *  - Every header the build writes and the check reads is at a numeral address, one of the
 *    region's kPositions: a read at a symbolic address is a case per store before it, and a
 *    walk whose next address is the value just read nests those cases block by block.
 *  - The checks' loops have no branch on what they read: the optimiser would rewrite a position
 *    into the symbolic value it was just compared equal to, and every iteration is then entered
 *    under the same condition, which the verifier decides once.
 *  - Every array index is a loop counter, and a bin's class is reduced modulo kClassCount: a
 *    store at a symbolic index is a case in every later read whose address range meets its own.
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
constexpr size_t kRegion = 128;
constexpr unsigned kPositions = kRegion / kAlign;
/* The arena whose block region is kRegion bytes, validation off. */
constexpr size_t kArenaSize = kGeometry.overhead(0, false) + kRegion;
/* An operation adds at most two blocks (allocate_aligned splits off a head and a tail), so a
 * list holds at most kScope + 2 blocks. */
constexpr unsigned kListSteps = kScope + 3;

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

struct Snapshot {
    Witnesses witnesses;
    cw_heap* heap;
    Block* start;   /* the start sentinel, read before any store at a symbolic address */
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

struct Links {
    FreeLinks* next[kScope];
    FreeLinks* prev[kScope];
};

/* The bin of a class; `% kClassCount` changes no class a block can have and keeps the address
 * inside the bins for the verifier's range reasoning. */
inline FreeLinks* bin_of(cw_heap* h, unsigned c) {
    return &h->bins[c % kClassCount];
}

/* The list links of the free blocks, as values: the bins are written, the blocks' links are
 * returned so that they are written at numeral addresses. Every array index below is a loop
 * counter: a store at a symbolic index is a case in every later read near it. */
static_assert(kScope <= 4, "link_free_blocks links lists of at most two blocks");
inline Links link_free_blocks(cw_heap* h, const Snapshot& s, bool reverse) {
    Links out{};
    bool is_free[kScope] = {};
    unsigned classes[kScope] = {};
    for (unsigned i = 0; i < kScope; ++i) {
        CW_LOOP_BOUND(kScope);
        is_free[i] = i < s.count && !s.used[i];
        classes[i] = is_free[i] ? class_of_size(s.sizes[i]) % kClassCount : 0;
    }
    for (unsigned i = 0; i < kScope; ++i) {
        CW_LOOP_BOUND(kScope);
        if (!is_free[i]) {
            continue;
        }
        FreeLinks* bin = bin_of(h, classes[i]);
        FreeLinks* link = &s.blocks[i]->links;
        bool paired = false;
        for (unsigned e = 0; e < kScope; ++e) {
            CW_LOOP_BOUND(kScope);
            if (e < i && is_free[e] && classes[e] == classes[i]) {
                /* Two blocks of one class: at most two free blocks exist. */
                paired = true;
                FreeLinks* other = &s.blocks[e]->links;
                FreeLinks* front = reverse ? link : other;
                FreeLinks* back = reverse ? other : link;
                bin->next = front;
                bin->prev = back;
                if (reverse) {
                    out.prev[i] = bin;
                    out.next[i] = other;
                    out.prev[e] = link;
                    out.next[e] = bin;
                } else {
                    out.prev[e] = bin;
                    out.next[e] = link;
                    out.prev[i] = other;
                    out.next[i] = bin;
                }
            }
        }
        bool later = false; /* the pair is linked at its second block */
        for (unsigned e = 0; e < kScope; ++e) {
            CW_LOOP_BOUND(kScope);
            if (e > i && is_free[e] && classes[e] == classes[i]) {
                later = true;
            }
        }
        if (!paired && !later) {
            bin->next = link;
            bin->prev = link;
            out.next[i] = bin;
            out.prev[i] = bin;
        }
    }
    Word summary = 0;
    for (unsigned w = 0; w < kBitmapWords; ++w) {
        CW_LOOP_BOUND(kBitmapWords);
        Word word = 0;
        for (unsigned i = 0; i < kScope; ++i) {
            CW_LOOP_BOUND(kScope);
            if (is_free[i] && classes[i] / kWordBits == w) {
                word |= Word{1} << (classes[i] % kWordBits);
            }
        }
        h->nonempty[w] = word;
        summary |= word != 0 ? Word{1} << w : 0;
    }
    h->summary = kBitmapWords > 1 ? summary : 0;
    return out;
}

/* The arena every symbolic heap is built in. */
alignas(CW_HEAP_ALIGNMENT) inline unsigned char arena[kArenaSize];

inline Snapshot build_symbolic_heap() {
    const Witnesses witnesses = choose_witnesses();
    cw_heap_options options = cw_heap_default_options();
    options.validate = 0;
    cw_heap* h = nullptr;
    cw_assume(cw_heap_init(arena, sizeof arena, &options, &h) == CW_OK);
    cw_assume(h->capacity == kRegion);
    Snapshot s{};
    s.witnesses = witnesses;
    s.start = h->first;

    Block* first_block = block_at(h->first, kHeader);
    FreeLinks* init_bin = first_block->links.prev;
    init_bin->next = init_bin;
    init_bin->prev = init_bin;
    s.heap = h;
    s.count = cw_nondet<uint8_t>();
    cw_assume(s.count >= 1 && s.count <= kScope);
    size_t left = kRegion;
    size_t offset = 0;
    size_t allocated = 0;
    size_t frees = 0;
    size_t offsets[kScope] = {};
    Block* prevs[kScope] = {};
    Block* prev = h->first;
    for (unsigned i = 0; i < kScope; ++i) {
        CW_LOOP_BOUND(kScope);
        if (i >= s.count) {
            continue;
        }
        const size_t size = i + 1 == s.count ? left : size_t{cw_nondet<uint8_t>()} * kAlign;
        cw_assume(size >= kMinBlock && size <= left);
        const bool used = (cw_nondet<uint8_t>() & 1u) != 0;
        cw_assume(used || i == 0 || s.used[i - 1]);
        Block* b = block_at(first_block, offset);
        offsets[i] = offset;
        prevs[i] = prev;
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
    const Links links = link_free_blocks(h, s, (cw_nondet<uint8_t>() & 1u) != 0);

    /* Every header at a numeral address: a store at a symbolic one is a case in every later
     * read. */
    for (unsigned j = 0; j < kPositions; ++j) {
        CW_LOOP_BOUND(kPositions);
        const size_t at = j * kAlign;
        for (unsigned i = 0; i < kScope; ++i) {
            CW_LOOP_BOUND(kScope);
            if (i < s.count && offsets[i] == at) {
                Block* b = block_at(first_block, at);
                b->prev_phys = prevs[i];
                b->size_used = s.sizes[i] | (s.used[i] ? kUsed : 0);
                if (!s.used[i]) {
                    b->links.next = links.next[i];
                    b->links.prev = links.prev[i];
                }
            }
        }
    }

    h->allocated = allocated;
    h->free_blocks = frees;
    h->peak_allocated = cw_nondet<size_t>();
    cw_assume(h->peak_allocated >= allocated);
    h->peak_request = cw_nondet<size_t>();
    h->oom_count = cw_nondet<size_t>();
    h->invalid_free_count = cw_nondet<size_t>();
    return s;
}

/* A used block of the state, chosen by index so that its address is one of the scope's. */
struct UsedBlock {
    Block* block;
    size_t size;
};

inline UsedBlock choose_used_block(const Snapshot& s) {
    const unsigned g = cw_nondet<uint8_t>();
    cw_assume(g < s.count);
    UsedBlock chosen{nullptr, 0};
    bool used = false;
    for (unsigned i = 0; i < kScope; ++i) {
        CW_LOOP_BOUND(kScope);
        if (i == g) {
            chosen = {s.blocks[i], s.sizes[i]};
            used = s.used[i];
        }
    }
    cw_assume(used);
    return chosen;
}

/* What cw_heap_invariants_hold checks, over the region. */
struct Verdict {
    bool tiles;       /* sizes aligned, >= the minimum, prev links right, reach the end sentinel */
    bool apart;       /* no two free blocks adjacent */
    bool listed;      /* every free block is in its class's list */
    bool lists_sound; /* the lists hold only free blocks of their class, doubly linked */
    bool bitmaps;     /* bitmap bit = list non-empty; summary bit = bitmap word non-zero */
    bool statistics;  /* allocated, free_blocks, capacity, peak match the blocks */
};

__attribute__((always_inline)) inline Verdict heap_is_well_formed(const Snapshot& s) {
    const cw_heap* h = s.heap;
    const Witnesses& x = s.witnesses;
    const Block* start = s.start;
    Verdict v{true, true, true, true, true, true};
    const Block* first_block = block_at(const_cast<Block*>(start), kHeader);
    /* What each position of the region holds, read at numeral addresses only. */
    bool starts[kPositions] = {};
    bool free_at[kPositions] = {};
    const FreeLinks* next_at[kPositions] = {};
    const FreeLinks* prev_at[kPositions] = {};
    unsigned class_at[kPositions] = {};
    size_t allocated = 0;
    size_t frees = 0;
    unsigned of_class = 0;

    const Block* prev = start;
    bool prev_free = false;
    v.tiles = h->first == start && start->size_used == (kHeader | kUsed);
    size_t expect = 0; /* where the next block starts; past the region once the walk stops */
    /* No branch on "a block starts here": the optimiser would rewrite the position in the
     * branch into the symbolic `expect` it equals there, and every read below would be at a
     * symbolic address again. */
    for (unsigned j = 0; j < kPositions; ++j) {
        CW_LOOP_BOUND(kPositions);
        const size_t at = j * kAlign;
        const Block* b = block_at(const_cast<Block*>(first_block), at);
        const size_t size_used = b->size_used;
        const Block* prev_phys = b->prev_phys;
        const size_t size = size_used & ~kUsed;
        const bool here = at == expect;
        const bool bad =
            size < kMinBlock || size % kAlign != 0 || size > kRegion - at || prev_phys != prev;
        const bool good = here && !bad;
        const bool is_free = (size_used & kUsed) == 0;
        v.tiles = v.tiles && !(here && bad);
        v.apart = v.apart && !(good && is_free && prev_free);
        starts[j] = good;
        free_at[j] = good && is_free;
        next_at[j] = b->links.next;
        prev_at[j] = b->links.prev;
        class_at[j] = class_of_size(size);
        frees += good && is_free ? 1u : 0u;
        of_class += good && is_free && class_at[j] == x.c ? 1u : 0u;
        allocated += good && !is_free ? size : 0u;
        prev = good ? b : prev;
        prev_free = good ? is_free : prev_free;
        expect = good ? at + size : here ? kRegion + 1 : expect;
    }
    const Block* end = block_at(const_cast<Block*>(first_block), kRegion);
    v.tiles = v.tiles && expect == kRegion && h->last == end && end->prev_phys == prev &&
              end->size_used == kUsed;

    /* One class stands for all: its list is a doubly linked cycle through its bin, of free
     * blocks of that class, and its bitmap bit says whether it is empty. */
    const unsigned c = x.c;
    const FreeLinks* bin = bin_of(const_cast<cw_heap*>(h), c);
    const FreeLinks* bin_next = bin->next;
    const FreeLinks* bin_prev = bin->prev;
    const FreeLinks* link = bin;
    const FreeLinks* link_next = bin_next;
    bool open = true;
    unsigned members = 0;
    /* Branch-free like the walk above: every loop is then entered under the guard of the
     * check itself, and the verifier asks once whether an iteration is reachable. */
    for (unsigned i = 0; i < kListSteps; ++i) {
        CW_LOOP_BOUND(kListSteps);
        const FreeLinks* next = link_next;
        const bool at_bin = next == bin;
        bool member = false;
        const FreeLinks* following = nullptr;
        for (unsigned j = 0; j < kPositions; ++j) {
            CW_LOOP_BOUND(kPositions);
            const bool is_here =
                next == &block_at(const_cast<Block*>(first_block), j * kAlign)->links;
            member = is_here ? starts[j] && free_at[j] && class_at[j] == c && prev_at[j] == link
                             : member;
            following = is_here ? next_at[j] : following;
        }
        const bool steps = open && !at_bin;
        v.lists_sound =
            v.lists_sound && !(steps && !member) && !(open && at_bin && bin_prev != link);
        members += steps && member ? 1u : 0u;
        link = steps ? next : link;
        link_next = steps ? following : link_next;
        open = steps && member;
    }
    v.lists_sound = v.lists_sound && !open;
    v.listed = v.lists_sound && members == of_class;
    v.bitmaps = bitmap_bit(h->nonempty, c) == (bin_next != bin);

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

    v.statistics = h->capacity == kRegion && allocated == h->allocated && frees == h->free_blocks &&
                   h->peak_allocated >= allocated;
    return v;
}

__attribute__((always_inline)) inline void
assert_well_formed(const Snapshot& s, const char* tiles, const char* apart, const char* listed,
                   const char* lists_sound, const char* bitmaps, const char* statistics) {
    const Verdict v = heap_is_well_formed(s);
    cw_assert(v.tiles, tiles);
    cw_assert(v.apart, apart);
    cw_assert(v.listed, listed);
    cw_assert(v.lists_sound, lists_sound);
    cw_assert(v.bitmaps, bitmaps);
    cw_assert(v.statistics, statistics);
}

} // namespace symbolic_heap

/* Every harness built on these states has their scope. */
CW_SCOPE_BLOCKS(symbolic_heap::kScope);

#endif
