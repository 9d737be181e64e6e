// cw_heap_reallocate: every path (null, zero, shrink, grow in place, move, failure) and the
// status it reports for pointers validation refuses.
#include "heap_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace clockwork::test {
namespace {

void fill(void* p, size_t n, unsigned char seed) {
    auto* bytes = static_cast<unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) {
        bytes[i] = static_cast<unsigned char>(seed + i * 31);
    }
}

bool holds(const void* p, size_t n, unsigned char seed) {
    const auto* bytes = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) {
        if (bytes[i] != static_cast<unsigned char>(seed + i * 31)) {
            return false;
        }
    }
    return true;
}

class HeapReallocate : public ::testing::TestWithParam<bool> {
  protected:
    void SetUp() override {
        ASSERT_EQ(heap_.init(arena_.data(), arena_.size(), with_validation(GetParam())),
                  Status::ok);
    }

    Arena arena_{1 << 16};
    Heap heap_;
};

INSTANTIATE_TEST_SUITE_P(Validation, HeapReallocate, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                             return info.param ? std::string("On") : std::string("Off");
                         });

TEST_P(HeapReallocate, NullPointerAllocates) {
    Status status = Status::double_free;
    void* p = heap_.reallocate(nullptr, 100, &status);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(status, Status::ok);
    EXPECT_EQ(heap_.diagnostics().allocated, block_size(100));
    EXPECT_EQ(heap_.diagnostics().peak_request, 100u);
    EXPECT_EQ(heap_.free(p), Status::ok);
}

TEST_P(HeapReallocate, NullPointerAndZeroBytesDoNothing) {
    const HeapDiagnostics before = heap_.diagnostics();
    Status status = Status::double_free;
    EXPECT_EQ(heap_.reallocate(nullptr, 0, &status), nullptr);
    EXPECT_EQ(status, Status::ok);
    EXPECT_EQ(heap_.diagnostics(), before);
}

TEST_P(HeapReallocate, ZeroBytesFreesTheBlock) {
    void* p = heap_.allocate(100);
    ASSERT_NE(p, nullptr);
    Status status = Status::double_free;
    EXPECT_EQ(heap_.reallocate(p, 0, &status), nullptr);
    EXPECT_EQ(status, Status::ok);
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);
    EXPECT_EQ(heap_.diagnostics().free_block_count, 1u);
    EXPECT_EQ(heap_.diagnostics().oom_count, 0u);
    EXPECT_TRUE(heap_.invariants_hold());
    if (GetParam()) {
        EXPECT_EQ(heap_.free(p), Status::double_free);
    }
}

