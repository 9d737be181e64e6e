// cw_heap_allocate, cw_heap_allocate_aligned, cw_heap_max_allocation_size and
// cw_heap_largest_free_block: sizes at the edges, alignment, and the waste bound of cw_alloc.h.
#include "heap_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace clockwork::test {
namespace {

class HeapAllocate : public ::testing::TestWithParam<bool> {
  protected:
    void SetUp() override {
        ASSERT_EQ(heap_.init(arena_.data(), arena_.size(), with_validation(GetParam())),
                  Status::ok);
    }

    Arena arena_{1 << 20};
    Heap heap_;
};

INSTANTIATE_TEST_SUITE_P(Validation, HeapAllocate, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                             return info.param ? std::string("On") : std::string("Off");
                         });

TEST_P(HeapAllocate, ZeroBytesReturnsNullWithoutCountingOom) {
    const HeapDiagnostics before = heap_.diagnostics();
    EXPECT_EQ(heap_.allocate(0), nullptr);
    EXPECT_EQ(heap_.diagnostics(), before);
}

TEST_P(HeapAllocate, OneByteTakesOneMinimumBlock) {
    void* p = heap_.allocate(1);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(heap_.diagnostics().allocated, kMinBlock);
    EXPECT_EQ(heap_.diagnostics().peak_request, 1u);
    EXPECT_EQ(heap_.free(p), Status::ok);
}

TEST_P(HeapAllocate, SizesThatOverflowTheHeaderFailAndCountOom) {
    const HeapDiagnostics before = heap_.diagnostics();
    const size_t huge[] = {SIZE_MAX,           SIZE_MAX - 1,
                           SIZE_MAX - kHeader, SIZE_MAX - kHeader + 1,
                           SIZE_MAX / 2,       SIZE_MAX / 2 + 1};
    uint32_t failures = 0;
    for (const size_t n : huge) {
        EXPECT_EQ(heap_.allocate(n), nullptr) << n;
        ++failures;
        EXPECT_EQ(heap_.diagnostics().oom_count, failures);
    }
    HeapDiagnostics expected = before;
    expected.oom_count = failures;
    expected.peak_request = SIZE_MAX;
    EXPECT_EQ(heap_.diagnostics(), expected);
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapAllocate, MaxAllocationSizeSucceedsOnAnEmptyHeapAndOneMoreFails) {
    const size_t largest = heap_.max_allocation_size();
    EXPECT_EQ(heap_.allocate(largest + 1), nullptr);
    EXPECT_EQ(heap_.diagnostics().oom_count, 1u);
    void* p = heap_.allocate(largest);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(heap_.diagnostics().allocated, block_size(largest));
    EXPECT_EQ(heap_.free(p), Status::ok);
    EXPECT_EQ(heap_.diagnostics().oom_count, 1u);
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST(HeapMaxAllocationSize, IsTheLargestRequestTheWholeBlockSpaceServes) {
    const size_t minimum = cw_heap_min_arena_size(0);
    for (const size_t size : {minimum, minimum + kGranule, minimum + 1000, minimum + 4096,
                              size_t{65536}, size_t{65536 + 16 * 37}, size_t{1} << 20}) {
        Arena arena(size);
        Heap heap;
        ASSERT_EQ(heap.init(arena.data(), size, with_validation(false)), Status::ok);
        const size_t capacity = heap.diagnostics().capacity;
        const size_t largest = heap.max_allocation_size();
        EXPECT_EQ(largest, largest_request_served_by(capacity)) << size;
        EXPECT_LE(block_size(largest), capacity);
        EXPECT_GT(block_size(largest + 1), capacity) << "the next class would not fit";
        void* p = heap.allocate(largest);
        EXPECT_NE(p, nullptr) << size;
        EXPECT_EQ(heap.free(p), Status::ok);
        EXPECT_EQ(heap.allocate(largest + 1), nullptr) << size;
    }
}

TEST_P(HeapAllocate, EveryBlockIsAlignedToTwoPointers) {
    static_assert(CW_HEAP_ALIGNMENT == 2 * sizeof(void*));
    static_assert(sizeof(void*) != 8 || CW_HEAP_ALIGNMENT == 16);
    static_assert(sizeof(void*) != 4 || CW_HEAP_ALIGNMENT == 8);
    std::vector<void*> blocks;
    for (size_t n = 1;; n = n % 700 + 13) {
        void* p = heap_.allocate(n);
        if (p == nullptr) {
            break;
        }
        EXPECT_TRUE(aligned_to(p, CW_HEAP_ALIGNMENT)) << p;
        EXPECT_GE(static_cast<unsigned char*>(p), arena_.data());
        EXPECT_LE(static_cast<unsigned char*>(p) + n, arena_.end());
        blocks.push_back(p);
    }
    EXPECT_GT(blocks.size(), 1000u);
    EXPECT_TRUE(heap_.invariants_hold());
    for (void* p : blocks) {
        EXPECT_EQ(heap_.free(p), Status::ok);
    }
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);
    EXPECT_EQ(heap_.diagnostics().free_block_count, 1u);
}

