// cw_heap_get_diagnostics field by field after known sequences, and cw_heap_invariants_hold
// both holding and catching a corrupted heap.
#include "heap_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace clockwork::test {
namespace {

TEST(HeapDiagnostics, FollowAKnownSequenceExactly) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(true)), Status::ok);
    HeapDiagnostics expected{};
    expected.capacity = block_space(arena.data(), arena.size(), true).capacity();
    expected.free_block_count = 1;
    EXPECT_EQ(heap.diagnostics(), expected);

    void* a = heap.allocate(100);
    ASSERT_NE(a, nullptr);
    expected.allocated = expected.peak_allocated = block_size(100);
    expected.peak_request = 100;
    EXPECT_EQ(heap.diagnostics(), expected);

    void* b = heap.allocate(1000);
    ASSERT_NE(b, nullptr);
    expected.allocated = expected.peak_allocated = block_size(100) + block_size(1000);
    expected.peak_request = 1000;
    EXPECT_EQ(heap.diagnostics(), expected);

    ASSERT_EQ(heap.free(a), Status::ok);
    expected.allocated = block_size(1000);
    expected.free_block_count = 2;
    EXPECT_EQ(heap.diagnostics(), expected);

    EXPECT_EQ(heap.allocate(0), nullptr);
    EXPECT_EQ(heap.allocate(50), a) << "the freed block is the smallest class that fits";
    expected.allocated = block_size(1000) + block_size(50);
    expected.peak_request = 1000;
    expected.free_block_count = block_size(100) - block_size(50) >= kMinBlock ? 2 : 1;
    EXPECT_EQ(heap.diagnostics(), expected);

    EXPECT_EQ(heap.allocate(SIZE_MAX), nullptr);
    EXPECT_EQ(heap.allocate(heap.largest_free_block() + 1), nullptr);
    expected.oom_count = 2;
    expected.peak_request = SIZE_MAX;
    EXPECT_EQ(heap.diagnostics(), expected);

    ASSERT_EQ(heap.free(b), Status::ok);
    ASSERT_EQ(heap.free(a), Status::ok);
    expected.allocated = 0;
    expected.free_block_count = 1;
    EXPECT_EQ(heap.diagnostics(), expected);

    EXPECT_EQ(heap.free(b), Status::interior_pointer) << "b merged into a's block";
    EXPECT_EQ(heap.free(a), Status::double_free);
    expected.invalid_free_count = 2;
    EXPECT_EQ(heap.diagnostics(), expected);
    EXPECT_TRUE(heap.invariants_hold());
}

TEST(HeapDiagnostics, PeakAllocatedStaysAtTheHighestPoint) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(false)), Status::ok);
    void* p = heap.allocate(4000);
    void* q = heap.allocate(4000);
    ASSERT_NE(q, nullptr);
    const size_t peak = heap.diagnostics().allocated;
    EXPECT_EQ(peak, 2 * block_size(4000));
    ASSERT_EQ(heap.free(p), Status::ok);
    ASSERT_EQ(heap.free(q), Status::ok);
    for (int i = 0; i < 10; ++i) {
        void* r = heap.allocate(100);
        ASSERT_EQ(heap.free(r), Status::ok);
    }
    EXPECT_EQ(heap.diagnostics().peak_allocated, peak);
    EXPECT_EQ(heap.diagnostics().peak_request, 4000u);
}

// peak_allocated is "the highest value of allocated since init": a state the heap was in
// between calls, which is what an arena is sized from. Blocks a call takes only to give most
// of them back within the same call must not count.
TEST(HeapDiagnostics, PeakAllocatedIgnoresTheFreeBlockAnInPlaceGrowthGivesBack) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(false)), Status::ok);
    void* p = heap.allocate(100);
    ASSERT_NE(p, nullptr);
    ASSERT_EQ(heap.reallocate(p, 200), p) << "grows into the free rest of the heap";
    const HeapDiagnostics d = heap.diagnostics();
    EXPECT_EQ(d.allocated, round_up_to_granule(200 + kHeader));
    EXPECT_EQ(d.peak_allocated, d.allocated)
        << "the whole free block (" << d.capacity - block_size(100) << " bytes) was counted";
}

