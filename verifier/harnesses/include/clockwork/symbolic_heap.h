/* Property 3's heap states and the invariant they are checked against.
 *
 * build_symbolic_heap() makes every heap whose block region is kRegion bytes and that the
 * invariant admits: the region's words, the live classes' bins, the bitmap and the statistics are
 * inputs, and the invariant is assumed of them. kRegion is four minimum blocks, so the scope is
 * every heap of up to K = 4 blocks, each of any size the region allows, in any order of its lists:
 * the smallest scope with a free block between two used ones beside another free block, and with
 * two free blocks of one class in one list. An inductive harness then runs one operation and
 * asserts the invariant again.
 *
 * The invariant assumed is heap_is_well_formed() (checks per class stated for one
 * nondeterministic class, which is every class at once) and lists_locally_sound(): the list links
 * of every free block and every bin, which the operation follows in classes other than the
 * witness's. Each is a consequence of cw_heap_invariants_hold, so the assumed states include
 * every well-formed heap of the region (tests/verifier/symbolic_heap_test.cpp checks that on heaps
 * reached by random operations); a proof over them covers every state the heap can be in.
 *
 * What keeps the verifier's terms small (docs/verifier.md, Limits):
 *  - The checks read the region at numeral addresses only, position by position, and carry
 *    "the next block starts at" as a value: a walk whose next address is the value just read
 *    nests the cases of every read block by block.
 *  - No branch on what the checks read: the optimiser would rewrite a position into the symbolic
 *    value it was just compared equal to, and the encoder would ask once per iteration whether it
 *    is reachable. Hence `&` and `|` on bools below, not `&&` and `||`.
 *  - Every array index is a loop counter, and a bin's class is reduced modulo kClassCount: a
 *    store at a symbolic index is a case in every later read whose address range meets its own.
 *
 * Harnesses include heap_layout.hpp from the allocator's source folder, so that the state is
 * written on the very layout heap.cpp reads. read_layout(), heap_is_well_formed() and
 * lists_locally_sound() call none of the verifier's intrinsics: they also run natively on a real
 * heap. */
#ifndef CLOCKWORK_SYMBOLIC_HEAP_H
#define CLOCKWORK_SYMBOLIC_HEAP_H

#include "heap_layout.hpp"

#include <clockwork/annotations.h>
#include <clockwork/verify.h>