// After `largest` succeeds, freeing it must restore the state the next check sees.
void expect_largest_free_block_is_exact(Heap& heap) {
    const size_t largest = heap.largest_free_block();
    const uint32_t oom = heap.diagnostics().oom_count;
    if (largest > 0) {
        void* p = heap.allocate(largest);
        ASSERT_NE(p, nullptr) << "largest_free_block() " << largest << " did not succeed";
        ASSERT_EQ(heap.free(p), Status::ok);
        ASSERT_EQ(heap.largest_free_block(), largest);
    }
    EXPECT_EQ(heap.allocate(largest + 1), nullptr)
        << "largest_free_block() " << largest << " but one more byte succeeded";
    EXPECT_EQ(heap.diagnostics().oom_count, oom + 1);
}

TEST_P(HeapAllocate, LargestFreeBlockIsExactlyWhatSucceedsInEveryState) {
    expect_largest_free_block_is_exact(heap_);
    // A deterministic walk through many shapes: growing, fragmenting, draining.
    std::vector<void*> live;
    uint64_t state = 0x9E3779B97F4A7C15u;
    for (int step = 0; step < 3000; ++step) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        const bool grow = step < 2000 ? state % 3 != 0 : state % 3 == 0;
        if (grow || live.empty()) {
            const size_t n = 1 + (state >> 20) % (step % 97 == 0 ? 60000 : 900);
            if (void* p = heap_.allocate(n)) {
                live.push_back(p);
            }
        } else {
            const size_t victim = (state >> 11) % live.size();
            ASSERT_EQ(heap_.free(live[victim]), Status::ok);
            live[victim] = live.back();
            live.pop_back();
        }
        expect_largest_free_block_is_exact(heap_);
        if (HasFatalFailure()) {
            FAIL() << "at step " << step;
        }
    }
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapAllocate, LargestFreeBlockIsZeroWhenTheHeapIsFull) {
    std::vector<void*> live;
    for (size_t largest = heap_.largest_free_block(); largest > 0;
         largest = heap_.largest_free_block()) {
        void* p = heap_.allocate(largest);
        ASSERT_NE(p, nullptr);
        live.push_back(p);
    }
    EXPECT_EQ(heap_.allocate(1), nullptr);
    // Every free block is at least a minimum block, which serves a one-granule request.
    EXPECT_EQ(heap_.diagnostics().free_block_count, 0u);
    EXPECT_EQ(heap_.diagnostics().allocated, heap_.diagnostics().capacity);
    for (void* p : live) {
        EXPECT_EQ(heap_.free(p), Status::ok);
    }
    EXPECT_EQ(heap_.largest_free_block(), heap_.max_allocation_size());
}

// cw_alloc.h: "the waste is at most (n + header) / 2^CW_HEAP_SPACING_LOG2 + CW_HEAP_ALIGNMENT - 1
// bytes, plus less than one minimum block (2 * CW_HEAP_ALIGNMENT) when the remainder is too
// small to split". Compared multiplied by 2^spacing, so that no division rounds.
bool within_waste_bound(size_t n, size_t block, size_t extra) {
    const size_t waste = block - n - kHeader;
    return waste * kClassesPerOctave <= n + kHeader + (kGranule - 1 + extra) * kClassesPerOctave;
}

TEST(HeapWaste, SplitBlockIsTheClassBoundAndWithinTheStatedWaste) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(false)), Status::ok);
    for (size_t n = 1; n <= 8192; ++n) {
        void* p = heap.allocate(n);
        ASSERT_NE(p, nullptr) << n;
        const size_t block = heap.diagnostics().allocated;
        EXPECT_EQ(block, block_size(n)) << n;
        EXPECT_GE(block, n + kHeader) << n;
        EXPECT_TRUE(within_waste_bound(n, block, 0))
            << "n " << n << " block " << block << " spacing " << CW_HEAP_SPACING_LOG2;
        ASSERT_EQ(heap.free(p), Status::ok);
    }
}

