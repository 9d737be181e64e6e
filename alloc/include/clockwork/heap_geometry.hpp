// Size classes and arena sizing of the Clockwork heap, as constexpr functions of a few
// parameters. The heap uses them for its own target; `clockwork size` uses them for any target.
// Freestanding: no standard library.
#ifndef CLOCKWORK_HEAP_GEOMETRY_HPP
#define CLOCKWORK_HEAP_GEOMETRY_HPP

#include <stddef.h>
#include <stdint.h>

namespace clockwork {

template <class U>
constexpr unsigned floor_log2(U x) {
    // x > 0. The widest builtin that fits keeps this one instruction on every target.
    if constexpr (sizeof(U) <= sizeof(unsigned)) {
        return static_cast<unsigned>(sizeof(unsigned) * 8 - 1) -
               static_cast<unsigned>(__builtin_clz(static_cast<unsigned>(x)));
    } else if constexpr (sizeof(U) <= sizeof(unsigned long)) {
        return static_cast<unsigned>(sizeof(unsigned long) * 8 - 1) -
               static_cast<unsigned>(__builtin_clzl(static_cast<unsigned long>(x)));
    } else {
        return static_cast<unsigned>(sizeof(unsigned long long) * 8 - 1) -
               static_cast<unsigned>(__builtin_clzll(static_cast<unsigned long long>(x)));
    }
}

template <class U>
constexpr unsigned count_trailing_zeros(U x) {
    if constexpr (sizeof(U) <= sizeof(unsigned)) {
        return static_cast<unsigned>(__builtin_ctz(static_cast<unsigned>(x)));
    } else if constexpr (sizeof(U) <= sizeof(unsigned long)) {
        return static_cast<unsigned>(__builtin_ctzl(static_cast<unsigned long>(x)));
    } else {
        return static_cast<unsigned>(__builtin_ctzll(static_cast<unsigned long long>(x)));
    }
}

// Size classes. Sizes below 2^spacing_log2 granules get one class per granule; above, every
// power of two [2^f, 2^(f+1)) is cut into 2^spacing_log2 classes of width 2^(f - spacing_log2).
// Class k holds blocks of size [class_lower_bound(k), class_lower_bound(k + 1)); every lower
// bound is a multiple of the granule, so rounding to the granule never changes a class.
template <class U>
constexpr unsigned class_index(U bytes, unsigned granule_log2, unsigned spacing_log2) {
    const unsigned octave =
        floor_log2(static_cast<U>(bytes | (U{1} << (granule_log2 + spacing_log2))));
    const unsigned shift = octave - spacing_log2; // >= granule_log2
    return ((shift - granule_log2) << spacing_log2) + static_cast<unsigned>(bytes >> shift);
}

// Width of the class that holds `bytes`: the step from its lower bound to the next one.
template <class U>
constexpr U class_width(U bytes, unsigned granule_log2, unsigned spacing_log2) {
    const unsigned octave =
        floor_log2(static_cast<U>(bytes | (U{1} << (granule_log2 + spacing_log2))));
    return U{1} << (octave - spacing_log2);
}

constexpr unsigned long long class_lower_bound(unsigned k, unsigned granule_log2,
                                               unsigned spacing_log2) {
    const unsigned classes_per_octave = 1u << spacing_log2;
    if (k < classes_per_octave) {
        return static_cast<unsigned long long>(k) << granule_log2;
    }
    const unsigned octave = (k >> spacing_log2) - 1;
    const unsigned sub = k & (classes_per_octave - 1);
    return static_cast<unsigned long long>(classes_per_octave + sub) << (granule_log2 + octave);
}

// The block size that serves a request of n bytes: n plus the header, rounded up to the lower
// bound of the next class, so that every block of that class or a higher one fits it.
// Equal to class_lower_bound(class_index(n + header - 1) + 1).
template <class U>
constexpr U block_size_for_request(U n, unsigned granule_log2, unsigned spacing_log2) {
    const U header = U{1} << granule_log2;
    const U last_byte = n + header - 1;
    return (last_byte | (class_width(last_byte, granule_log2, spacing_log2) - 1)) + 1;
}

constexpr unsigned long long saturating_add(unsigned long long a, unsigned long long b) {
    return a + b < a ? ~0ull : a + b;
}
constexpr unsigned long long saturating_mul(unsigned long long a, unsigned long long b) {
    return (a != 0 && (a * b) / a != b) ? ~0ull : a * b;
}

// Everything about the heap's layout that depends on the target and the build parameters.
struct HeapGeometry {
    unsigned pointer_size;   // bytes: 2 (AVR), 4, 8
    unsigned spacing_log2;   // CW_HEAP_SPACING_LOG2
    unsigned max_arena_log2; // CW_HEAP_MAX_ARENA_LOG2

    // The header (previous-block pointer, size word) is two pointers, and so is the alignment:
    // a payload then starts aligned whenever its block does.
    constexpr unsigned alignment() const { return 2 * pointer_size; }
    constexpr unsigned granule_log2() const { return floor_log2(alignment()); }
    constexpr unsigned header_size() const { return alignment(); }
    // A free block holds its header and two free-list links.
    constexpr unsigned min_block_size() const { return 2 * alignment(); }
    constexpr unsigned long long max_arena_size() const { return 1ull << max_arena_log2; }