TEST(HeapDiagnostics, PeakAllocatedIgnoresTheHeadAndTailAnAlignedAllocationGivesBack) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(false)), Status::ok);
    void* p = heap.allocate_aligned(16, 4096);
    ASSERT_NE(p, nullptr);
    const HeapDiagnostics d = heap.diagnostics();
    EXPECT_EQ(d.allocated, round_up_to_granule(16 + kHeader));
    EXPECT_EQ(d.peak_allocated, d.allocated);
}

TEST(HeapDiagnostics, AllocatedPlusFreeBlocksCoverTheCapacity) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(false)), Status::ok);
    while (heap.allocate(333) != nullptr) {
    }
    const HeapDiagnostics d = heap.diagnostics();
    // What is left is smaller than the block a 333-byte request needs.
    EXPECT_LT(d.capacity - d.allocated, block_size(333));
    EXPECT_EQ(d.free_block_count, d.capacity == d.allocated ? 0u : 1u);
    EXPECT_EQ(d.oom_count, 1u);
}

TEST(HeapInvariants, HoldAfterEveryKindOfCall) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(true)), Status::ok);
    EXPECT_TRUE(heap.invariants_hold());
    void* a = heap.allocate(10);
    EXPECT_TRUE(heap.invariants_hold());
    void* b = heap.allocate_aligned(100, 256);
    EXPECT_TRUE(heap.invariants_hold());
    a = heap.reallocate(a, 500);
    EXPECT_TRUE(heap.invariants_hold());
    b = heap.reallocate(b, 50);
    EXPECT_TRUE(heap.invariants_hold());
    EXPECT_EQ(heap.free(a), Status::ok);
    EXPECT_TRUE(heap.invariants_hold());
    EXPECT_NE(heap.free(a), Status::ok);
    EXPECT_TRUE(heap.invariants_hold());
    EXPECT_EQ(heap.free(b), Status::ok);
    EXPECT_TRUE(heap.invariants_hold());
}

// The header's second word is the block size with the used flag in bit 0 (heap_geometry.hpp:
// "previous-block pointer, size word"). A checker that accepted these would prove nothing.
class HeapInvariantsCorrupted : public ::testing::TestWithParam<bool> {
  protected:
    void SetUp() override {
        ASSERT_EQ(heap_.init(arena_.data(), arena_.size(), with_validation(GetParam())),
                  Status::ok);
        p_ = heap_.allocate(100);
        q_ = heap_.allocate(100);
        ASSERT_NE(q_, nullptr);
        ASSERT_TRUE(heap_.invariants_hold());
    }
    static size_t& size_word(void* payload) { return static_cast<size_t*>(payload)[-1]; }

    Arena arena_{1 << 16};
    Heap heap_;
    void* p_ = nullptr;
    void* q_ = nullptr;
};

INSTANTIATE_TEST_SUITE_P(Validation, HeapInvariantsCorrupted, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                             return info.param ? std::string("On") : std::string("Off");
                         });

TEST_P(HeapInvariantsCorrupted, CatchAWrongBlockSize) {
    const size_t saved = size_word(p_);
    size_word(p_) = saved + kGranule;
    EXPECT_FALSE(heap_.invariants_hold());
    size_word(p_) = saved;
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapInvariantsCorrupted, CatchAUsedBlockMarkedFree) {
    const size_t saved = size_word(q_);
    size_word(q_) = saved & ~size_t{1};
    EXPECT_FALSE(heap_.invariants_hold());
    size_word(q_) = saved;
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapInvariantsCorrupted, CatchABrokenPreviousBlockLink) {
    void** prev = static_cast<void**>(q_) - 2;
    void* saved = *prev;
    *prev = static_cast<unsigned char*>(saved) + kGranule;
    EXPECT_FALSE(heap_.invariants_hold());
    *prev = saved;
    EXPECT_TRUE(heap_.invariants_hold());
}

} // namespace
} // namespace clockwork::test