// Builds [free block of block_size(n) + granule][used filler][used guard][free tail] at the
// start of a fresh heap: the free block is one granule too large to leave a remainder, so
// allocate(n) must hand it out whole.
void* make_unsplittable_block_for(Heap& heap, size_t n) {
    void* a = heap.allocate(n);
    void* q1 = heap.allocate(1);
    void* q2 = heap.allocate(1);
    void* guard = heap.allocate(1);
    if (a == nullptr || q1 == nullptr || q2 == nullptr || guard == nullptr) {
        return nullptr;
    }
    (void)heap.free(q1);
    (void)heap.free(q2);
    // Grows into the two minimum blocks and leaves 3 granules free: enough to split off.
    if (heap.reallocate(a, block_size(n) + kGranule - kHeader) != a) {
        return nullptr;
    }
    if (heap.allocate(1) == nullptr) { // fills the 3 granules (whole: 1 granule is no block)
        return nullptr;
    }
    (void)heap.free(a);
    return a;
}

TEST(HeapWaste, UnsplitRemainderAddsLessThanOneMinimumBlock) {
    Arena arena(1 << 16);
    Heap heap;
    for (size_t n = 1; n <= 8192; ++n) {
        ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(true)), Status::ok);
        void* expected = make_unsplittable_block_for(heap, n);
        ASSERT_NE(expected, nullptr) << n;
        const size_t before = heap.diagnostics().allocated;
        const size_t free_blocks = heap.diagnostics().free_block_count;
        void* p = heap.allocate(n);
        ASSERT_EQ(p, expected) << n;
        const size_t block = heap.diagnostics().allocated - before;
        EXPECT_EQ(block, block_size(n) + kGranule) << n;
        EXPECT_EQ(heap.diagnostics().free_block_count, free_blocks - 1) << n;
        EXPECT_TRUE(within_waste_bound(n, block, kMinBlock - 1))
            << "n " << n << " block " << block << " spacing " << CW_HEAP_SPACING_LOG2;
        ASSERT_TRUE(heap.invariants_hold()) << n;
    }
}

std::vector<size_t> powers_of_two_up_to(size_t limit) {
    std::vector<size_t> powers;
    for (size_t a = 1; a <= limit; a *= 2) {
        powers.push_back(a);
    }
    return powers;
}

TEST_P(HeapAllocate, AlignedHonoursEveryPowerOfTwoAndGivesHeadAndTailBack) {
    for (const size_t alignment : powers_of_two_up_to(size_t{1} << 16)) {
        for (const size_t n : {size_t{1}, size_t{24}, size_t{100}, size_t{1000}, size_t{5000}}) {
            auto* p = static_cast<unsigned char*>(heap_.allocate_aligned(n, alignment));
            ASSERT_NE(p, nullptr) << "n " << n << " alignment " << alignment;
            EXPECT_TRUE(aligned_to(p, alignment)) << p << " alignment " << alignment;
            EXPECT_TRUE(aligned_to(p, CW_HEAP_ALIGNMENT));
            EXPECT_GE(p, arena_.data());
            EXPECT_LE(p + n, arena_.end());
            std::memset(p, 0x5A, n);
            // From a fresh heap the tail always merges into the remainder: the block is exact.
            const size_t expected =
                alignment <= kGranule ? block_size(n) : round_up_to_granule(n + kHeader);
            EXPECT_EQ(heap_.diagnostics().allocated, expected)
                << "n " << n << " alignment " << alignment;
            EXPECT_TRUE(heap_.invariants_hold());
            ASSERT_EQ(heap_.free(p), Status::ok);
            EXPECT_EQ(heap_.diagnostics().allocated, 0u);
            EXPECT_EQ(heap_.diagnostics().free_block_count, 1u)
                << "head or tail not merged back: n " << n << " alignment " << alignment;
            EXPECT_EQ(heap_.largest_free_block(), heap_.max_allocation_size());
        }
    }
    EXPECT_EQ(heap_.diagnostics().oom_count, 0u);
}

TEST_P(HeapAllocate, AlignedAtOrBelowTheHeapAlignmentCostsNothingExtra) {
    for (size_t alignment = 1; alignment <= kGranule; alignment *= 2) {
        void* p = heap_.allocate_aligned(100, alignment);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(heap_.diagnostics().allocated, block_size(100));
        EXPECT_EQ(heap_.diagnostics().free_block_count, 1u);
        ASSERT_EQ(heap_.free(p), Status::ok);
    }
}