TEST_P(HeapReallocate, ShrinkKeepsTheAddressAndGivesTheTailBack) {
    void* p = heap_.allocate(1000);
    void* guard = heap_.allocate(1);
    ASSERT_NE(p, nullptr);
    ASSERT_NE(guard, nullptr);
    fill(p, 1000, 7);
    const size_t free_blocks = heap_.diagnostics().free_block_count;
    Status status = Status::double_free;
    EXPECT_EQ(heap_.reallocate(p, 100, &status), p);
    EXPECT_EQ(status, Status::ok);
    EXPECT_TRUE(holds(p, 100, 7));
    EXPECT_EQ(heap_.diagnostics().allocated, round_up_to_granule(100 + kHeader) + kMinBlock);
    EXPECT_EQ(heap_.diagnostics().free_block_count, free_blocks + 1) << "the tail is a new block";
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapReallocate, ShrinkByLessThanAMinimumBlockKeepsTheBlock) {
    void* p = heap_.allocate(1000);
    void* guard = heap_.allocate(1);
    ASSERT_NE(guard, nullptr);
    const HeapDiagnostics before = heap_.diagnostics();
    const size_t shrunk = block_size(1000) - kHeader - kMinBlock + 1;
    EXPECT_EQ(heap_.reallocate(p, shrunk), p);
    HeapDiagnostics expected = before;
    expected.peak_request = 1000;
    EXPECT_EQ(heap_.diagnostics(), expected);
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapReallocate, ShrinkMergesTheTailIntoAFreeSuccessor) {
    void* p = heap_.allocate(1000);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(heap_.reallocate(p, 1000 - kGranule), p);
    EXPECT_EQ(heap_.diagnostics().allocated, round_up_to_granule(1000 - kGranule + kHeader));
    EXPECT_EQ(heap_.diagnostics().free_block_count, 1u);
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapReallocate, GrowsIntoAFreeNextBlockInPlace) {
    void* p = heap_.allocate(100);
    void* next = heap_.allocate(200);
    void* guard = heap_.allocate(1);
    ASSERT_NE(guard, nullptr);
    fill(p, 100, 3);
    ASSERT_EQ(heap_.free(next), Status::ok);
    ASSERT_EQ(heap_.diagnostics().free_block_count, 2u);
    EXPECT_EQ(heap_.reallocate(p, 250), p);
    EXPECT_TRUE(holds(p, 100, 3));
    // 100 + 200 bytes of blocks hold 250 bytes and a header, with more than a block to spare.
    EXPECT_EQ(heap_.diagnostics().allocated, round_up_to_granule(250 + kHeader) + kMinBlock);
    EXPECT_EQ(heap_.diagnostics().free_block_count, 2u);
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapReallocate, GrowsIntoTheWholeFreeNextBlockWhenNoBlockIsLeftOver) {
    void* p = heap_.allocate(100);
    void* next = heap_.allocate(200);
    void* guard = heap_.allocate(1);
    ASSERT_NE(guard, nullptr);
    ASSERT_EQ(heap_.free(next), Status::ok);
    const size_t both = block_size(100) + block_size(200);
    EXPECT_EQ(heap_.reallocate(p, both - kHeader - kGranule), p);
    EXPECT_EQ(heap_.diagnostics().allocated, both + kMinBlock);
    EXPECT_EQ(heap_.diagnostics().free_block_count, 1u);
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_P(HeapReallocate, GrowsByMovingAndKeepsTheContents) {
    void* p = heap_.allocate(100);
    void* guard = heap_.allocate(1);
    ASSERT_NE(guard, nullptr);
    fill(p, 100, 11);
    void* q = heap_.reallocate(p, 5000);
    ASSERT_NE(q, nullptr);
    EXPECT_NE(q, p);
    EXPECT_TRUE(holds(q, 100, 11));
    EXPECT_EQ(heap_.diagnostics().allocated, block_size(5000) + kMinBlock);
    EXPECT_EQ(heap_.diagnostics().peak_request, 5000u);
    EXPECT_TRUE(heap_.invariants_hold());
    if (GetParam()) {
        // The old block sits between the start sentinel and the guard: it stays a block start.
        EXPECT_EQ(heap_.free(p), Status::double_free);
    }
    EXPECT_EQ(heap_.free(q), Status::ok);
}

TEST_P(HeapReallocate, MovedBlockKeepsEveryWordOfALargeBlock) {
    const size_t n = 10000;
    void* p = heap_.allocate(n);
    void* guard = heap_.allocate(1);
    ASSERT_NE(guard, nullptr);
    fill(p, n, 29);
    void* q = heap_.reallocate(p, n + 10000);
    ASSERT_NE(q, nullptr);
    EXPECT_NE(q, p);
    EXPECT_TRUE(holds(q, n, 29));
}

TEST_P(HeapReallocate, FailureKeepsTheBlockValidAndUnchanged) {
    void* p = heap_.allocate(100);
    ASSERT_NE(p, nullptr);
    fill(p, 100, 5);
    std::vector<void*> rest;
    for (size_t largest = heap_.largest_free_block(); largest > 0;
         largest = heap_.largest_free_block()) {
        rest.push_back(heap_.allocate(largest));
    }
    const HeapDiagnostics before = heap_.diagnostics();
    for (const size_t n :
         {size_t{1000}, heap_.max_allocation_size(), heap_.max_allocation_size() + 1, SIZE_MAX}) {
        Status status = Status::double_free;
        EXPECT_EQ(heap_.reallocate(p, n, &status), nullptr) << n;
        EXPECT_EQ(status, Status::ok) << "p itself is valid";
    }
    HeapDiagnostics expected = before;
    expected.oom_count += 4;
    expected.peak_request = SIZE_MAX;
    EXPECT_EQ(heap_.diagnostics(), expected);
    EXPECT_TRUE(holds(p, 100, 5));
    EXPECT_TRUE(heap_.invariants_hold());
    EXPECT_EQ(heap_.free(p), Status::ok);
    for (void* q : rest) {
        EXPECT_EQ(heap_.free(q), Status::ok);
    }
    EXPECT_EQ(heap_.diagnostics().free_block_count, 1u);
}

TEST_P(HeapReallocate, StatusMayBeNull) {
    void* p = cw_heap_reallocate(heap_.c_handle(), nullptr, 64, nullptr);
    ASSERT_NE(p, nullptr);
    p = cw_heap_reallocate(heap_.c_handle(), p, 640, nullptr);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(cw_heap_reallocate(heap_.c_handle(), p, 0, nullptr), nullptr);
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);
}

class HeapReallocateValidated : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(heap_.init(arena_.data(), arena_.size(), with_validation(true)), Status::ok);
        live_ = static_cast<unsigned char*>(heap_.allocate(256));
        freed_ = static_cast<unsigned char*>(heap_.allocate(256));
        guard_ = heap_.allocate(1);
        ASSERT_NE(guard_, nullptr);
        ASSERT_EQ(heap_.free(freed_), Status::ok);
    }

    // The pointer is refused for every size, and nothing but invalid_free_count changes.
    void expect_refused(void* p, Status expected) {
        for (const size_t n : {size_t{0}, size_t{1}, size_t{300}, size_t{100000}}) {
            const HeapDiagnostics before = heap_.diagnostics();
            Status status = Status::ok;
            EXPECT_EQ(heap_.reallocate(p, n, &status), nullptr) << n;
            EXPECT_EQ(status, expected) << "n " << n;
            HeapDiagnostics after = before;
            ++after.invalid_free_count;
            EXPECT_EQ(heap_.diagnostics(), after) << "n " << n;
            EXPECT_TRUE(heap_.invariants_hold());
        }
    }

    Arena arena_{1 << 16};
    Arena elsewhere_{256};
    Heap heap_;
    unsigned char* live_ = nullptr;
    unsigned char* freed_ = nullptr;
    void* guard_ = nullptr;
};

TEST_F(HeapReallocateValidated, ForeignPointerIsReported) {
    expect_refused(elsewhere_.data(), Status::foreign_pointer);
    expect_refused(arena_.data(), Status::foreign_pointer);
}

TEST_F(HeapReallocateValidated, MisalignedPointerIsReported) {
    expect_refused(live_ + 1, Status::misaligned_pointer);
}

TEST_F(HeapReallocateValidated, InteriorPointerIsReported) {
    expect_refused(live_ + kGranule, Status::interior_pointer);
}

TEST_F(HeapReallocateValidated, FreedPointerIsReportedAsDoubleFree) {
    expect_refused(freed_, Status::double_free);
}

} // namespace
} // namespace clockwork::test
