// The class bitmaps and their summary when a call empties a bitmap word or a class beside the
// smallest one. In a 3 KiB heap classes of 640 bytes and more lie in the second word; a 16-byte
// free block, when there is one, keeps bit 0 of the first word and of the summary set. After
// each call the heap is well formed, so no clear took a bit it should have left, and every
// emptied word lost its summary bit:
// - allocate (and reallocate of null) takes the second word's only block whole, beside the
//   16-byte block: the summary clear of word 1 must leave bit 0;
// - allocate (and reallocate of null) takes a hole of the first word whole, beside the 16-byte
//   block: the clear of its class must leave bit 0 of the word;
// - reallocate grows over the second word's only block, taking it whole;
// - reallocate shrinks into the first word's only free block, and the merged tail belongs to
//   the second word;
// - free (and reallocate to 0) merges with the first word's only free block, and the merged
//   block belongs to the second word; and the same beside the 16-byte block.
// Each block size is a class size, so no remainder is split off to set a bit again. Scope:
// fresh 3 KiB heaps, concrete sizes, with validation and without.
#include <clockwork/annotations.h>
#include <clockwork/block_header.h>
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

namespace {
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[3072];

cw_heap* fresh_heap(bool validate) {
    cw_heap_options options = cw_heap_default_options();
    options.validate = validate ? 1 : 0;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena, sizeof arena, &options, &heap) == CW_OK);
    return heap;
}

// The request whose block is `block` bytes, a class size.
constexpr size_t request(size_t block) {
    return block - CW_HEAP_ALIGNMENT;
}

// A used block that takes up what the others leave of the capacity (which validation's start
// map makes smaller): between 16 and 128 bytes, where every multiple of 8 is a class size.
void* filler(cw_heap* heap, size_t others) {
    cw_heap_diagnostics d{};
    cw_heap_get_diagnostics(heap, &d);
    return cw_heap_allocate(heap, request(d.capacity - others));
}

// A free 16-byte block (the smallest class), fenced off by a used block of `fence` bytes.
void smallest_free_block(cw_heap* heap, size_t fence, size_t others) {
    void* smallest = cw_heap_allocate(heap, request(16));
    void* fenced = fence != 0 ? cw_heap_allocate(heap, request(fence)) : filler(heap, others);
    cw_assume(smallest != nullptr && fenced != nullptr && cw_heap_free(heap, smallest) == CW_OK);
}

void well_formed(const cw_heap* heap) {
    cw_assert(cw_heap_invariants_hold(heap) == 1, "bitmap-words-agree-with-the-lists");
}

void* allocate(cw_heap* heap, size_t n, bool through_reallocate) {
    cw_status status = CW_ERR_NULL_ARGUMENT;
    return through_reallocate ? cw_heap_reallocate(heap, nullptr, n, &status)
                              : cw_heap_allocate(heap, n);
}

// The 16-byte block, its fence, and a rest of 1664 bytes, a class of the second word.
void takes_the_last_block_of_a_word(bool validate, bool through_reallocate) {
    cw_heap* heap = fresh_heap(validate);
    smallest_free_block(heap, 0, 16 + 1664);
    void* p = allocate(heap, request(1664), through_reallocate);
    cw_assert(p != nullptr && cw_block_size(p) == 1664, "bitmap-words-serve-the-request");
    well_formed(heap);
}

// A 112-byte hole and the 16-byte block in the first word; the rest in the second.
void takes_a_hole_beside_the_smallest(bool validate, bool through_reallocate) {
    cw_heap* heap = fresh_heap(validate);
    void* hole = cw_heap_allocate(heap, request(112));
    cw_assume(hole != nullptr && cw_heap_allocate(heap, request(16)) != nullptr);
    smallest_free_block(heap, 16, 0);
    cw_assume(cw_heap_free(heap, hole) == CW_OK);
    cw_assert(allocate(heap, request(112), through_reallocate) == hole,
              "bitmap-words-serve-the-request");
    well_formed(heap);
}

// The 16-byte block, its fence, a 640-byte block and a rest of 1024, alone in the second word:
// growing to 1664 takes the rest whole.
void grows_over_the_last_block_of_a_word(bool validate) {
    cw_heap* heap = fresh_heap(validate);
    smallest_free_block(heap, 0, 16 + 640 + 1024);
    void* y = cw_heap_allocate(heap, request(640));
    cw_assume(y != nullptr);
    cw_status status = CW_ERR_NULL_ARGUMENT;
    cw_assert(cw_heap_reallocate(heap, y, request(1664), &status) == y && status == CW_OK &&
                  cw_block_size(y) == 1664,
              "bitmap-words-serve-the-request");
    well_formed(heap);
}

// 832 used, 448 free (alone in the first word), the filler and 384 used: shrinking the 832 to
// 408 merges a 424-byte tail with the 448 into 872 bytes, a class of the second word.
void shrinks_into_a_block_of_another_word(bool validate) {
    cw_heap* heap = fresh_heap(validate);
    void* y = cw_heap_allocate(heap, request(832));
    void* z = cw_heap_allocate(heap, request(448));
    cw_assume(y != nullptr && z != nullptr && filler(heap, 832 + 448 + 384) != nullptr &&
              cw_heap_allocate(heap, request(384)) != nullptr && cw_heap_free(heap, z) == CW_OK);
    cw_status status = CW_ERR_NULL_ARGUMENT;
    cw_assert(cw_heap_reallocate(heap, y, request(408), &status) == y && status == CW_OK &&
                  cw_block_size(y) == 408,
              "bitmap-words-serve-the-request");
    well_formed(heap);
}

// Two 384-byte blocks merge into 768 bytes, a class of the second word; the first is freed
// first and is the only free block of the first word unless the 16-byte block is there too.
void free_merges_into_another_word(bool validate, bool beside_the_smallest,
                                   bool through_reallocate) {
    cw_heap* heap = fresh_heap(validate);
    const size_t smallest = beside_the_smallest ? 16 + 16 : 0;
    if (beside_the_smallest) {
        smallest_free_block(heap, 16, 0);
    }
    void* a = cw_heap_allocate(heap, request(384));
    void* b = cw_heap_allocate(heap, request(384));
    cw_assume(a != nullptr && b != nullptr && filler(heap, smallest + 384 + 384 + 896) != nullptr &&
              cw_heap_allocate(heap, request(896)) != nullptr && cw_heap_free(heap, a) == CW_OK);
    cw_status status = CW_ERR_NULL_ARGUMENT;
    if (through_reallocate) {
        cw_assert(cw_heap_reallocate(heap, b, 0, &status) == nullptr && status == CW_OK,
                  "bitmap-words-free");
    } else {
        cw_assert(cw_heap_free(heap, b) == CW_OK, "bitmap-words-free");
    }
    well_formed(heap);
}
} // namespace

CW_HARNESS {
    for (unsigned v = 0; v < 2; ++v) {
        CW_LOOP_BOUND(2);
        const bool validate = v != 0;
        for (unsigned r = 0; r < 2; ++r) {
            CW_LOOP_BOUND(2);
            const bool through_reallocate = r != 0;
            takes_the_last_block_of_a_word(validate, through_reallocate);
            takes_a_hole_beside_the_smallest(validate, through_reallocate);
            free_merges_into_another_word(validate, false, through_reallocate);
            free_merges_into_another_word(validate, true, through_reallocate);
        }
        grows_over_the_last_block_of_a_word(validate);
        shrinks_into_a_block_of_another_word(validate);
    }
}
