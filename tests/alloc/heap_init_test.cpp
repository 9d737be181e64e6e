// cw_heap_init, cw_heap_default_options and cw_heap_min_arena_size: every refusal, and what an
// accepted arena turns into.
#include "heap_test_support.hpp"

#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cstdint>
#include <vector>

namespace clockwork::test {
namespace {

constexpr unsigned char kUntouched = 0xA5;

// A pointer value init must not overwrite when it refuses the arena.
cw_heap* sentinel_handle() {
    static unsigned char marker;
    return reinterpret_cast<cw_heap*>(&marker);
}

bool arena_untouched(const Arena& arena) {
    for (size_t i = 0; i < arena.size(); ++i) {
        if (arena.data()[i] != kUntouched) {
            return false;
        }
    }
    return true;
}

struct MarkedArena : Arena {
    explicit MarkedArena(size_t bytes) : Arena(bytes) { std::memset(data(), kUntouched, bytes); }
};

void ignore(void*) {}

TEST(HeapDefaultOptions, ValidateFollowsTheBuildDefaultAndNoLock) {
    const cw_heap_options options = cw_heap_default_options();
    EXPECT_EQ(options.validate, CW_HEAP_VALIDATE_DEFAULT);
    EXPECT_EQ(options.lock.enter, nullptr);
    EXPECT_EQ(options.lock.exit, nullptr);
    EXPECT_EQ(options.lock.context, nullptr);
}

TEST(HeapMinArenaSize, MatchesTheGeometryAndGrowsWithValidation) {
    EXPECT_EQ(cw_heap_min_arena_size(0), kHeapGeometry.min_arena_size(false));
    EXPECT_EQ(cw_heap_min_arena_size(1), kHeapGeometry.min_arena_size(true));
    EXPECT_EQ(Heap::min_arena_size(false), cw_heap_min_arena_size(0));
    EXPECT_EQ(Heap::min_arena_size(true), cw_heap_min_arena_size(1));
    EXPECT_GT(cw_heap_min_arena_size(1), cw_heap_min_arena_size(0));
    // Any nonzero value means validation on.
    EXPECT_EQ(cw_heap_min_arena_size(7), cw_heap_min_arena_size(1));
}

TEST(HeapInit, RefusesNullArenaAndLeavesOutAlone) {
    cw_heap* out = sentinel_handle();
    EXPECT_EQ(cw_heap_init(nullptr, 1 << 16, nullptr, &out), CW_ERR_NULL_ARGUMENT);
    EXPECT_EQ(out, sentinel_handle());
}

TEST(HeapInit, RefusesNullOutAndLeavesArenaAlone) {
    MarkedArena arena(1 << 16);
    EXPECT_EQ(cw_heap_init(arena.data(), arena.size(), nullptr, nullptr), CW_ERR_NULL_ARGUMENT);
    EXPECT_TRUE(arena_untouched(arena));
}

TEST(HeapInit, RefusesLockWithEnterButNoExit) {
    MarkedArena arena(1 << 16);
    cw_heap_options options = cw_heap_default_options();
    options.lock.enter = &ignore;
    cw_heap* out = sentinel_handle();
    EXPECT_EQ(cw_heap_init(arena.data(), arena.size(), &options, &out), CW_ERR_NULL_ARGUMENT);
    EXPECT_EQ(out, sentinel_handle());
    EXPECT_TRUE(arena_untouched(arena));
}

TEST(HeapInit, RefusesLockWithExitButNoEnter) {
    MarkedArena arena(1 << 16);
    cw_heap_options options = cw_heap_default_options();
    options.lock.exit = &ignore;
    cw_heap* out = sentinel_handle();
    EXPECT_EQ(cw_heap_init(arena.data(), arena.size(), &options, &out), CW_ERR_NULL_ARGUMENT);
    EXPECT_EQ(out, sentinel_handle());
    EXPECT_TRUE(arena_untouched(arena));
}

TEST(HeapInit, RefusesEveryMisalignmentBelowCwHeapAlignment) {
    MarkedArena arena(1 << 16);
    for (size_t offset = 1; offset < kGranule; ++offset) {
        for (const int validate : {0, 1}) {
            const cw_heap_options options = with_validation(validate != 0);
            cw_heap* out = sentinel_handle();
            EXPECT_EQ(cw_heap_init(arena.data() + offset, arena.size() - offset, &options, &out),
                      CW_ERR_ARENA_MISALIGNED)
                << "offset " << offset << " validate " << validate;
            EXPECT_EQ(out, sentinel_handle());
        }
    }
    EXPECT_TRUE(arena_untouched(arena));
}

TEST(HeapInit, RefusesArenaOneByteBelowTheMinimum) {
    for (const bool validate : {false, true}) {
        const size_t minimum = cw_heap_min_arena_size(validate ? 1 : 0);
        MarkedArena arena(minimum);
        const cw_heap_options options = with_validation(validate);
        cw_heap* out = sentinel_handle();
        EXPECT_EQ(cw_heap_init(arena.data(), minimum - 1, &options, &out), CW_ERR_ARENA_TOO_SMALL)
            << "validate " << validate;
        EXPECT_EQ(cw_heap_init(arena.data(), 0, &options, &out), CW_ERR_ARENA_TOO_SMALL);
        EXPECT_EQ(out, sentinel_handle());
        EXPECT_TRUE(arena_untouched(arena));
    }
}

TEST(HeapInit, MinimumWithoutValidationIsTooSmallWithValidation) {
    const size_t minimum = cw_heap_min_arena_size(0);
    MarkedArena arena(minimum);
    const cw_heap_options options = with_validation(true);
    cw_heap* out = sentinel_handle();
    EXPECT_EQ(cw_heap_init(arena.data(), minimum, &options, &out), CW_ERR_ARENA_TOO_SMALL);
    EXPECT_TRUE(arena_untouched(arena));
}

// "One allocation of one byte then succeeds": the minimum arena holds exactly one minimum block.
TEST(HeapInit, ExactlyTheMinimumServesOneByteOnce) {
    for (const bool validate : {false, true}) {
        SCOPED_TRACE(validate ? "validate" : "no validation");
        const size_t minimum = cw_heap_min_arena_size(validate ? 1 : 0);
        Arena arena(minimum);
        Heap heap;
        ASSERT_EQ(heap.init(arena.data(), minimum, with_validation(validate)), Status::ok);
        const HeapDiagnostics empty = heap.diagnostics();
        EXPECT_EQ(empty.capacity, kMinBlock);
        EXPECT_EQ(empty.free_block_count, 1u);
        EXPECT_EQ(heap.max_allocation_size(), kMinBlock - kHeader);
        EXPECT_EQ(heap.largest_free_block(), kMinBlock - kHeader);

        void* p = heap.allocate(1);
        ASSERT_NE(p, nullptr);
        EXPECT_GE(reinterpret_cast<uintptr_t>(p), reinterpret_cast<uintptr_t>(arena.data()));
        EXPECT_LE(reinterpret_cast<uintptr_t>(p) + 1, reinterpret_cast<uintptr_t>(arena.end()));
        EXPECT_EQ(heap.largest_free_block(), 0u);
        EXPECT_EQ(heap.diagnostics().free_block_count, 0u);
        EXPECT_EQ(heap.diagnostics().allocated, kMinBlock);
        EXPECT_EQ(heap.allocate(1), nullptr);
        EXPECT_EQ(heap.diagnostics().oom_count, 1u);
        EXPECT_TRUE(heap.invariants_hold());
        EXPECT_EQ(heap.free(p), Status::ok);
        EXPECT_EQ(heap.largest_free_block(), kMinBlock - kHeader);
        EXPECT_TRUE(heap.invariants_hold());
    }
}

TEST(HeapInit, BytesBelowAGranuleAtTheEndAreNotUsed) {
    const size_t minimum = cw_heap_min_arena_size(0);
    Arena arena(minimum + kGranule - 1);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size(), with_validation(false)), Status::ok);
    EXPECT_EQ(heap.diagnostics().capacity, kMinBlock);
}

