// cw_heap_free: merging, and each pointer validation refuses, with its exact status and a heap
// left exactly as it was.
#include "heap_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace clockwork::test {
namespace {

TEST(HeapFree, NullIsANoOpWithAndWithoutValidation) {
    for (const bool validate : {false, true}) {
        Arena arena(1 << 16);
        Heap heap;
        ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(validate)), Status::ok);
        void* p = heap.allocate(100);
        ASSERT_NE(p, nullptr);
        const HeapDiagnostics before = heap.diagnostics();
        EXPECT_EQ(heap.free(nullptr), Status::ok);
        EXPECT_EQ(cw_heap_free(heap.c_handle(), nullptr), CW_OK);
        EXPECT_EQ(heap.diagnostics(), before);
    }
}

TEST(HeapFree, MergesWithBothFreeNeighbours) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(true)), Status::ok);
    void* a = heap.allocate(100);
    void* b = heap.allocate(200);
    void* c = heap.allocate(300);
    void* guard = heap.allocate(1);
    ASSERT_NE(guard, nullptr);
    EXPECT_EQ(heap.diagnostics().free_block_count, 1u);
    ASSERT_EQ(heap.free(a), Status::ok);
    EXPECT_EQ(heap.diagnostics().free_block_count, 2u);
    ASSERT_EQ(heap.free(c), Status::ok);
    EXPECT_EQ(heap.diagnostics().free_block_count, 3u);
    ASSERT_EQ(heap.free(b), Status::ok);
    EXPECT_EQ(heap.diagnostics().free_block_count, 2u);
    EXPECT_EQ(heap.diagnostics().allocated, kMinBlock);
    EXPECT_EQ(heap.largest_free_block(), heap.max_allocation_size());
    ASSERT_EQ(heap.free(guard), Status::ok);
    EXPECT_EQ(heap.diagnostics().free_block_count, 1u);
    EXPECT_TRUE(heap.invariants_hold());
}

TEST(HeapFree, WithoutValidationReturnsEveryValidPointerInAnyOrder) {
    Arena arena(1 << 18);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(false)), Status::ok);
    const HeapDiagnostics empty = heap.diagnostics();
    std::vector<void*> live;
    for (size_t n = 1; n < 2000; n += 37) {
        live.push_back(heap.allocate(n));
        ASSERT_NE(live.back(), nullptr);
    }
    // Odd positions first (no merges), then the rest backwards (merging on both sides).
    for (size_t i = 1; i < live.size(); i += 2) {
        EXPECT_EQ(heap.free(live[i]), Status::ok);
    }
    EXPECT_TRUE(heap.invariants_hold());
    for (size_t i = live.size(); i-- > 0;) {
        if (i % 2 == 0) {
            EXPECT_EQ(heap.free(live[i]), Status::ok);
        }
    }
    HeapDiagnostics expected = empty;
    expected.peak_allocated = heap.diagnostics().peak_allocated;
    expected.peak_request = heap.diagnostics().peak_request;
    EXPECT_EQ(heap.diagnostics(), expected);
    EXPECT_TRUE(heap.invariants_hold());
}

// [a][b][c][guard][free tail], validation on.
class HeapFreeValidated : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(heap_.init(arena_.data(), arena_.size(), with_validation(true)), Status::ok);
        a_ = static_cast<unsigned char*>(heap_.allocate(100));
        b_ = static_cast<unsigned char*>(heap_.allocate(200));
        c_ = static_cast<unsigned char*>(heap_.allocate(300));
        guard_ = static_cast<unsigned char*>(heap_.allocate(1));
        ASSERT_NE(guard_, nullptr);
    }

    void expect_refused(const void* p, Status expected) {
        const HeapDiagnostics before = heap_.diagnostics();
        const size_t largest = heap_.largest_free_block();
        EXPECT_EQ(heap_.free(const_cast<void*>(p)), expected) << p;
        HeapDiagnostics after = before;
        ++after.invalid_free_count;
        EXPECT_EQ(heap_.diagnostics(), after) << p;
        EXPECT_EQ(heap_.largest_free_block(), largest);
        EXPECT_TRUE(heap_.invariants_hold());
    }

    // The heap still frees what it handed out, so the refusal changed nothing.
    void expect_live_blocks_free_cleanly() {
        for (unsigned char* p : {a_, b_, c_, guard_}) {
            if (p != nullptr) {
                EXPECT_EQ(heap_.free(p), Status::ok);
            }
        }
        EXPECT_EQ(heap_.diagnostics().allocated, 0u);
        EXPECT_EQ(heap_.diagnostics().free_block_count, 1u);
        EXPECT_TRUE(heap_.invariants_hold());
    }

    Arena arena_{1 << 16};
    Heap heap_;
    unsigned char* a_ = nullptr;
    unsigned char* b_ = nullptr;
    unsigned char* c_ = nullptr;
    unsigned char* guard_ = nullptr;
};