namespace symbolic_heap {

constexpr unsigned kScope = 4;
constexpr size_t kRegion = kScope * kMinBlock;
constexpr unsigned kPositions = kRegion / kAlign;
/* The arena whose block region is kRegion bytes, validation off. */
constexpr size_t kArenaSize = kGeometry.overhead(0, false) + kRegion;
/* Steps of the list walk: every block of the region, and back at the bin. */
constexpr unsigned kListSteps = kScope + 1;
/* The classes a block of the region can have; the other bins stay empty. */
constexpr unsigned kLiveClasses = kGeometry.class_of(kRegion) - kClassBias + 1;
static_assert(kLiveClasses <= kWordBits, "the live classes share the first bitmap word");

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

inline Block* block_at(const void* base, size_t offset) {
    return reinterpret_cast<Block*>(const_cast<char*>(static_cast<const char*>(base)) + offset);
}
/* The block whose payload p is. */
inline Block* block_of_payload(const void* p) {
    return reinterpret_cast<Block*>(const_cast<char*>(static_cast<const char*>(p)) - kHeader);
}
inline const FreeLinks* links_at(const Block* first_block, unsigned position) {
    return &block_at(first_block, position * kAlign)->links;
}
inline bool block_is_free(const Block* b) {
    return (b->size_used & kUsed) == 0;
}
/* The class of a block size, as heap_geometry.hpp defines it (not heap.cpp's bit tricks), at the
 * width of size_t: class_index gives every size_t the class it gives it widened, and
 * HeapGeometry::class_of's unsigned long long made 64-bit shifts and counts of every position's
 * size on a 32-bit target (the joint query of invariant_reallocate_larger.cpp took 25% fewer
 * resource units without them). */
inline unsigned class_of_size(size_t size) {
    return clockwork::class_index(size, kGeometry.granule_log2(), kGeometry.spacing_log2) -
           kClassBias;
}
inline bool bitmap_bit(const Word* words, unsigned bit) {
    return ((words[bit / kWordBits] >> (bit % kWordBits)) & 1u) != 0;
}
inline size_t payload_bytes(const Block* b) {
    return (b->size_used & ~kUsed) - kHeader;
}
/* `% kClassCount` changes no class a block can have and keeps the address inside the bins for
 * the verifier's range reasoning. */
inline const FreeLinks* bin_of(const cw_heap* h, unsigned c) {
    return &h->bins[c % kClassCount];
}

/* What each position of the region holds, and what the walk from the start sentinel found. */
struct Layout {
    bool starts[kPositions]; /* a block the walk reached starts here */
    bool free_at[kPositions];
    size_t size_at[kPositions];
    unsigned class_at[kPositions];
    const FreeLinks* next_at[kPositions];
    const FreeLinks* prev_at[kPositions];
    bool tiles; /* sizes aligned, >= the minimum, prev links right, reach the end sentinel */
    bool apart; /* no two free blocks adjacent */
    size_t allocated;
    size_t frees;
};

__attribute__((always_inline)) inline Layout read_layout(const cw_heap* h, const Block* start) {
    Layout l{};
    const Block* first_block = block_at(start, kHeader);
    const Block* prev = start;
    bool prev_free = false;
    l.tiles = (h->first == start) & (start->size_used == (kHeader | kUsed));
    l.apart = true;
    size_t expect = 0; /* where the next block starts; past the region once the walk stops */
    for (unsigned j = 0; j < kPositions; ++j) {
        CW_LOOP_BOUND(kPositions);
        const size_t at = j * kAlign;
        const Block* b = block_at(first_block, at);
        const size_t size_used = b->size_used;
        const size_t size = size_used & ~kUsed;
        const bool here = at == expect;
        const bool bad = (size < kMinBlock) | (size % kAlign != 0) | (size > kRegion - at) |
                         (b->prev_phys != prev);
        const bool good = here & !bad;
        const bool is_free = (size_used & kUsed) == 0;
        l.tiles &= !(here & bad);
        l.apart &= !(good & is_free & prev_free);
        l.starts[j] = good;
        l.free_at[j] = good & is_free;
        l.size_at[j] = size;
        l.class_at[j] = class_of_size(size);
        l.next_at[j] = b->links.next;
        l.prev_at[j] = b->links.prev;
        l.frees += (good & is_free) ? 1u : 0u;
        l.allocated += (good & !is_free) ? size : 0u;
        prev = good ? b : prev;
        prev_free = good ? is_free : prev_free;
        expect = good ? at + size : here ? kRegion + 1 : expect;
    }
    const Block* end = block_at(first_block, kRegion);
    l.tiles &= (expect == kRegion) & (h->last == end) & (end->prev_phys == prev) &
               (end->size_used == kUsed);
    return l;
}

/* What cw_heap_invariants_hold checks, over the region. */
struct Verdict {
    bool tiles;
    bool apart;
    bool listed;      /* every free block of the witness class is in its list */
    bool lists_sound; /* that list holds only free blocks of the class, doubly linked */
    bool bitmaps;     /* bitmap bit = list non-empty; summary bit = bitmap word non-zero */
    bool statistics;  /* allocated, free_blocks, capacity, peak match the blocks */