TEST(HeapInit, CapacityIsTheArenaLessControlStartMapAndSentinels) {
    for (const size_t size : {size_t{8192}, size_t{65536}, size_t{100000}, size_t{1} << 20}) {
        for (const bool validate : {false, true}) {
            Arena arena(size);
            Heap heap;
            ASSERT_EQ(heap.init(arena.data(), size, with_validation(validate)), Status::ok);
            const HeapDiagnostics d = heap.diagnostics();
            EXPECT_EQ(d.capacity, block_space(arena.data(), size, validate).capacity())
                << size << " validate " << validate;
            EXPECT_EQ(d.allocated, 0u);
            EXPECT_EQ(d.peak_allocated, 0u);
            EXPECT_EQ(d.peak_request, 0u);
            EXPECT_EQ(d.oom_count, 0u);
            EXPECT_EQ(d.invalid_free_count, 0u);
            EXPECT_EQ(d.free_block_count, 1u);
            EXPECT_EQ(heap.max_allocation_size(), largest_request_served_by(d.capacity));
            EXPECT_EQ(heap.largest_free_block(), heap.max_allocation_size());
            EXPECT_TRUE(heap.invariants_hold());
        }
    }
}

TEST(HeapInit, NullOptionsMeanTheDefaultOptions) {
    Arena a(1 << 16);
    Arena b(1 << 16);
    cw_heap* with_null = nullptr;
    cw_heap* with_default = nullptr;
    const cw_heap_options defaults = cw_heap_default_options();
    ASSERT_EQ(cw_heap_init(a.data(), a.size(), nullptr, &with_null), CW_OK);
    ASSERT_EQ(cw_heap_init(b.data(), b.size(), &defaults, &with_default), CW_OK);
    cw_heap_diagnostics from_null{};
    cw_heap_diagnostics from_default{};
    cw_heap_get_diagnostics(with_null, &from_null);
    cw_heap_get_diagnostics(with_default, &from_default);
    EXPECT_EQ(from_null, from_default);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(with_null), reinterpret_cast<uintptr_t>(a.data()));
}

