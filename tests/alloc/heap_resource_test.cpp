// clockwork::pmr::HeapResource: standard containers and resources allocate through it, alignment
// is honoured, exhaustion throws std::bad_alloc, and equality is identity.
#include "heap_test_support.hpp"

#include <clockwork/heap_resource.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <memory_resource>
#include <new>
#include <string>
#include <vector>

namespace clockwork::test {
namespace {

class HeapResourceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(heap_.init(arena_.data(), arena_.size(), with_validation(true)), Status::ok);
    }

    bool in_arena(const void* p) const {
        const auto* bytes = static_cast<const unsigned char*>(p);
        return bytes >= arena_.data() && bytes < arena_.end();
    }

    Arena arena_{1 << 20};
    Heap heap_;
    clockwork::pmr::HeapResource resource_{heap_};
};

TEST_F(HeapResourceTest, ExposesItsHeap) {
    EXPECT_EQ(&resource_.heap(), &heap_);
}

TEST_F(HeapResourceTest, VectorLivesInTheHeapAndGivesEverythingBack) {
    {
        std::pmr::vector<int> numbers(&resource_);
        for (int i = 0; i < 10000; ++i) {
            numbers.push_back(i);
        }
        EXPECT_TRUE(in_arena(numbers.data()));
        EXPECT_GE(heap_.diagnostics().allocated, 10000 * sizeof(int));
        EXPECT_EQ(numbers[9999], 9999);
    }
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);
    EXPECT_EQ(heap_.diagnostics().invalid_free_count, 0u);
    EXPECT_TRUE(heap_.invariants_hold());
}

TEST_F(HeapResourceTest, StringLivesInTheHeap) {
    {
        std::pmr::string text("a string well beyond the small-string buffer of any library",
                              &resource_);
        text += text;
        EXPECT_TRUE(in_arena(text.data()));
        EXPECT_GT(heap_.diagnostics().allocated, 0u);
    }
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);
}

TEST_F(HeapResourceTest, MonotonicBufferChainsItsBuffersFromTheHeap) {
    {
        std::pmr::monotonic_buffer_resource monotonic(&resource_);
        std::pmr::vector<std::pmr::string> words(&monotonic);
        for (int i = 0; i < 1000; ++i) {
            words.emplace_back("word number " + std::to_string(i) + " with some padding text");
        }
        EXPECT_TRUE(in_arena(words.data()));
        EXPECT_TRUE(in_arena(words.back().data()));
        EXPECT_GT(heap_.diagnostics().allocated, 1000u * 30);
    }
    EXPECT_EQ(heap_.diagnostics().allocated, 0u) << "release() gave every buffer back";
    EXPECT_EQ(heap_.diagnostics().invalid_free_count, 0u);
}

TEST_F(HeapResourceTest, PoolResourceChainsItsChunksFromTheHeap) {
    {
        std::pmr::unsynchronized_pool_resource pool(&resource_);
        std::pmr::vector<std::pmr::vector<int>> rows(&pool);
        for (int i = 0; i < 200; ++i) {
            rows.emplace_back(static_cast<size_t>(i + 1), i);
        }
        EXPECT_TRUE(in_arena(rows[150].data()));
        EXPECT_GT(heap_.diagnostics().allocated, 0u);
    }
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);
}

TEST_F(HeapResourceTest, HonoursEveryRequestedAlignment) {
    for (size_t alignment = 1; alignment <= 8192; alignment *= 2) {
        void* p = resource_.allocate(100, alignment);
        EXPECT_TRUE(aligned_to(p, alignment)) << alignment;
        EXPECT_TRUE(in_arena(p));
        resource_.deallocate(p, 100, alignment);
    }
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);
    EXPECT_EQ(heap_.diagnostics().free_block_count, 1u);
}

struct alignas(64) CacheLine {
    unsigned char bytes[64];
};

TEST_F(HeapResourceTest, VectorOfOverAlignedElementsIsAligned) {
    std::pmr::vector<CacheLine> lines(&resource_);
    for (int i = 0; i < 100; ++i) {
        lines.emplace_back();
        ASSERT_TRUE(aligned_to(lines.data(), alignof(CacheLine))) << "after " << i;
    }
    std::pmr::polymorphic_allocator<CacheLine> allocator(&resource_);
    CacheLine* one = allocator.allocate(3);
    EXPECT_TRUE(aligned_to(one, 64));
    allocator.deallocate(one, 3);
}

TEST_F(HeapResourceTest, ZeroBytesStillGivesDistinctPointers) {
    void* a = resource_.allocate(0, 8);
    void* b = resource_.allocate(0, 8);
    EXPECT_NE(a, nullptr);
    EXPECT_NE(a, b);
    resource_.deallocate(a, 0, 8);
    resource_.deallocate(b, 0, 8);
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);
}

TEST_F(HeapResourceTest, EqualOnlyToItself) {
    clockwork::pmr::HeapResource same_heap(heap_);
    EXPECT_TRUE(resource_.is_equal(resource_));
    EXPECT_TRUE(resource_ == resource_);
    EXPECT_FALSE(resource_.is_equal(same_heap)) << "a second resource over the same heap";
    EXPECT_FALSE(resource_ == same_heap);
    EXPECT_FALSE(resource_.is_equal(*std::pmr::new_delete_resource()));
    EXPECT_FALSE(std::pmr::new_delete_resource()->is_equal(resource_));
}

TEST_F(HeapResourceTest, ExhaustionThrowsBadAllocAndLeavesTheHeapUsable) {
    const HeapDiagnostics before = heap_.diagnostics();
    EXPECT_THROW((void)resource_.allocate(heap_.max_allocation_size() + 1), std::bad_alloc);
    EXPECT_THROW((void)resource_.allocate(arena_.size() * 2, 64), std::bad_alloc);
    EXPECT_EQ(heap_.diagnostics().oom_count, before.oom_count + 2);
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);

    std::pmr::vector<unsigned char> bytes(&resource_);
    EXPECT_THROW(
        {
            for (;;) {
                bytes.push_back(1);
            }
        },
        std::bad_alloc);
    EXPECT_GE(bytes.size(), arena_.size() / 4) << "the vector kept what it had";
    EXPECT_TRUE(heap_.invariants_hold());
    bytes.clear();
    bytes.shrink_to_fit();
    EXPECT_EQ(heap_.diagnostics().allocated, 0u);
    void* p = resource_.allocate(1000);
    resource_.deallocate(p, 1000);
}

// The header: deallocating a foreign pointer with validation leaves the heap unchanged, counts
// it, and throws nothing (containers deallocate from destructors).
TEST_F(HeapResourceTest, ForeignDeallocationIsCountedNotThrown) {
    Arena elsewhere(64);
    void* p = resource_.allocate(64);
    const HeapDiagnostics before = heap_.diagnostics();
    EXPECT_NO_THROW(resource_.deallocate(elsewhere.data(), 64));
    EXPECT_NO_THROW(resource_.deallocate(static_cast<unsigned char*>(p) + 16, 48));
    HeapDiagnostics expected = before;
    expected.invalid_free_count += 2;
    EXPECT_EQ(heap_.diagnostics(), expected);
    resource_.deallocate(p, 64);
    EXPECT_NO_THROW(resource_.deallocate(p, 64));
    EXPECT_EQ(heap_.diagnostics().invalid_free_count, 3u);
    EXPECT_TRUE(heap_.invariants_hold());
}

} // namespace
} // namespace clockwork::test
