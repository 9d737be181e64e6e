// The lock policy of cw_alloc.h: "every function that takes a cw_heap* runs inside
// lock.enter/lock.exit". Each call must take the lock exactly once: not at all leaves it
// unprotected, and twice (nested) deadlocks a non-recursive mutex.
#include "heap_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>

namespace clockwork::test {
namespace {

struct LockProbe {
    int enters = 0;
    int exits = 0;
    int depth = 0;
    int deepest = 0;

    static LockProbe* from(void* context) { return static_cast<LockProbe*>(context); }
    static void enter(void* context) {
        LockProbe* probe = from(context);
        ++probe->enters;
        probe->deepest = std::max(probe->deepest, ++probe->depth);
    }
    static void exit(void* context) {
        LockProbe* probe = from(context);
        ++probe->exits;
        --probe->depth;
    }
    void reset() { *this = LockProbe{}; }
};

class HeapLockPolicy : public ::testing::TestWithParam<bool> {
  protected:
    void SetUp() override {
        HeapOptions options = with_validation(GetParam());
        options.lock = HeapLock{&LockProbe::enter, &LockProbe::exit, &probe_};
        ASSERT_EQ(heap_.init(arena_.data(), arena_.size(), options), Status::ok);
        EXPECT_EQ(probe_.enters, 0) << "init takes no lock: there is no heap to protect yet";
        EXPECT_EQ(probe_.exits, 0);
        live_ = heap_.allocate(100);
        ASSERT_NE(live_, nullptr);
    }

    // The call must take the lock exactly once and release it.
    void expect_one_critical_section(const std::string& what, const std::function<void()>& call) {
        probe_.reset();
        call();
        EXPECT_EQ(probe_.enters, 1) << what;
        EXPECT_EQ(probe_.exits, 1) << what;
        EXPECT_EQ(probe_.deepest, 1) << what << ": nested enter";
        EXPECT_EQ(probe_.depth, 0) << what;
    }

    LockProbe probe_;
    Arena arena_{1 << 16};
    Heap heap_;
    void* live_ = nullptr;
};

INSTANTIATE_TEST_SUITE_P(Validation, HeapLockPolicy, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                             return info.param ? std::string("On") : std::string("Off");
                         });

TEST_P(HeapLockPolicy, AllocateTakesTheLockOnce) {
    expect_one_critical_section("allocate", [&] { (void)heap_.allocate(64); });
    expect_one_critical_section("allocate 0", [&] { (void)heap_.allocate(0); });
    expect_one_critical_section("allocate too much", [&] { (void)heap_.allocate(SIZE_MAX); });
}

TEST_P(HeapLockPolicy, AllocateAlignedTakesTheLockOnce) {
    expect_one_critical_section("aligned 8", [&] { (void)heap_.allocate_aligned(64, 8); });
    expect_one_critical_section("aligned 256", [&] { (void)heap_.allocate_aligned(64, 256); });
    expect_one_critical_section("aligned 3", [&] { (void)heap_.allocate_aligned(64, 3); });
}

TEST_P(HeapLockPolicy, ReallocateTakesTheLockOnce) {
    expect_one_critical_section("reallocate null", [&] { live_ = heap_.reallocate(nullptr, 8); });
    expect_one_critical_section("reallocate grow", [&] { live_ = heap_.reallocate(live_, 900); });
    expect_one_critical_section("reallocate shrink", [&] { live_ = heap_.reallocate(live_, 9); });
    expect_one_critical_section("reallocate fail",
                                [&] { (void)heap_.reallocate(live_, SIZE_MAX); });
    expect_one_critical_section("reallocate 0", [&] { (void)heap_.reallocate(live_, 0); });
}

TEST_P(HeapLockPolicy, FreeTakesTheLockOnce) {
    expect_one_critical_section("free", [&] { (void)heap_.free(live_); });
    if (GetParam()) {
        expect_one_critical_section("refused free", [&] { (void)heap_.free(live_); });
    }
}

// cw_alloc.h documents free(NULL) as a no-op: taking the lock is allowed, not required.
TEST_P(HeapLockPolicy, FreeOfNullLeavesTheLockBalanced) {
    probe_.reset();
    EXPECT_EQ(heap_.free(nullptr), Status::ok);
    EXPECT_EQ(probe_.enters, probe_.exits);
    EXPECT_LE(probe_.deepest, 1);
}

TEST_P(HeapLockPolicy, GetDiagnosticsTakesTheLockOnce) {
    expect_one_critical_section("get_diagnostics", [&] { (void)heap_.diagnostics(); });
}

TEST_P(HeapLockPolicy, InvariantsHoldTakesTheLockOnce) {
    expect_one_critical_section("invariants_hold", [&] { EXPECT_TRUE(heap_.invariants_hold()); });
}

TEST_P(HeapLockPolicy, LargestFreeBlockTakesTheLockOnce) {
    expect_one_critical_section("largest_free_block", [&] { (void)heap_.largest_free_block(); });
}

TEST_P(HeapLockPolicy, MaxAllocationSizeTakesTheLockOnce) {
    expect_one_critical_section("max_allocation_size", [&] { (void)heap_.max_allocation_size(); });
}

TEST_P(HeapLockPolicy, TheLockBelongsToItsHeapAlone) {
    Arena other_arena(1 << 16);
    Heap other;
    ASSERT_EQ(other.init(other_arena.data(), other_arena.size(), with_validation(GetParam())),
              Status::ok);
    probe_.reset();
    void* p = other.allocate(10);
    p = other.reallocate(p, 100);
    void* q = other.allocate_aligned(10, 128);
    EXPECT_EQ(other.free(p), Status::ok);
    EXPECT_EQ(other.free(q), Status::ok);
    (void)other.diagnostics();
    (void)other.largest_free_block();
    (void)other.max_allocation_size();
    EXPECT_TRUE(other.invariants_hold());
    EXPECT_EQ(probe_.enters, 0);
    EXPECT_EQ(probe_.exits, 0);
}

} // namespace
} // namespace clockwork::test
