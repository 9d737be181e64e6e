// The Clockwork heap: two-level segregated fit over a caller's arena (contracts in cw_alloc.h).
//
// Layout: [cw_heap][block-start map, with validation][start sentinel][blocks...][end sentinel].
// Every block starts with a header {prev_phys, size | used}. Free blocks also hold the links of
// a circular list whose sentinel is their class's bin in cw_heap, so linking and unlinking
// never test for null. The two sentinel blocks are permanently used, so merging never tests
// for the arena's ends. nonempty[] has a bit per class with a non-empty list; summary has a bit
// per nonempty[] word that is not zero: the search is two count-trailing-zeros (one when there
// is a single word, which then needs no summary).
//
// Hot paths carry their worst case in their shape: each branch below is one the analyzer must
// pay for, so there are as few as the structure allows.
#include "heap_layout.hpp"

#include <clockwork/annotations.h>

#if defined(__clang__)
// The reallocate copy must stay a loop: the allocator links no libc, so no memcpy.
#define CW_NO_MEMCPY_IDIOM __attribute__((no_builtin("memcpy", "memmove", "memset")))
#else
#define CW_NO_MEMCPY_IDIOM __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif
#define CW_INLINE inline __attribute__((always_inline))

namespace {

CW_INLINE Block* at(void* base, size_t offset) {
    return reinterpret_cast<Block*>(static_cast<char*>(static_cast<void*>(base)) + offset);
}
CW_INLINE Block* block_of(FreeLinks* links) {
    return reinterpret_cast<Block*>(reinterpret_cast<char*>(links) - kHeader);
}
CW_INLINE Block* block_of_payload(void* p) {
    return reinterpret_cast<Block*>(static_cast<char*>(p) - kHeader);
}
CW_INLINE void* payload(Block* b) {
    return reinterpret_cast<char*>(b) + kHeader;
}
CW_INLINE bool is_free(const Block* b) {
    return (b->size_used & kUsed) == 0;
}

static_assert(sizeof(size_t) == sizeof(Word), "sizes and bitmap words share the shift helpers");

// Shifts by a count known only at run time. AVR shifts one bit per instruction, so there such a
// shift is a loop whose trip count the analyzer can bound only by its counter's range (256), far
// above any real count; a table of powers of two (and the ATmega's multiplier, for the one right
// shift) makes each a fixed sequence, whatever the count. Elsewhere a shift is one instruction.
#if defined(__AVR__)
static_assert(kWordBits == 16, "AVR's bitmap words are 16 bits");
// With Clang, in flash (address space 1, read with LPM): no SRAM, and nothing for start-up
// code to copy; LPM reaches the first 64 KiB of flash, where linker scripts put .progmem. GCC
// has no such attribute: there the table is an ordinary constant in SRAM.
#if defined(__clang__)
#define CW_AVR_FLASH __attribute__((address_space(1)))
#else
#define CW_AVR_FLASH
#endif
constexpr CW_AVR_FLASH Word kPowersOfTwo[kWordBits] = {
    0x0001, 0x0002, 0x0004, 0x0008, 0x0010, 0x0020, 0x0040, 0x0080,
    0x0100, 0x0200, 0x0400, 0x0800, 0x1000, 0x2000, 0x4000, 0x8000};
#endif

// 2^k, k < kWordBits.
CW_INLINE Word bit(unsigned k) {
#if defined(__AVR__)
    return kPowersOfTwo[k];
#else
    return Word{1} << k;
#endif
}
// Every bit from k up (~0 << k), k < kWordBits.
CW_INLINE Word bits_from(unsigned k) {
#if defined(__AVR__)
    return static_cast<Word>(Word{0} - bit(k));
#else
    return ~Word{0} << k;
#endif
}
// Octave shift of a size: class width is 1 << shift.
CW_INLINE unsigned class_shift(size_t bytes) {
    return clockwork::floor_log2(bytes | (size_t{1} << (kGranuleLog2 + kSpacingLog2))) -
           kSpacingLog2;
}
// The leading bits of bytes that pick its class inside the octave. With one class per octave
// that is the leading 1 alone, for every bytes >= one granule (all callers: a header at least).
CW_INLINE unsigned leading_bits(size_t bytes, unsigned shift) {
    if constexpr (kSpacingLog2 == 0) {
        return 1;
    } else {
#if defined(__AVR__)
        // bytes < 2^(shift + kSpacingLog2 + 1): a multiply moves its leading bit to the top,
        // then the shift is by a constant.
        constexpr unsigned kTop = kWordBits - 1 - kSpacingLog2;
        return static_cast<unsigned>(static_cast<Word>(bytes * bit(kTop - shift)) >> kTop);
#else
        return static_cast<unsigned>(bytes >> shift);
#endif
    }
}
CW_INLINE unsigned class_of(size_t bytes) {
    const unsigned shift = class_shift(bytes);
    return ((shift - kGranuleLog2) << kSpacingLog2) + leading_bits(bytes, shift) - kClassBias;
}

// With a single bitmap word (half-fit on 32- and 64-bit targets) the summary is left out: it
// would cost every link and unlink two more memory operations and buy no search.
constexpr bool kSummary = kBitmapWords > 1;

CW_INLINE void mark_class(cw_heap* h, unsigned c) {
    if constexpr (!kSummary) {
        h->nonempty[0] |= bit(c); // c < kClassCount <= kWordBits
    } else {
        const unsigned w = c / kWordBits;
        h->nonempty[w] |= bit(c % kWordBits);
        h->summary |= bit(w);
    }
}
CW_INLINE void clear_class(cw_heap* h, unsigned c) {
    if constexpr (!kSummary) {
        h->nonempty[0] &= ~bit(c);
    } else {
        const unsigned w = c / kWordBits;
        const Word rest = h->nonempty[w] & ~bit(c % kWordBits);
        h->nonempty[w] = rest;
        if (rest == 0) {
            h->summary &= ~bit(w);
        }
    }
}

CW_INLINE size_t granule_of(const cw_heap* h, const Block* b) {
    return static_cast<size_t>(reinterpret_cast<const char*>(b) -
                               reinterpret_cast<const char*>(h->first)) /
           kAlign;
}
template <bool Validate>
CW_INLINE void mark_start(cw_heap* h, const Block* b) {
    if constexpr (Validate) {
        const size_t g = granule_of(h, b);
        h->start_map[g / kWordBits] |= bit(g % kWordBits);
    }
}
template <bool Validate>
CW_INLINE void clear_start(cw_heap* h, const Block* b) {
    if constexpr (Validate) {
        const size_t g = granule_of(h, b);
        h->start_map[g / kWordBits] &= ~bit(g % kWordBits);
    }
}
CW_INLINE bool is_start(const cw_heap* h, const Block* b) {
    const size_t g = granule_of(h, b);
    return (h->start_map[g / kWordBits] & bit(g % kWordBits)) != 0;
}

// b->size_used must already hold size (free).
CW_INLINE void link_free(cw_heap* h, Block* b, size_t size) {
    const unsigned c = class_of(size);
    FreeLinks* bin = &h->bins[c];
    FreeLinks* first = bin->next;
    b->links.next = first;
    b->links.prev = bin;
    first->prev = &b->links;
    bin->next = &b->links;
    mark_class(h, c);
}

CW_INLINE void unlink_free(cw_heap* h, Block* b) {
    FreeLinks* next = b->links.next;
    FreeLinks* prev = b->links.prev;
    prev->next = next;
    next->prev = prev;
    if (next == prev) { // only the bin is left, and it tells the class
        // Unsigned: the class is a shift of the byte offset, not a signed division.
        const uintptr_t offset =
            reinterpret_cast<uintptr_t>(prev) - reinterpret_cast<uintptr_t>(h->bins);
        clear_class(h, static_cast<unsigned>(offset / sizeof(FreeLinks)));
    }
}

CW_INLINE void note_peak(cw_heap* h) {
    if (h->allocated > h->peak_allocated) {
        h->peak_allocated = h->allocated;
    }
}

CW_INLINE void note_allocated(cw_heap* h, size_t bytes) {
    const size_t allocated = h->allocated + bytes;
    h->allocated = allocated;
    if (allocated > h->peak_allocated) {
        h->peak_allocated = allocated;
    }
}

CW_INLINE void note_request(cw_heap* h, size_t n) {
    if (n > h->peak_request) {
        h->peak_request = n;
    }
}

// n >= 1 and n <= max_request. Peak: false when the caller gives part of the block back and
// records the peak itself, so that peak_allocated never counts bytes no caller held.
template <bool Validate, bool Peak = true>
CW_INLINE void* allocate_fitting(cw_heap* h, size_t n) {
    const size_t last_byte = n + kHeader - 1;
    const unsigned shift = class_shift(last_byte);
    const size_t size = (last_byte | (bit(shift) - 1)) + 1;
    const unsigned wanted =
        ((shift - kGranuleLog2) << kSpacingLog2) + leading_bits(last_byte, shift) + 1 - kClassBias;

    // wanted < kClassCount: n <= max_request keeps the class below that of the whole arena.
    unsigned c = 0;
    if constexpr (!kSummary) {
        const Word candidates = h->nonempty[0] & bits_from(wanted);
        if (candidates == 0) {
            ++h->oom_count;
            return nullptr;
        }
        c = clockwork::count_trailing_zeros(candidates);
    } else {
        unsigned w = wanted / kWordBits;
        Word candidates = h->nonempty[w] & bits_from(wanted % kWordBits);
        if (candidates == 0) {
            const Word higher_words = h->summary & static_cast<Word>(bits_from(w) << 1);
            if (higher_words == 0) {
                ++h->oom_count;
                return nullptr;
            }
            w = clockwork::count_trailing_zeros(higher_words);
            candidates = h->nonempty[w];
        }
        c = w * kWordBits + clockwork::count_trailing_zeros(candidates);
    }

    FreeLinks* bin = &h->bins[c];
    Block* b = block_of(bin->next);
    FreeLinks* next = b->links.next;
    bin->next = next;
    next->prev = bin;
    if (next == bin) {
        clear_class(h, c);
    }

    const size_t found = b->size_used;
    const size_t rest = found - size;
    size_t taken = found;
    if (rest >= kMinBlock) {
        Block* r = at(b, size);
        r->prev_phys = b;
        r->size_used = rest;
        at(b, found)->prev_phys = r;
        link_free(h, r, rest);
        mark_start<Validate>(h, r);
        taken = size;
    } else {
        --h->free_blocks;
    }
    b->size_used = taken | kUsed;
    if constexpr (Peak) {
        note_allocated(h, taken);
    } else {
        h->allocated += taken;
    }
    return payload(b);
}

template <bool Validate>
CW_INLINE void* allocate_impl(cw_heap* h, size_t n) {
    note_request(h, n);
    if (n - 1 >= h->max_request) { // n == 0 wraps to the top
        if (n != 0) {
            ++h->oom_count;
        }
        return nullptr;
    }
    return allocate_fitting<Validate>(h, n);
}

// b is used; its header is trusted.
template <bool Validate>
CW_INLINE void free_impl(cw_heap* h, Block* b) {
    size_t size = b->size_used - kUsed;
    h->allocated -= size;
    size_t free_blocks = h->free_blocks + 1;
    Block* next = at(b, size);
    Block* prev = b->prev_phys;
    // Each neighbour's size word is read once, before the unlink's stores, which the compiler
    // must otherwise assume overwrote it.
    const size_t prev_word = prev->size_used;
    const size_t next_word = next->size_used;
    if ((prev_word & kUsed) == 0) {
        unlink_free(h, prev);
        clear_start<Validate>(h, b);
        size += prev_word;
        b = prev;
        --free_blocks;
    }
    if ((next_word & kUsed) == 0) {
        unlink_free(h, next);
        clear_start<Validate>(h, next);
        size += next_word;
        next = at(next, next_word);
        --free_blocks;
    }
    next->prev_phys = b;
    b->size_used = size;
    link_free(h, b, size);
    h->free_blocks = free_blocks;
}

// Makes the `tail` bytes of used block b from offset `need` on a free block in front of `next`.
template <bool Validate>
CW_INLINE void split_off_tail(cw_heap* h, Block* b, size_t need, size_t tail, Block* next) {
    Block* t = at(b, need);
    t->prev_phys = b;
    t->size_used = tail;
    next->prev_phys = t;
    link_free(h, t, tail);
    mark_start<Validate>(h, t);
    b->size_used = need | kUsed;
}

// Gives back the tail of used block b (size `have`) beyond `need` bytes when the block after
// b is in use: the tail becomes a free block of its own if it can hold one.
template <bool Validate>
CW_INLINE void give_back_tail_before_used(cw_heap* h, Block* b, size_t have, size_t need) {
    const size_t tail = have - need;
    if (tail < kMinBlock) {
        return;
    }
    ++h->free_blocks;
    h->allocated -= tail;
    split_off_tail<Validate>(h, b, need, tail, at(b, have));
}

// Gives back the tail of used block b (size `have`) beyond `need` bytes, merging it with a
// free successor. need is a multiple of kAlign, at least kMinBlock, at most have.
template <bool Validate>
CW_INLINE void shrink_in_place(cw_heap* h, Block* b, size_t have, size_t need) {
    Block* next = at(b, have);
    if (!is_free(next)) {
        give_back_tail_before_used<Validate>(h, b, have, need);
        return;
    }
    const size_t tail = have - need;
    if (tail == 0) {
        return;
    }
    unlink_free(h, next);
    clear_start<Validate>(h, next);
    const size_t next_size = next->size_used;
    h->allocated -= tail;
    split_off_tail<Validate>(h, b, need, tail + next_size, at(next, next_size));
}

constexpr size_t kMaxCopyWords = kMaxArena / sizeof(Word);

// Not inlined: the loop body, which runs up to kMaxCopyWords times in reallocate's worst case,
// then gets its registers to itself. Inlined, its AVR body took one instruction more per word
// after an unrelated change to reallocate (bound 329005 instructions, 279904 not inlined).
__attribute__((noinline)) CW_NO_MEMCPY_IDIOM void copy_words(Word* to, const Word* from,
                                                             size_t words) {
    // No block holds more words, so on a well-formed heap the clamp never bites; it makes the
    // bound hold for every argument, a corrupted size included, and provable from this code alone.
    const size_t count = words < kMaxCopyWords ? words : kMaxCopyWords;
    for (size_t i = 0; i < count; ++i) {
        CW_LOOP_BOUND(kMaxCopyWords);
        to[i] = from[i];
    }
}

CW_INLINE size_t round_up_align(size_t bytes) {
    return (bytes + kAlign - 1) & ~(kAlign - 1);
}

template <bool Validate>
CW_INLINE void* reallocate_impl(cw_heap* h, Block* b, size_t n) {
    if (n == 0) {
        free_impl<Validate>(h, b);
        return nullptr;
    }
    note_request(h, n);
    if (n > h->max_request) {
        ++h->oom_count;
        return nullptr;
    }
    const size_t need = round_up_align(n + kHeader);
    const size_t have = b->size_used - kUsed;
    if (need <= have) {
        shrink_in_place<Validate>(h, b, have, need);
        return payload(b);
    }
    Block* next = at(b, have);
    if (is_free(next) && next->size_used >= need - have) {
        unlink_free(h, next);
        clear_start<Validate>(h, next);
        --h->free_blocks;
        const size_t grown = have + next->size_used;
        at(b, grown)->prev_phys = b;
        b->size_used = grown | kUsed;
        h->allocated += grown - have;
        // What follows the free block b grew into is in use (free blocks are never adjacent):
        // the merging branch of shrink_in_place could not run here.
        give_back_tail_before_used<Validate>(h, b, grown, need);
        note_peak(h);
        return payload(b);
    }
    void* moved = allocate_fitting<Validate>(h, n);
    if (moved == nullptr) {
        return nullptr;
    }
    const size_t old_payload = have - kHeader;
    const size_t wanted = round_up_align(n);
    copy_words(static_cast<Word*>(moved), static_cast<const Word*>(payload(b)),
               (old_payload < wanted ? old_payload : wanted) / sizeof(Word));
    free_impl<Validate>(h, b);
    return moved;
}

template <bool Validate>
CW_INLINE void* allocate_aligned_impl(cw_heap* h, size_t n, size_t alignment) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        return nullptr;
    }
    if (alignment <= kAlign) {
        return allocate_impl<Validate>(h, n);
    }
    note_request(h, n);
    if (n == 0) {
        return nullptr;
    }
    // Room for the worst head: a gap of one granule is too small to be a free block, so the
    // payload moves one more alignment step.
    if (n > h->max_request || alignment > h->max_request - n ||
        kAlign > h->max_request - n - alignment) {
        ++h->oom_count;
        return nullptr;
    }
    void* raw = allocate_fitting<Validate, false>(h, n + alignment + kAlign);
    if (raw == nullptr) {
        return nullptr;
    }
    Block* b = block_of_payload(raw);
    size_t have = b->size_used - kUsed;
    const uintptr_t address = reinterpret_cast<uintptr_t>(raw);
    uintptr_t aligned = (address + alignment - 1) & ~(alignment - 1);
    if (aligned != address && aligned - address < kMinBlock) {
        aligned += alignment;
    }
    const size_t head = aligned - address;
    if (head != 0) {
        // b came from a free block, so its predecessor is used: the head needs no merge.
        Block* a = at(b, head);
        a->prev_phys = b;
        a->size_used = (have - head) | kUsed;
        at(b, have)->prev_phys = a;
        b->size_used = head;
        link_free(h, b, head);
        mark_start<Validate>(h, a);
        ++h->free_blocks;
        h->allocated -= head;
        b = a;
        have -= head;
    }
    shrink_in_place<Validate>(h, b, have, round_up_align(n + kHeader));
    note_peak(h);
    return payload(b);
}

