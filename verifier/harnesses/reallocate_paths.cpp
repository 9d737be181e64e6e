// cw_heap_reallocate on a heap with validation and on one without, down each of its paths in
// turn: growing in place into the free block after it; shrinking in place before a used block,
// which leaves the tail as a free block; moving, which keeps the contents the old block held;
// refusing a request above the largest (null, the block and its bytes kept, counted once as
// out of memory and as the peak request); with validation, refusing an interior pointer and a
// freed one (null, the status cw_heap_free would give, invalid_free_count up by one, nothing
// else changed); a size of 0, which frees, merging both ways; and a null pointer, which
// allocates. After each call the heap is well formed; at the end it is one free block again.
// And in a 3 KiB heap, growing, shrinking and moving into the one free block of the second
// bitmap word, which empties that word. And a move into a hole it fills exactly, whose free
// of the old block merges with the free block before it and empties the first bitmap word.
// And a move that finds no free block large enough: null, the block kept, counted once. And a
// move whose old block merges with the free block after it, the one block of the first word.
// Scope: two blocks (24 and 100 bytes) in a fresh 2 KiB heap, two (24 and 600) in a fresh
// 3 KiB heap, five (312, 8, 40, 24, 8) in another, four (632, 8, 8 and a filler) in a fourth,
// and a 2 KiB heap filled with 100-byte blocks; concrete sizes, with validation and without.
#include <clockwork/annotations.h>
#include <clockwork/block_header.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

#include <stdint.h>

namespace {
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[2048];
alignas(CW_HEAP_ALIGNMENT) unsigned char large_arena[3072];

cw_heap_diagnostics diagnostics(const cw_heap* heap) {
    cw_heap_diagnostics d{};
    cw_heap_get_diagnostics(heap, &d);
    return d;
}

template <size_t ArenaSize>
cw_heap* fresh_heap(unsigned char (&arena_bytes)[ArenaSize], bool validate) {
    cw_heap_options options = cw_heap_default_options();
    options.validate = validate ? 1 : 0;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena_bytes, ArenaSize, &options, &heap) == CW_OK);
    return heap;
}

void well_formed(const cw_heap* heap) {
    cw_assert(cw_heap_invariants_hold(heap) == 1, "reallocate-keeps-the-invariant");
}

// Refused: null, the status, one more invalid free, and nothing else changed.
void refused(cw_heap* heap, void* p, cw_status expected) {
    const cw_heap_diagnostics before = diagnostics(heap);
    cw_status status = CW_OK;
    void* q = cw_heap_reallocate(heap, p, 40, &status);
    const cw_heap_diagnostics after = diagnostics(heap);
    cw_assert(q == nullptr && status == expected &&
                  after.invalid_free_count == before.invalid_free_count + 1 &&
                  after.allocated == before.allocated &&
                  after.free_block_count == before.free_block_count &&
                  after.oom_count == before.oom_count,
              "reallocate-refuses-an-invalid-pointer");
    well_formed(heap);
}