TEST_F(HeapFreeValidated, SecondFreeOfABlockBetweenUsedNeighboursIsDoubleFree) {
    ASSERT_EQ(heap_.free(b_), Status::ok);
    expect_refused(b_, Status::double_free);
    EXPECT_EQ(heap_.diagnostics().invalid_free_count, 1u);
    b_ = nullptr;
    expect_live_blocks_free_cleanly();
}

TEST_F(HeapFreeValidated, FreedBlockThatAbsorbedItsSuccessorIsStillDoubleFree) {
    ASSERT_EQ(heap_.free(c_), Status::ok);
    ASSERT_EQ(heap_.free(b_), Status::ok);
    expect_refused(b_, Status::double_free);
    b_ = c_ = nullptr;
    expect_live_blocks_free_cleanly();
}

// cw_alloc.h: "A pointer into a block that was freed and merged into its predecessor is
// reported as INTERIOR_POINTER."
TEST_F(HeapFreeValidated, FreedBlockMergedIntoItsPredecessorIsInterior) {
    ASSERT_EQ(heap_.free(b_), Status::ok);
    ASSERT_EQ(heap_.free(c_), Status::ok);
    expect_refused(c_, Status::interior_pointer);
    expect_refused(b_, Status::double_free);
    b_ = c_ = nullptr;
    expect_live_blocks_free_cleanly();
}

TEST_F(HeapFreeValidated, PointersOutsideTheBlocksAreForeign) {
    Arena elsewhere(256);
    const BlockSpace space = block_space(arena_.data(), arena_.size(), true);
    int on_stack = 0;
    expect_refused(elsewhere.data(), Status::foreign_pointer);
    expect_refused(&on_stack, Status::foreign_pointer);
    expect_refused(arena_.data(), Status::foreign_pointer);     // the control structure
    expect_refused(arena_.data() + 1, Status::foreign_pointer); // and misaligned there
    expect_refused(reinterpret_cast<void*>(space.begin), Status::foreign_pointer);
    expect_refused(reinterpret_cast<void*>(space.end), Status::foreign_pointer);
    expect_refused(arena_.end(), Status::foreign_pointer);
    expect_refused(reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(arena_.end()) + (1 << 20)),
                   Status::foreign_pointer);
    expect_refused(reinterpret_cast<void*>(uintptr_t{CW_HEAP_ALIGNMENT}), Status::foreign_pointer);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a_), space.begin + kHeader) << "first block's payload";
    EXPECT_EQ(heap_.diagnostics().invalid_free_count, 9u);
    expect_live_blocks_free_cleanly();
}

TEST_F(HeapFreeValidated, PointersOffTheAlignmentAreMisaligned) {
    for (size_t offset = 1; offset < kGranule; ++offset) {
        expect_refused(a_ + offset, Status::misaligned_pointer);
        expect_refused(guard_ + offset, Status::misaligned_pointer);
    }
    expect_refused(guard_ + kMinBlock + 3, Status::misaligned_pointer); // inside the free tail
    expect_live_blocks_free_cleanly();
}

TEST_F(HeapFreeValidated, AlignedPointersInsideABlockAreInterior) {
    for (size_t offset = kGranule; offset < block_size(100) - kHeader; offset += kGranule) {
        expect_refused(a_ + offset, Status::interior_pointer);
    }
    expect_refused(c_ + kGranule, Status::interior_pointer);
    expect_refused(guard_ + kMinBlock + kGranule, Status::interior_pointer); // the free tail
    expect_live_blocks_free_cleanly();
}

TEST_F(HeapFreeValidated, EveryRefusalIsCountedOnce) {
    ASSERT_EQ(heap_.free(b_), Status::ok);
    Arena elsewhere(64);
    EXPECT_EQ(heap_.free(b_), Status::double_free);
    EXPECT_EQ(heap_.free(elsewhere.data()), Status::foreign_pointer);
    EXPECT_EQ(heap_.free(a_ + 1), Status::misaligned_pointer);
    EXPECT_EQ(heap_.free(a_ + kGranule), Status::interior_pointer);
    EXPECT_EQ(heap_.diagnostics().invalid_free_count, 4u);
    EXPECT_EQ(heap_.free(a_), Status::ok);
    EXPECT_EQ(heap_.diagnostics().invalid_free_count, 4u);
}

} // namespace
} // namespace clockwork::test