// Validation: O(1), and it reads no memory that the range check has not placed in the heap.
cw_status check_pointer(const cw_heap* h, const void* p) {
    const uintptr_t address = reinterpret_cast<uintptr_t>(p);
    const uintptr_t lowest = reinterpret_cast<uintptr_t>(h->first) + kHeader + kHeader;
    const uintptr_t end = reinterpret_cast<uintptr_t>(h->last);
    if (address < lowest || address >= end) {
        return CW_ERR_FOREIGN_POINTER;
    }
    if ((address & (kAlign - 1)) != 0) {
        return CW_ERR_MISALIGNED_POINTER;
    }
    const Block* b = reinterpret_cast<const Block*>(address - kHeader);
    if (!is_start(h, b)) {
        return CW_ERR_INTERIOR_POINTER;
    }
    if (is_free(b)) {
        return CW_ERR_DOUBLE_FREE;
    }
    return CW_OK;
}

struct Critical {
    explicit Critical(cw_heap* heap) : h(heap) {
        if (h->lock.enter != nullptr) {
            h->lock.enter(h->lock.context);
        }
    }
    ~Critical() {
        if (h->lock.enter != nullptr) {
            h->lock.exit(h->lock.context);
        }
    }
    Critical(const Critical&) = delete;
    Critical& operator=(const Critical&) = delete;
    cw_heap* h;
};

} // namespace