void paths(bool validate) {
    cw_heap* heap = fresh_heap(arena, validate);
    void* a = cw_heap_allocate(heap, 24);
    void* b = cw_heap_allocate(heap, 100);
    cw_assume(a != nullptr && b != nullptr);
    uint32_t* words = static_cast<uint32_t*>(a);
    words[0] = 0xA5A50000u;
    words[1] = 0xA5A50001u;
    cw_status status = CW_ERR_NULL_ARGUMENT;

    // b is last before the free rest.
    const size_t b_size = cw_block_size(b);
    cw_assert(cw_heap_reallocate(heap, b, 200, &status) == b && status == CW_OK &&
                  cw_block_size(b) > b_size && cw_block_size(b) >= 200 + CW_HEAP_ALIGNMENT,
              "reallocate-grows-into-the-free-next-block");
    well_formed(heap);

    // a (a 32-byte block) keeps 16 bytes; the other 16, before b, become a free block.
    const size_t free_blocks = diagnostics(heap).free_block_count;
    cw_assert(cw_heap_reallocate(heap, a, 4, &status) == a && status == CW_OK &&
                  cw_block_size(a) == 2 * CW_HEAP_ALIGNMENT &&
                  diagnostics(heap).free_block_count == free_blocks + 1,
              "reallocate-shrinks-leaving-a-free-tail");
    well_formed(heap);

    // The free tail is too small to grow into: the block moves, with its first 8 bytes, into a
    // block of exactly 312 + header bytes, a class size.
    void* moved = cw_heap_reallocate(heap, a, 312, &status);
    cw_assert(moved != nullptr && moved != a && status == CW_OK &&
                  static_cast<uint32_t*>(moved)[0] == 0xA5A50000u &&
                  static_cast<uint32_t*>(moved)[1] == 0xA5A50001u &&
                  cw_block_size(moved) == 312 + CW_HEAP_ALIGNMENT,
              "reallocate-moves-keeping-the-contents");
    well_formed(heap);
    if (moved == nullptr) {
        return;
    }

    const cw_heap_diagnostics before = diagnostics(heap);
    const size_t moved_size = cw_block_size(moved);
    cw_assert(cw_heap_reallocate(heap, moved, SIZE_MAX, &status) == nullptr && status == CW_OK &&
                  cw_block_size(moved) == moved_size &&
                  static_cast<uint32_t*>(moved)[0] == 0xA5A50000u &&
                  diagnostics(heap).allocated == before.allocated &&
                  diagnostics(heap).oom_count == before.oom_count + 1 &&
                  diagnostics(heap).peak_request == SIZE_MAX,
              "reallocate-refuses-too-large-keeping-the-block");
    well_formed(heap);

    if (validate) {
        refused(heap, static_cast<char*>(moved) + CW_HEAP_ALIGNMENT, CW_ERR_INTERIOR_POINTER);
        refused(heap, a, CW_ERR_DOUBLE_FREE);
    }

    const size_t allocated = diagnostics(heap).allocated;
    cw_assert(cw_heap_reallocate(heap, moved, 0, &status) == nullptr && status == CW_OK &&
                  diagnostics(heap).allocated == allocated - moved_size,
              "reallocate-to-zero-frees");
    well_formed(heap);

    void* fresh = cw_heap_reallocate(heap, nullptr, 40, &status);
    cw_assert(fresh != nullptr && status == CW_OK && cw_block_size(fresh) >= 40 + CW_HEAP_ALIGNMENT,
              "reallocate-of-null-allocates");
    well_formed(heap);
    if (fresh == nullptr) {
        return;
    }

    // fresh merges into the free rest; then b lies between two free blocks (a with its tail,
    // and the rest) and merges both ways: one free block is left, and the largest request gets
    // the first block.
    cw_assert(cw_heap_reallocate(heap, fresh, 0, &status) == nullptr && status == CW_OK,
              "reallocate-to-zero-frees");
    cw_assert(cw_heap_reallocate(heap, b, 0, &status) == nullptr && status == CW_OK &&
                  diagnostics(heap).allocated == 0 && diagnostics(heap).free_block_count == 1,
              "reallocate-to-zero-frees");
    well_formed(heap);
    cw_assert(cw_heap_allocate(heap, cw_heap_max_allocation_size(heap)) == a,
              "reallocate-frees-merge-back");
}

// In 3 KiB, blocks of 640 bytes and more lie in the second bitmap word, and each step below
// unlinks the one free block of that word: growing into it, shrinking into it, and moving into
// it (a request of the first word, found through the summary). The word empties, its summary
// bit is cleared, and set again when the remainder goes back.
void across_words(bool validate) {
    cw_heap* heap = fresh_heap(large_arena, validate);
    void* x = cw_heap_allocate(heap, 24);
    void* y = cw_heap_allocate(heap, 600);
    cw_assume(x != nullptr && y != nullptr);
    static_cast<uint32_t*>(x)[0] = 0xA5A50002u;
    cw_status status = CW_ERR_NULL_ARGUMENT;
    cw_assert(cw_heap_reallocate(heap, y, 1000, &status) == y && status == CW_OK &&
                  cw_block_size(y) >= 1000 + CW_HEAP_ALIGNMENT,
              "reallocate-grows-into-the-free-next-block");
    well_formed(heap);
    cw_assert(cw_heap_reallocate(heap, y, 600, &status) == y && status == CW_OK &&
                  cw_block_size(y) < 1000,
              "reallocate-shrinks-into-the-free-next-block");
    well_formed(heap);
    void* moved = cw_heap_reallocate(heap, x, 300, &status);
    cw_assert(moved != nullptr && moved != x && status == CW_OK &&
                  static_cast<uint32_t*>(moved)[0] == 0xA5A50002u,
              "reallocate-moves-keeping-the-contents");
    well_formed(heap);
}
// A reallocate of p, whose first word is marked, to n bytes: the heap's counts either side.
struct Move {
    void* moved;
    cw_status status;
    cw_heap_diagnostics was;
    cw_heap_diagnostics now;
};
Move marked_move(cw_heap* heap, void* p, uint32_t mark, size_t n) {
    static_cast<uint32_t*>(p)[0] = mark;
    Move m{nullptr, CW_ERR_NULL_ARGUMENT, diagnostics(heap), {}};
    m.moved = cw_heap_reallocate(heap, p, n, &m.status);
    m.now = diagnostics(heap);
    return m;
}

