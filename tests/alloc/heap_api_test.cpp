// The heap's API contract, status by status.
#include <clockwork/heap.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

using clockwork::Heap;
using clockwork::HeapOptions;
using clockwork::Status;

// Storage aligned for the heap, with the requested size in bytes.
class Arena {
  public:
    explicit Arena(size_t bytes) : words_(bytes / sizeof(std::max_align_t) + 1), size_(bytes) {}
    void* data() { return words_.data(); }
    size_t size() const { return size_; }

  private:
    std::vector<std::max_align_t> words_;
    size_t size_;
};

HeapOptions with_validation(bool on) {
    HeapOptions options = Heap::default_options();
    options.validate = on ? 1 : 0;
    return options;
}

TEST(HeapInit, RefusesArenaSmallerThanMinimum) {
    const size_t minimum = Heap::min_arena_size(true);
    Arena arena(minimum);
    Heap heap;
    EXPECT_EQ(heap.init(arena.data(), minimum - 1, with_validation(true)), Status::arena_too_small);
    EXPECT_FALSE(heap.initialized());
    EXPECT_EQ(heap.init(arena.data(), minimum, with_validation(true)), Status::ok);
    EXPECT_NE(heap.allocate(1), nullptr);
}

TEST(HeapInit, RefusesMisalignedArena) {
    Arena arena(Heap::min_arena_size() + 64);
    Heap heap;
    void* shifted = static_cast<char*>(arena.data()) + 4;
    EXPECT_EQ(heap.init(shifted, Heap::min_arena_size() + 32), Status::arena_misaligned);
}

TEST(HeapInit, RefusesNullArena) {
    Heap heap;
    EXPECT_EQ(heap.init(nullptr, 4096), Status::null_argument);
}

TEST(HeapAllocate, ZeroAndHugeRequestsReturnNull) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size()), Status::ok);
    EXPECT_EQ(heap.allocate(0), nullptr);
    EXPECT_EQ(heap.allocate(SIZE_MAX), nullptr);
    EXPECT_EQ(heap.allocate(SIZE_MAX - CW_HEAP_ALIGNMENT), nullptr);
    EXPECT_EQ(heap.allocate(heap.max_allocation_size() + 1), nullptr);
    EXPECT_EQ(heap.diagnostics().oom_count, 3u);
    EXPECT_TRUE(heap.invariants_hold());
}

TEST(HeapAllocate, ReturnsAlignedBlocksInsideTheArena) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size()), Status::ok);
    auto* begin = static_cast<char*>(arena.data());
    for (size_t n = 1; n < 300; n += 7) {
        auto* p = static_cast<char*>(heap.allocate(n));
        ASSERT_NE(p, nullptr) << n;
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % CW_HEAP_ALIGNMENT, 0u);
        EXPECT_GE(p, begin);
        EXPECT_LE(p + n, begin + arena.size());
    }
    EXPECT_TRUE(heap.invariants_hold());
}

TEST(HeapFree, NullIsANoOp) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size()), Status::ok);
    const auto before = heap.diagnostics();
    EXPECT_EQ(heap.free(nullptr), Status::ok);
    EXPECT_EQ(heap.diagnostics().allocated, before.allocated);
}

TEST(HeapFree, ValidationReportsEachBadPointerAndLeavesTheHeapAlone) {
    Arena arena(1 << 16);
    Arena elsewhere(64);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(true)), Status::ok);
    auto* a = static_cast<char*>(heap.allocate(64));
    auto* b = static_cast<char*>(heap.allocate(64));
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    ASSERT_EQ(heap.free(a), Status::ok);
    const auto before = heap.diagnostics();

    EXPECT_EQ(heap.free(a), Status::double_free);
    EXPECT_EQ(heap.free(elsewhere.data()), Status::foreign_pointer);
    EXPECT_EQ(heap.free(b + 1), Status::misaligned_pointer);
    EXPECT_EQ(heap.free(b + CW_HEAP_ALIGNMENT), Status::interior_pointer);

    const auto after = heap.diagnostics();
    EXPECT_EQ(after.invalid_free_count, before.invalid_free_count + 4);
    EXPECT_EQ(after.allocated, before.allocated);
    EXPECT_EQ(after.free_block_count, before.free_block_count);
    EXPECT_TRUE(heap.invariants_hold());
    EXPECT_EQ(heap.free(b), Status::ok);
}

TEST(HeapDiagnostics, TrackPeakAndReturnToEmpty) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size()), Status::ok);
    const auto empty = heap.diagnostics();
    const size_t largest_when_empty = heap.largest_free_block();
    EXPECT_GT(largest_when_empty, 1000u);
    void* p = heap.allocate(1000);
    void* q = heap.allocate(10);
    ASSERT_NE(p, nullptr);
    ASSERT_NE(q, nullptr);
    const auto busy = heap.diagnostics();
    EXPECT_GT(busy.allocated, 1010u);
    EXPECT_EQ(busy.peak_request, 1000u);
    EXPECT_EQ(heap.free(p), Status::ok);
    EXPECT_EQ(heap.free(q), Status::ok);
    const auto done = heap.diagnostics();
    EXPECT_EQ(done.allocated, empty.allocated);
    EXPECT_EQ(done.peak_allocated, busy.allocated);
    EXPECT_EQ(done.free_block_count, 1u);
    EXPECT_EQ(heap.largest_free_block(), largest_when_empty);
    EXPECT_TRUE(heap.invariants_hold());
}

}  // namespace