extern "C" {

// The checked paths (validation or a lock) carry fixed symbol names, so that a configuration
// excludes them from a bound by the same name on every target (clockwork analyze
// --never-called), whatever size_t mangles to; they keep internal linkage.
static void* cw_heap_checked_allocate(cw_heap* h, size_t n) __asm__("cw_heap_checked_allocate");
static cw_status cw_heap_checked_free(cw_heap* h, void* p) __asm__("cw_heap_checked_free");

static __attribute__((noinline)) void* cw_heap_checked_allocate(cw_heap* h, size_t n) {
    Critical section(h);
    return h->start_map != nullptr ? allocate_impl<true>(h, n) : allocate_impl<false>(h, n);
}

static __attribute__((noinline)) cw_status cw_heap_checked_free(cw_heap* h, void* p) {
    Critical section(h);
    if (h->start_map == nullptr) {
        free_impl<false>(h, block_of_payload(p));
        return CW_OK;
    }
    const cw_status status = check_pointer(h, p);
    if (status != CW_OK) {
        ++h->invalid_free_count;
        return status;
    }
    free_impl<true>(h, block_of_payload(p));
    return CW_OK;
}

cw_heap_options cw_heap_default_options(void) {
    cw_heap_options options{};
    options.validate = CW_HEAP_VALIDATE_DEFAULT;
    return options;
}

size_t cw_heap_min_arena_size(int validate) {
    constexpr size_t kPlain = static_cast<size_t>(kGeometry.min_arena_size(false));
    constexpr size_t kValidated = static_cast<size_t>(kGeometry.min_arena_size(true));
    return validate != 0 ? kValidated : kPlain;
}

cw_status cw_heap_init(void* arena, size_t size, const cw_heap_options* options, cw_heap** out) {
    if (arena == nullptr || out == nullptr) {
        return CW_ERR_NULL_ARGUMENT;
    }
    const cw_heap_options chosen = options != nullptr ? *options : cw_heap_default_options();
    if ((chosen.lock.enter == nullptr) != (chosen.lock.exit == nullptr)) {
        return CW_ERR_NULL_ARGUMENT;
    }
    if ((reinterpret_cast<uintptr_t>(arena) & (kAlign - 1)) != 0) {
        return CW_ERR_ARENA_MISALIGNED;
    }
    if (size > kMaxArena) {
        size = kMaxArena;
    }
    size &= ~(kAlign - 1);
    const bool validate = chosen.validate != 0;
    if (size < cw_heap_min_arena_size(validate)) {
        return CW_ERR_ARENA_TOO_SMALL;
    }

    cw_heap* h = static_cast<cw_heap*>(arena);
    size_t offset = static_cast<size_t>(kGeometry.control_size());
    h->start_map = nullptr;
    if (validate) {
        h->start_map = reinterpret_cast<Word*>(static_cast<char*>(arena) + offset);
        const size_t map_size = static_cast<size_t>(kGeometry.start_map_size(size));
        for (size_t i = 0; i < map_size / sizeof(Word); ++i) {
            CW_LOOP_BOUND(kGeometry.start_map_size(kMaxArena) / sizeof(Word));
            h->start_map[i] = 0;
        }
        offset += map_size;
    }
    for (unsigned c = 0; c < kClassCount; ++c) {
        CW_LOOP_BOUND(kClassCount);
        h->bins[c].next = &h->bins[c];
        h->bins[c].prev = &h->bins[c];
    }
    for (unsigned w = 0; w < kBitmapWords; ++w) {
        CW_LOOP_BOUND(kBitmapWords);
        h->nonempty[w] = 0;
    }
    h->summary = 0;

    Block* first = at(arena, offset);
    Block* block = at(first, kHeader);
    Block* last = at(arena, size - kHeader);
    const size_t block_size =
        static_cast<size_t>(reinterpret_cast<char*>(last) - reinterpret_cast<char*>(block));
    first->prev_phys = nullptr;
    first->size_used = kHeader | kUsed;
    block->prev_phys = first;
    block->size_used = block_size;
    last->prev_phys = block;
    last->size_used = kUsed;
    h->first = first;
    h->last = last;
    link_free(h, block, block_size);
    if (validate) {
        mark_start<true>(h, first);
        mark_start<true>(h, block);
        mark_start<true>(h, last);
    }

    h->max_request =
        static_cast<size_t>(kGeometry.lower_bound(class_of(block_size) + kClassBias)) - kHeader;
    h->lock = chosen.lock;
    const bool checked = validate || chosen.lock.enter != nullptr;
    h->allocate_limit = checked ? 0 : h->max_request;
    h->free_limit = checked ? 0 : ~uintptr_t{0};
    h->capacity = block_size;
    h->allocated = 0;
    h->peak_allocated = 0;
    h->peak_request = 0;
    h->oom_count = 0;
    h->invalid_free_count = 0;
    h->free_blocks = 1;
    *out = h;
    return CW_OK;
}

void* cw_heap_allocate(cw_heap* heap, size_t n) {
    if (n - 1 >= heap->allocate_limit) { // n == 0 wraps to the top
        if (heap->free_limit == 0) {
            return cw_heap_checked_allocate(heap, n);
        }
        // Unchecked, only a request the heap refuses gets here.
        note_request(heap, n);
        if (n != 0) {
            ++heap->oom_count;
        }
        return nullptr;
    }
    note_request(heap, n);
    return allocate_fitting<false>(heap, n);
}

cw_status cw_heap_free(cw_heap* heap, void* p) {
    if (reinterpret_cast<uintptr_t>(p) - 1 >= heap->free_limit) { // null wraps to the top
        if (p == nullptr) {
            return CW_OK;
        }
        return cw_heap_checked_free(heap, p);
    }
    free_impl<false>(heap, block_of_payload(p));
    return CW_OK;
}

void* cw_heap_allocate_aligned(cw_heap* heap, size_t n, size_t alignment) {
    Critical section(heap);
    return heap->start_map != nullptr ? allocate_aligned_impl<true>(heap, n, alignment)
                                      : allocate_aligned_impl<false>(heap, n, alignment);
}

void* cw_heap_reallocate(cw_heap* heap, void* p, size_t n, cw_status* status) {
    if (status != nullptr) {
        *status = CW_OK;
    }
    if (p == nullptr) {
        return cw_heap_allocate(heap, n);
    }
    Critical section(heap);
    if (heap->start_map == nullptr) {
        return reallocate_impl<false>(heap, block_of_payload(p), n);
    }
    const cw_status checked = check_pointer(heap, p);
    if (checked != CW_OK) {
        ++heap->invalid_free_count;
        if (status != nullptr) {
            *status = checked;
        }
        return nullptr;
    }
    return reallocate_impl<true>(heap, block_of_payload(p), n);
}

size_t cw_heap_max_allocation_size(const cw_heap* heap) {
    // Fixed at init, but the contract is one rule for every function: inside the lock.
    Critical section(const_cast<cw_heap*>(heap));
    return heap->max_request;
}

size_t cw_heap_largest_free_block(const cw_heap* heap) {
    Critical section(const_cast<cw_heap*>(heap));
    const Word words = kSummary ? heap->summary : Word{heap->nonempty[0] != 0};
    if (words == 0) {
        return 0;
    }
    const unsigned w = clockwork::floor_log2(words);
    const unsigned c = w * kWordBits + clockwork::floor_log2(heap->nonempty[w]);
    return static_cast<size_t>(kGeometry.lower_bound(c + kClassBias)) - kHeader;
}

void cw_heap_get_diagnostics(const cw_heap* heap, cw_heap_diagnostics* out) {
    Critical section(const_cast<cw_heap*>(heap));
    out->capacity = heap->capacity;
    out->allocated = heap->allocated;
    out->peak_allocated = heap->peak_allocated;
    out->peak_request = heap->peak_request;
    out->oom_count = static_cast<uint32_t>(heap->oom_count);
    out->invalid_free_count = static_cast<uint32_t>(heap->invalid_free_count);
    out->free_block_count = heap->free_blocks;
}

} // extern "C"