    bool all() const { return tiles & apart & listed & lists_sound & bitmaps & statistics; }
};

__attribute__((always_inline)) inline Verdict
heap_is_well_formed(const cw_heap* h, const Block* start, const Witnesses& x, const Layout& l) {
    Verdict v{l.tiles, l.apart, true, true, true, true};
    const Block* first_block = block_at(start, kHeader);
    const unsigned c = x.c;
    unsigned of_class = 0;
    for (unsigned j = 0; j < kPositions; ++j) {
        CW_LOOP_BOUND(kPositions);
        of_class += (l.free_at[j] & (l.class_at[j] == c)) ? 1u : 0u;
    }
    /* The witness class's list is a doubly linked cycle through its bin. */
    const FreeLinks* bin = bin_of(h, c);
    const FreeLinks* bin_next = bin->next;
    const FreeLinks* bin_prev = bin->prev;
    const FreeLinks* link = bin;
    const FreeLinks* link_next = bin_next;
    bool open = true;
    unsigned members = 0;
    for (unsigned i = 0; i < kListSteps; ++i) {
        CW_LOOP_BOUND(kListSteps);
        const FreeLinks* next = link_next;
        const bool at_bin = next == bin;
        bool member = false;
        const FreeLinks* following = nullptr;
        for (unsigned j = 0; j < kPositions; ++j) {
            CW_LOOP_BOUND(kPositions);
            const bool is_here = next == links_at(first_block, j);
            member =
                is_here ? l.free_at[j] & (l.class_at[j] == c) & (l.prev_at[j] == link) : member;
            following = is_here ? l.next_at[j] : following;
        }
        const bool steps = open & !at_bin;
        v.lists_sound &= !(steps & !member) & !(open & at_bin & (bin_prev != link));
        members += (steps & member) ? 1u : 0u;
        link = steps ? next : link;
        link_next = steps ? following : link_next;
        open = steps & member;
    }
    v.lists_sound &= !open;
    v.listed = v.lists_sound & (members == of_class);
    v.bitmaps = bitmap_bit(h->nonempty, c) == (bin_next != bin);
    const bool summary_bit = ((h->summary >> x.w) & 1u) != 0;
    if (kBitmapWords > 1) {
        v.bitmaps &= (summary_bit == (h->nonempty[x.w] != 0)) & ((h->summary >> kBitmapWords) == 0);
    } else {
        v.bitmaps &= h->summary == 0;
    }
    if (kBitmapWords * kWordBits > kClassCount) {
        v.bitmaps &= !bitmap_bit(h->nonempty, x.spare);
    }
    v.statistics = (h->capacity == kRegion) & (l.allocated == h->allocated) &
                   (l.frees == h->free_blocks) & (h->peak_allocated >= l.allocated);
    return v;
}

/* The links of every free block and of every live bin, each checked against its neighbours
 * alone: what an operation follows in the classes the witness does not stand for. Without it,
 * a bin of another class may point anywhere, and allocate from it writes anywhere. */
__attribute__((always_inline)) inline bool lists_locally_sound(const cw_heap* h, const Block* start,
                                                               const Layout& l) {
    const Block* first_block = block_at(start, kHeader);
    const FreeLinks* bin_next[kLiveClasses];
    const FreeLinks* bin_prev[kLiveClasses];
    for (unsigned k = 0; k < kLiveClasses; ++k) {
        CW_LOOP_BOUND(kLiveClasses);
        bin_next[k] = h->bins[k].next;
        bin_prev[k] = h->bins[k].prev;
    }
    bool ok = true;
    for (unsigned j = 0; j < kPositions; ++j) {
        CW_LOOP_BOUND(kPositions);
        const FreeLinks* self = links_at(first_block, j);
        bool next_ok = false;
        bool prev_ok = false;
        bool bin_nonempty = false;
        for (unsigned i = 0; i < kPositions; ++i) {
            CW_LOOP_BOUND(kPositions);
            const bool peer = l.free_at[i] & (l.class_at[i] == l.class_at[j]);
            next_ok |= (l.next_at[j] == links_at(first_block, i)) & peer & (l.prev_at[i] == self);
            prev_ok |= (l.prev_at[j] == links_at(first_block, i)) & peer & (l.next_at[i] == self);
        }
        for (unsigned k = 0; k < kLiveClasses; ++k) {
            CW_LOOP_BOUND(kLiveClasses);
            const FreeLinks* bin = &h->bins[k];
            const bool mine = l.class_at[j] == k;
            next_ok |= mine & (l.next_at[j] == bin) & (bin_prev[k] == self);
            prev_ok |= mine & (l.prev_at[j] == bin) & (bin_next[k] == self);
            bin_nonempty |= mine & (bin_next[k] != bin);
        }
        ok &= !l.free_at[j] | (next_ok & prev_ok & bin_nonempty);
    }
    Word bits = 0;
    for (unsigned k = 0; k < kLiveClasses; ++k) {
        CW_LOOP_BOUND(kLiveClasses);
        const FreeLinks* bin = &h->bins[k];
        const FreeLinks* n = bin_next[k];
        const FreeLinks* p = bin_prev[k];
        bool next_ok = (n == bin) & (p == bin);
        bool prev_ok = next_ok;
        for (unsigned i = 0; i < kPositions; ++i) {
            CW_LOOP_BOUND(kPositions);
            const bool member = l.free_at[i] & (l.class_at[i] == k);
            next_ok |= (n == links_at(first_block, i)) & member & (l.prev_at[i] == bin);
            prev_ok |= (p == links_at(first_block, i)) & member & (l.next_at[i] == bin);
        }
        ok &= next_ok & prev_ok;
        bits |= n != bin ? Word{1} << k : 0;
    }
    return ok & (h->nonempty[0] == bits);
}

/* The arena every symbolic heap is in. */
alignas(CW_HEAP_ALIGNMENT) inline unsigned char arena[kArenaSize];

struct Snapshot {
    Witnesses witnesses;
    cw_heap* heap;
    Block* start;  /* the start sentinel, where the checks begin whatever h->first says */
    Layout layout; /* before the operation */
};

inline Snapshot build_symbolic_heap() {
    Snapshot s{};
    s.witnesses = choose_witnesses();
    cw_heap_options options = cw_heap_default_options();
    options.validate = 0;
    cw_heap* h = nullptr;
    cw_assume(cw_heap_init(arena, sizeof arena, &options, &h) == CW_OK);
    cw_assume(h->capacity == kRegion);
    s.heap = h;
    s.start = h->first;
    /* may_alias: the heap reads these words as sizes and pointers, and type-based alias analysis
     * would otherwise separate them from a store of a plain word. */
    typedef Word __attribute__((may_alias)) AnyWord;
    AnyWord* region = reinterpret_cast<AnyWord*>(block_at(s.start, kHeader));
    for (unsigned j = 0; j < kRegion / sizeof(Word); ++j) {
        CW_LOOP_BOUND(kRegion / sizeof(Word));
        region[j] = cw_nondet<Word>();
    }
    h->last->prev_phys = reinterpret_cast<Block*>(cw_nondet<Word>());
    for (unsigned k = 0; k < kLiveClasses; ++k) {
        CW_LOOP_BOUND(kLiveClasses);
        h->bins[k].next = reinterpret_cast<FreeLinks*>(cw_nondet<Word>());
        h->bins[k].prev = reinterpret_cast<FreeLinks*>(cw_nondet<Word>());
    }
    h->nonempty[0] = cw_nondet<Word>();
    h->summary = kBitmapWords > 1 ? (h->nonempty[0] != 0 ? 1u : 0u) : 0u;
    h->allocated = cw_nondet<size_t>();
    h->free_blocks = cw_nondet<size_t>();
    h->peak_allocated = cw_nondet<size_t>();
    h->peak_request = cw_nondet<size_t>();
    h->oom_count = cw_nondet<size_t>();
    h->invalid_free_count = cw_nondet<size_t>();

    s.layout = read_layout(h, s.start);
    const Verdict v = heap_is_well_formed(h, s.start, s.witnesses, s.layout);
    cw_assume(v.all());
    cw_assume(lists_locally_sound(h, s.start, s.layout));
    return s;
}

/* A used block of the state, chosen by position. */
struct UsedBlock {
    Block* block;
    size_t size;
};

inline UsedBlock choose_used_block(const Snapshot& s) {
    const unsigned g = cw_nondet<uint8_t>();
    cw_assume(g < kPositions);
    bool used = false;
    size_t size = 0;
    for (unsigned j = 0; j < kPositions; ++j) {
        CW_LOOP_BOUND(kPositions);
        used = j == g ? s.layout.starts[j] & !s.layout.free_at[j] : used;
        size = j == g ? s.layout.size_at[j] : size;
    }
    cw_assume(used);
    return {block_at(block_at(s.start, kHeader), g * kAlign), size};
}

__attribute__((always_inline)) inline void
assert_well_formed(const Snapshot& s, const char* tiles, const char* apart, const char* listed,
                   const char* lists_sound, const char* bitmaps, const char* statistics) {
    const Verdict v =
        heap_is_well_formed(s.heap, s.start, s.witnesses, read_layout(s.heap, s.start));
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