// Pinned: a malformed alignment is a usage error, not exhaustion, so it is not counted in
// oom_count and does not reach peak_request.
TEST_P(HeapAllocate, AlignedRejectsEveryNonPowerOfTwoAndLeavesTheHeapAlone) {
    const HeapDiagnostics before = heap_.diagnostics();
    const size_t bad[] = {0,   3,    5,    6,     7,     12,           24,           48,      96,
                          100, 1000, 3072, 65535, 65537, SIZE_MAX / 2, SIZE_MAX - 1, SIZE_MAX};
    for (const size_t alignment : bad) {
        EXPECT_EQ(heap_.allocate_aligned(64, alignment), nullptr) << alignment;
    }
    EXPECT_EQ(heap_.diagnostics(), before);
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapAllocate, AlignedZeroBytesReturnsNullWithoutCountingOom) {
    for (const size_t alignment : {size_t{1}, kGranule, size_t{64}, size_t{4096}}) {
        EXPECT_EQ(heap_.allocate_aligned(0, alignment), nullptr) << alignment;
    }
    EXPECT_EQ(heap_.diagnostics().oom_count, 0u);
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);
}

// cw_alloc.h: larger alignments "take n + alignment + CW_HEAP_ALIGNMENT bytes from a free block".
TEST_P(HeapAllocate, AlignedFitsExactlyWhenSizePlusAlignmentPlusGranuleFits) {
    const size_t largest = heap_.max_allocation_size();
    uint32_t failures = 0;
    for (const size_t alignment : powers_of_two_up_to(size_t{1} << 16)) {
        if (alignment <= kGranule) {
            continue;
        }
        const size_t n = largest - alignment - kGranule;
        EXPECT_EQ(heap_.allocate_aligned(n + 1, alignment), nullptr) << alignment;
        EXPECT_EQ(heap_.diagnostics().oom_count, ++failures);
        void* p = heap_.allocate_aligned(n, alignment);
        ASSERT_NE(p, nullptr) << alignment;
        EXPECT_TRUE(aligned_to(p, alignment));
        ASSERT_EQ(heap_.free(p), Status::ok);
        EXPECT_EQ(heap_.diagnostics().free_block_count, 1u);
    }
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapAllocate, AlignedRequestsThatWouldOverflowFailAndCountOom) {
    const size_t top_alignment = (SIZE_MAX >> 1) + 1;
    const HeapDiagnostics before = heap_.diagnostics();
    EXPECT_EQ(heap_.allocate_aligned(SIZE_MAX, 64), nullptr);
    EXPECT_EQ(heap_.allocate_aligned(SIZE_MAX - 64, 64), nullptr);
    EXPECT_EQ(heap_.allocate_aligned(1, top_alignment), nullptr);
    EXPECT_EQ(heap_.allocate_aligned(heap_.max_allocation_size(), 64), nullptr);
    EXPECT_EQ(heap_.allocate_aligned(64, size_t{1} << 30), nullptr);
    HeapDiagnostics expected = before;
    expected.oom_count = 5;
    expected.peak_request = SIZE_MAX;
    EXPECT_EQ(heap_.diagnostics(), expected);
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapAllocate, AlignedFailsWhenOnlySmallerBlocksAreFree) {
    // Fill the heap with 256-byte requests, then free every other one: every free block is
    // too small for 256 bytes at 4096 alignment.
    std::vector<void*> live;
    while (void* p = heap_.allocate(256)) {
        live.push_back(p);
    }
    for (size_t i = 0; i < live.size(); i += 2) {
        ASSERT_EQ(heap_.free(live[i]), Status::ok);
    }
    const uint32_t oom = heap_.diagnostics().oom_count;
    EXPECT_LT(heap_.largest_free_block(), 256 + 4096 + kGranule);
    EXPECT_EQ(heap_.allocate_aligned(256, 4096), nullptr);
    EXPECT_EQ(heap_.diagnostics().oom_count, oom + 1);
    void* small = heap_.allocate_aligned(200, 32);
    EXPECT_NE(small, nullptr) << "a free 256-byte gap holds 200 bytes at 32 alignment";
    EXPECT_TRUE(aligned_to(small, 32));
    EXPECT_TRUE(heap_.invariants_hold());
}

} // namespace
} // namespace clockwork::test