TEST(HeapInit, ReinitialisingAnArenaStartsAnEmptyHeap) {
    Arena arena(1 << 16);
    Heap heap;
    ASSERT_EQ(heap.init(arena.data(), arena.size()), Status::ok);
    const HeapDiagnostics empty = heap.diagnostics();
    ASSERT_NE(heap.allocate(1000), nullptr);
    ASSERT_EQ(heap.init(arena.data(), arena.size()), Status::ok);
    EXPECT_EQ(heap.diagnostics(), empty);
    EXPECT_TRUE(heap.invariants_hold());
}

// Reserves address space only: the heap writes its control structure, three headers and, with
// the allocation below, two more; the kernel backs just those pages.
class HugeMapping {
  public:
    explicit HugeMapping(size_t bytes) : size_(bytes) {
        void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        data_ = p == MAP_FAILED ? nullptr : static_cast<unsigned char*>(p);
    }
    ~HugeMapping() {
        if (data_ != nullptr) {
            munmap(data_, size_);
        }
    }
    HugeMapping(const HugeMapping&) = delete;
    HugeMapping& operator=(const HugeMapping&) = delete;
    unsigned char* data() const { return data_; }

  private:
    unsigned char* data_;
    size_t size_;
};

TEST(HeapInit, ArenaLargerThanTheMaximumIsClippedToIt) {
    constexpr unsigned long long kMax = kHeapGeometry.max_arena_size();
    if (kMax >= static_cast<unsigned long long>(SIZE_MAX) / 2) {
        GTEST_SKIP() << "no arena beyond 2^CW_HEAP_MAX_ARENA_LOG2 fits this address space";
    }
    const size_t oversized = static_cast<size_t>(kMax) + (size_t{1} << 20);
    HugeMapping mapping(oversized);
    if (mapping.data() == nullptr) {
        GTEST_SKIP() << "cannot reserve " << oversized << " bytes of address space";
    }
    // Validation would clear a start map of kMax / 128 bytes: no validation here.
    Heap clipped;
    ASSERT_EQ(clipped.init(mapping.data(), oversized, with_validation(false)), Status::ok);
    const BlockSpace space = block_space(mapping.data(), static_cast<size_t>(kMax), false);
    EXPECT_EQ(clipped.diagnostics().capacity, space.capacity());
    EXPECT_EQ(clipped.max_allocation_size(), largest_request_served_by(space.capacity()));

    const size_t largest = clipped.max_allocation_size();
    auto* p = static_cast<unsigned char*>(clipped.allocate(largest));
    ASSERT_NE(p, nullptr);
    EXPECT_LE(reinterpret_cast<uintptr_t>(p) + largest, space.end);
    EXPECT_EQ(clipped.allocate(largest), nullptr);
    EXPECT_EQ(clipped.free(p), Status::ok);
    EXPECT_EQ(clipped.allocate(largest + 1), nullptr);
    EXPECT_TRUE(clipped.invariants_hold());
}

// The 32-bit layout aligned_round_trips.cpp (verifier/harnesses) builds its heaps on: where the
// first free payload lies and where each bitmap word's classes begin. A change here leaves
// those harnesses proven but no longer filling or emptying the words they were written for.
TEST(HeapInit, ThirtyTwoBitLayoutOfTheAlignedRoundTrips) {
    // cw_alloc.h's defaults on a 32-bit target, as the verifier compiles the heap: not this
    // build's, whose pointers and largest arena are the host's.
    constexpr HeapGeometry kRv32{4, 3, 24};
    const auto first_payload = [&](bool validate, unsigned long long arena) {
        return kRv32.control_size() + (validate ? kRv32.start_map_size(arena) : 0) +
               2 * kRv32.header_size();
    };
    EXPECT_EQ(first_payload(false, 2560), 1304u);
    EXPECT_EQ(first_payload(true, 2560), 1344u);
    const auto word_of = [&](unsigned long long block) {
        return (kRv32.class_of(block) - kRv32.class_bias()) / kRv32.bitmap_word_bits();
    };
    EXPECT_EQ(word_of(632), 0u);
    EXPECT_EQ(word_of(640), 1u);
    EXPECT_EQ(word_of(10232), 1u);
    EXPECT_EQ(word_of(10240), 2u);
}

} // namespace
} // namespace clockwork::test