// The whole-structure check. Every loop is bounded by what the arena can hold, so that even
// a corrupted heap (a cycle in a list) ends the walk.
namespace {

constexpr size_t kMaxBlocks = kMaxArena / kMinBlock + 2;

bool blocks_hold(const cw_heap* h, size_t* free_count) {
    const Block* prev = h->first;
    if (prev->size_used != (kHeader | kUsed)) {
        return false;
    }
    const Block* b = at(const_cast<Block*>(prev), kHeader);
    size_t allocated = 0;
    size_t total = 0;
    size_t frees = 0;
    for (size_t i = 0; i < kMaxBlocks && b != h->last; ++i) {
        CW_LOOP_BOUND(kMaxBlocks);
        const size_t size = b->size_used & ~kUsed;
        const size_t room = static_cast<size_t>(reinterpret_cast<const char*>(h->last) -
                                                reinterpret_cast<const char*>(b));
        if (size < kMinBlock || (size & (kAlign - 1)) != 0 || size > room || b->prev_phys != prev ||
            (is_free(b) && is_free(prev))) {
            return false;
        }
        if (h->start_map != nullptr && !is_start(h, b)) {
            return false;
        }
        total += size;
        if (is_free(b)) {
            ++frees;
        } else {
            allocated += size;
        }
        prev = b;
        b = at(const_cast<Block*>(b), size);
    }
    if (b != h->last || h->last->prev_phys != prev || h->last->size_used != kUsed ||
        (is_free(prev) && prev == h->first)) {
        return false;
    }
    *free_count = frees;
    return total == h->capacity && allocated == h->allocated && frees == h->free_blocks &&
           h->peak_allocated >= allocated;
}

bool lists_hold(const cw_heap* h, size_t free_count) {
    size_t listed = 0;
    Word summary = 0;
    for (unsigned c = 0; c < kClassCount; ++c) {
        CW_LOOP_BOUND(kClassCount);
        // Every back link is checked against the node before it, the bin's own included: an
        // empty list is its bin linked to itself both ways.
        const FreeLinks* bin = &h->bins[c];
        const FreeLinks* previous = bin;
        const FreeLinks* link = bin->next;
        for (size_t i = 0; i < kMaxBlocks && link != bin; ++i) {
            CW_LOOP_BOUND(kMaxBlocks);
            const Block* b = block_of(const_cast<FreeLinks*>(link));
            const uintptr_t address = reinterpret_cast<uintptr_t>(b);
            if (address <= reinterpret_cast<uintptr_t>(h->first) ||
                address >= reinterpret_cast<uintptr_t>(h->last) || !is_free(b) ||
                class_of(b->size_used) != c || link->prev != previous) {
                return false;
            }
            ++listed;
            previous = link;
            link = link->next;
        }
        if (link != bin || bin->prev != previous || listed > free_count) {
            return false;
        }
        const bool marked = ((h->nonempty[c / kWordBits] >> (c % kWordBits)) & 1u) != 0;
        if (marked != (bin->next != bin)) {
            return false;
        }
    }
    for (unsigned w = 0; w < kBitmapWords; ++w) {
        CW_LOOP_BOUND(kBitmapWords);
        if (h->nonempty[w] != 0) {
            summary |= Word{1} << w;
        }
    }
    const unsigned spare = kBitmapWords * kWordBits - kClassCount;
    const Word beyond = spare == 0 ? 0 : ~Word{0} << (kWordBits - spare);
    // Without a summary (one bitmap word) its field stays zero.
    const Word expected_summary = kSummary ? summary : 0;
    return listed == free_count && expected_summary == h->summary &&
           (h->nonempty[kBitmapWords - 1] & beyond) == 0;
}

// Every set bit of the start map is a block start: count them against the blocks.
bool start_map_holds(const cw_heap* h) {
    if (h->start_map == nullptr) {
        return true;
    }
    size_t blocks = 2; // the sentinels
    const Block* b = at(const_cast<Block*>(h->first), kHeader);
    for (size_t i = 0; i < kMaxBlocks && b != h->last; ++i) {
        CW_LOOP_BOUND(kMaxBlocks);
        ++blocks;
        b = at(const_cast<Block*>(b), b->size_used & ~kUsed);
    }
    const size_t granules = granule_of(h, h->last) + 1;
    const size_t words = (granules + kWordBits - 1) / kWordBits;
    // A corrupted end sentinel would have the walk read past the map: no arena has more words.
    if (words > kMaxArena / kAlign / kWordBits + 1) {
        return false;
    }
    size_t marked = 0;
    for (size_t w = 0; w < words; ++w) {
        CW_LOOP_BOUND(kMaxArena / kAlign / kWordBits + 1);
        // The count of bits visited never stops the loop (a word has no more set bits); it gives
        // the loop a count the verifier can bound, which clearing the lowest bit alone does not.
        Word bits = h->start_map[w];
        for (unsigned k = 0; k < kWordBits && bits != 0; ++k) {
            CW_LOOP_BOUND(kWordBits);
            ++marked;
            bits &= bits - 1;
        }
    }
    return marked == blocks && is_start(h, h->first) && is_start(h, h->last);
}

} // namespace

extern "C" int cw_heap_invariants_hold(const cw_heap* heap) {
    if (heap == nullptr) {
        return 0;
    }
    Critical section(const_cast<cw_heap*>(heap));
    size_t free_count = 0;
    return blocks_hold(heap, &free_count) && lists_hold(heap, free_count) && start_map_holds(heap)
               ? 1
               : 0;
}