// A move that fills a hole exactly (the block is taken whole, nothing split off), then frees
// the old block into the free block before it. In 3 KiB the free rest lies in the second
// bitmap word and the first holds only the hole and that free block: taking the hole leaves
// the word non-empty, the merge empties it, and its summary bit is cleared before the merged
// block sets it again. Freeing the last block at size 0 then merges it both ways, emptying
// each word in turn.
void move_into_a_hole(bool validate) {
    cw_heap* heap = fresh_heap(large_arena, validate);
    void* hole = cw_heap_allocate(heap, 312); // 320 bytes, a class size
    void* fence = cw_heap_allocate(heap, 8);
    void* before = cw_heap_allocate(heap, 40);
    void* x = cw_heap_allocate(heap, 24);
    void* last = cw_heap_allocate(heap, 8); // x cannot grow
    cw_assume(hole != nullptr && fence != nullptr && before != nullptr && x != nullptr &&
              last != nullptr && cw_heap_free(heap, hole) == CW_OK &&
              cw_heap_free(heap, before) == CW_OK);
    const Move m = marked_move(heap, x, 0xA5A50003u, 312);
    cw_assert(m.moved == hole && m.status == CW_OK &&
                  cw_block_size(m.moved) == 312 + CW_HEAP_ALIGNMENT &&
                  static_cast<uint32_t*>(m.moved)[0] == 0xA5A50003u &&
                  m.now.free_block_count == m.was.free_block_count - 1 &&
                  m.now.allocated == m.was.allocated - 32 + 320,
              "reallocate-moves-into-a-hole-it-fills");
    well_formed(heap);
    // The last block, between the merged free block (alone in the first word) and the free
    // rest (alone in the second), freed at size 0: both words empty, one free block is left.
    cw_status status = CW_ERR_NULL_ARGUMENT;
    cw_assert(cw_heap_reallocate(heap, last, 0, &status) == nullptr && status == CW_OK &&
                  diagnostics(heap).free_block_count == m.was.free_block_count - 2,
              "reallocate-to-zero-frees");
    well_formed(heap);
}
// A move whose free of the old block merges it with the free block after it, the one block of
// the first bitmap word: the word empties and its summary bit is cleared, while the merged
// block (656 bytes) goes to the second word. The move takes the free rest (1024 bytes, a class
// size) whole, so no remainder lands in the first word; a filler makes the rest exactly that
// on both heaps (validation's start map takes 48 bytes of the arena).
void move_merging_forward(bool validate) {
    cw_heap* heap = fresh_heap(large_arena, validate);
    void* b = cw_heap_allocate(heap, 632); // 640 bytes, the second word's first class
    void* t = cw_heap_allocate(heap, 8);
    void* fence = cw_heap_allocate(heap, 8);
    cw_assume(b != nullptr && t != nullptr && fence != nullptr);
    const cw_heap_diagnostics filled = diagnostics(heap);
    const size_t rest = filled.capacity - filled.allocated; // the one free block
    if (rest > 1024) {
        cw_assume(cw_heap_allocate(heap, rest - 1024 - CW_HEAP_ALIGNMENT) != nullptr);
    }
    cw_assume(diagnostics(heap).allocated == filled.capacity - 1024 &&
              cw_heap_free(heap, t) == CW_OK);
    const Move m = marked_move(heap, b, 0xA5A50004u, 1016);
    cw_assert(m.moved != nullptr && m.moved != b && m.status == CW_OK &&
                  cw_block_size(m.moved) == 1024 &&
                  static_cast<uint32_t*>(m.moved)[0] == 0xA5A50004u &&
                  m.now.free_block_count == m.was.free_block_count - 1 &&
                  m.now.allocated == m.was.allocated - 640 + 1024 &&
                  m.now.capacity - m.now.allocated == 656,
              "reallocate-moves-merging-the-old-block-forward");
    well_formed(heap);
}
// A block that must move when no free block is large enough: null, counted once as out of
// memory, the block, its bytes and the heap's counts kept. The heap is filled with 100-byte
// blocks after a, so a cannot grow in place and whatever is left free is too small.
void move_finds_no_block(bool validate) {
    cw_heap* heap = fresh_heap(arena, validate);
    void* a = cw_heap_allocate(heap, 24);
    cw_assume(a != nullptr);
    static_cast<uint32_t*>(a)[0] = 0xA5A50000u;
    for (unsigned k = 0; k < 24; ++k) {
        CW_LOOP_BOUND(24);
        if (cw_heap_allocate(heap, 100) == nullptr) {
            break;
        }
    }
    const cw_heap_diagnostics before = diagnostics(heap);
    const size_t a_size = cw_block_size(a);
    cw_status status = CW_ERR_NULL_ARGUMENT;
    cw_assert(cw_heap_reallocate(heap, a, 100, &status) == nullptr && status == CW_OK &&
                  cw_block_size(a) == a_size && static_cast<uint32_t*>(a)[0] == 0xA5A50000u &&
                  diagnostics(heap).allocated == before.allocated &&
                  diagnostics(heap).free_block_count == before.free_block_count &&
                  diagnostics(heap).oom_count == before.oom_count + 1,
              "reallocate-that-finds-no-block-keeps-the-block");
    well_formed(heap);
}
} // namespace

CW_HARNESS {
    for (unsigned v = 0; v < 2; ++v) {
        CW_LOOP_BOUND(2);
        paths(v != 0);
        across_words(v != 0);
        move_into_a_hole(v != 0);
        move_finds_no_block(v != 0);
        move_merging_forward(v != 0);
    }
}
