// clockwork::global_new with an arena the program supplies through cw_global_heap_arena(): the
// heap is built once, in that arena, and filling it makes nothrow new return null and new throw.
#include "heap_test_support.hpp"

#include <clockwork/global_heap.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <new>

namespace {

constexpr std::size_t kArenaBytes = std::size_t{8} << 20;
alignas(CW_HEAP_ALIGNMENT) unsigned char program_arena[kArenaBytes];
int arena_requests = 0;

} // namespace

// Replaces the library's weak default.
extern "C" void* cw_global_heap_arena(std::size_t* size) {
    ++arena_requests;
    *size = kArenaBytes;
    return program_arena;
}

namespace clockwork::test {
namespace {

bool in_program_arena(const void* p) {
    const auto* bytes = static_cast<const unsigned char*>(p);
    return bytes >= program_arena && bytes < program_arena + kArenaBytes;
}

TEST(GlobalNewArena, IsRequestedOnceAndHoldsTheHeap) {
    void* p = ::operator new(64);
    EXPECT_EQ(arena_requests, 1);
    EXPECT_TRUE(in_program_arena(p));
    EXPECT_EQ(reinterpret_cast<uintptr_t>(global_heap().c_handle()),
              reinterpret_cast<uintptr_t>(program_arena));
    EXPECT_LT(global_heap().diagnostics().capacity, kArenaBytes);
    ::operator delete(p);
}

// Fills the heap with nothing but this test's blocks (kept in a static array, since every
// container would allocate from the heap being exhausted), checks both failure modes, then
// gives everything back before the test framework needs memory again.
TEST(GlobalNewArena, FullHeapMakesNothrowReturnNullAndNewThrow) {
    static void* blocks[4096];
    size_t count = 0;
    Heap& heap = global_heap();
    for (size_t largest = heap.largest_free_block(); largest > 0 && count < std::size(blocks);
         largest = heap.largest_free_block()) {
        blocks[count++] = ::operator new(largest, std::nothrow);
    }
    const size_t left = heap.largest_free_block();
    void* nothrow_plain = ::operator new(1, std::nothrow);
    void* nothrow_array = ::operator new[](1, std::nothrow);
    void* nothrow_aligned = ::operator new (1, std::align_val_t{64}, std::nothrow);
    bool threw_plain = false;
    bool threw_aligned = false;
    try {
        (void)::operator new(1);
    } catch (const std::bad_alloc&) {
        threw_plain = true;
    }
    try {
        (void)::operator new[](1, std::align_val_t{64});
    } catch (const std::bad_alloc&) {
        threw_aligned = true;
    }
    bool all_inside = true;
    for (size_t i = 0; i < count; ++i) {
        all_inside = all_inside && blocks[i] != nullptr && in_program_arena(blocks[i]);
        ::operator delete(blocks[i]);
    }

    EXPECT_EQ(left, 0u);
    EXPECT_LT(count, std::size(blocks));
    EXPECT_TRUE(all_inside);
    EXPECT_EQ(nothrow_plain, nullptr);
    EXPECT_EQ(nothrow_array, nullptr);
    EXPECT_EQ(nothrow_aligned, nullptr);
    EXPECT_TRUE(threw_plain);
    EXPECT_TRUE(threw_aligned);
    void* again = ::operator new(1000);
    EXPECT_TRUE(in_program_arena(again)) << "the heap serves again once blocks are back";
    ::operator delete(again);
}

} // namespace
} // namespace clockwork::test