    constexpr unsigned class_of(unsigned long long bytes) const {
        return class_index(bytes, granule_log2(), spacing_log2);
    }
    constexpr unsigned long long lower_bound(unsigned absolute_class) const {
        return class_lower_bound(absolute_class, granule_log2(), spacing_log2);
    }
    // Class 0 and 1 hold nothing: no block is smaller than two granules.
    constexpr unsigned class_bias() const { return class_of(min_block_size()); }
    constexpr unsigned class_count() const {
        return class_of(max_arena_size() - alignment()) - class_bias() + 1;
    }
    constexpr unsigned bitmap_word_bits() const { return 8 * pointer_size; }
    constexpr unsigned bitmap_words() const {
        return (class_count() + bitmap_word_bits() - 1) / bitmap_word_bits();
    }
    // HeapState (heap.cpp) is all pointer-sized fields: two links per class, the class bitmap,
    // its summary word, and 16 words of bookkeeping. heap.cpp checks this with static_assert.
    static constexpr unsigned kBookkeepingWords = 16;
    constexpr unsigned long long control_size() const {
        const unsigned long long words =
            2ull * class_count() + bitmap_words() + 1 + kBookkeepingWords;
        return round_up(words * pointer_size);
    }
    constexpr unsigned long long round_up(unsigned long long bytes) const {
        return (bytes + alignment() - 1) & ~static_cast<unsigned long long>(alignment() - 1);
    }
    // One bit per granule of the arena, in whole bitmap words, padded to the alignment.
    constexpr unsigned long long start_map_size(unsigned long long arena_size) const {
        const unsigned long long bits = arena_size >> granule_log2();
        const unsigned long long words =
            (bits + bitmap_word_bits() - 1) >> floor_log2(bitmap_word_bits());
        return round_up(words * pointer_size);
    }
    // Control structure, start map, and the two sentinel headers that bracket the blocks.
    constexpr unsigned long long overhead(unsigned long long arena_size, bool validate) const {
        return control_size() + (validate ? start_map_size(arena_size) : 0) + 2ull * header_size();
    }
    constexpr unsigned long long min_arena_size(bool validate) const {
        const unsigned long long blocks = min_block_size();
        unsigned long long arena = control_size() + 2ull * header_size() + blocks;
        return validate ? arena + start_map_size(arena + start_map_size(arena)) : arena;
    }
    constexpr unsigned long long block_size(unsigned long long request) const {
        return block_size_for_request(request, granule_log2(), spacing_log2);
    }

    // Arena size that no sequence of requests can exhaust by fragmentation, when at every
    // moment the live requests add up to at most max_live bytes and each is between
    // min_request and max_request bytes. Proof sketch (docs/arena-sizing.md):
    //  - a live request n occupies at most block_size(n) + min_block - granule bytes, and
    //    block_size(n) <= (n + granule - 1)(1 + 2^-spacing) + granule;
    //  - at most k = max_live / min_request requests are live;
    //  - a request n fails only when every free block is smaller than block_size(n) <= R =
    //    block_size(max_request); free blocks are never adjacent, so there are at most k + 1,
    //    each at most R - granule bytes.
    // Blocks space above used + (k + 1)(R - granule) therefore never fails. This is the
    // best-fit family's bound, O(max_live * max_request / min_request): it is what the
    // allocator guarantees, not what typical programs need. ~0ull when nothing fits.
    constexpr unsigned long long worst_case_arena_size(unsigned long long max_live,
                                                       unsigned long long max_request,
                                                       unsigned long long min_request,
                                                       bool validate) const {
        if (min_request == 0 || min_request > max_request || max_request >= max_arena_size()) {
            return ~0ull;
        }
        const unsigned long long granule = alignment();
        const unsigned long long live_blocks = max_live / min_request;
        // Sum over live requests of (n + granule - 1) * (1 + 2^-spacing), rounded up, plus
        // 2 granules each: one of class rounding slack, one of an unsplit remainder.
        const unsigned long long unrounded =
            saturating_add(max_live, saturating_mul(live_blocks, granule - 1));
        const unsigned long long class_slack =
            (unrounded + (1ull << spacing_log2) - 1) >> spacing_log2;
        const unsigned long long used = saturating_add(saturating_add(unrounded, class_slack),
                                                       saturating_mul(live_blocks, 2 * granule));
        const unsigned long long largest_gap = block_size(max_request) - granule;
        const unsigned long long gaps = saturating_mul(saturating_add(live_blocks, 1), largest_gap);
        const unsigned long long blocks = saturating_add(saturating_add(used, gaps), granule);
        unsigned long long arena = saturating_add(blocks, overhead(0, false));
        if (validate) {
            // init sizes the map from the whole arena, map included: m = map(arena + m). Each
            // refinement m' = map(arena + m) shrinks the error 128-fold, so after five it is
            // below one byte even for a 2^40-byte arena; three granules of slack then cover
            // map(arena + slack) growing by one rounding step and still leave the blocks a
            // granule more than the proof counts.
            unsigned long long map = start_map_size(arena);
            map = start_map_size(saturating_add(arena, map));
            map = start_map_size(saturating_add(arena, map));
            map = start_map_size(saturating_add(arena, map));
            map = start_map_size(saturating_add(arena, map));
            arena = saturating_add(saturating_add(arena, map), 3 * granule);
        }
        return arena > max_arena_size() ? ~0ull : round_up(arena);
    }
};

} // namespace clockwork

#endif
