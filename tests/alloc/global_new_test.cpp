// clockwork::global_new with its default arena: every standard form of operator new and delete
// is served by the Clockwork heap, and exhaustion is reported the way each form must report it.
#include "heap_test_support.hpp"

#include <clockwork/global_heap.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <new>

namespace clockwork::test {
namespace {

// The default cw_global_heap_arena() hands out the same static array on every call.
bool in_global_arena(const void* p) {
    std::size_t size = 0;
    const auto* arena = static_cast<const unsigned char*>(cw_global_heap_arena(&size));
    const auto* bytes = static_cast<const unsigned char*>(p);
    return bytes >= arena && bytes < arena + size;
}

size_t allocated() {
    return global_heap().diagnostics().allocated;
}

struct alignas(256) Aligned256 {
    unsigned char bytes[256];
};

// Diagnostics are read right around each call, with nothing in between that could allocate.
struct Observed {
    size_t before;
    size_t during;
    size_t after;
};

template <class Allocate, class Release>
Observed observe(Allocate allocate, Release release, void** out) {
    Observed o{};
    o.before = allocated();
    void* p = allocate();
    o.during = allocated();
    *out = p;
    release(p);
    o.after = allocated();
    return o;
}

void expect_served(const Observed& o, const void* p, size_t bytes, size_t alignment) {
    EXPECT_NE(p, nullptr);
    EXPECT_TRUE(in_global_arena(p)) << p;
    EXPECT_TRUE(aligned_to(p, alignment)) << p << " alignment " << alignment;
    EXPECT_GE(o.during - o.before, bytes);
    EXPECT_EQ(o.after, o.before) << "delete gave the block back";
}

TEST(GlobalNew, ArenaIsTheDefaultStaticArray) {
    std::size_t size = 0;
    void* arena = cw_global_heap_arena(&size);
    EXPECT_EQ(size, std::size_t{64} << 20);
    EXPECT_TRUE(aligned_to(arena, CW_HEAP_ALIGNMENT));
    EXPECT_GT(global_heap().diagnostics().capacity, size - (size >> 4));
    EXPECT_TRUE(global_heap().initialized());
}

TEST(GlobalNew, PlainNewAndDelete) {
    void* p = nullptr;
    const Observed o = observe([] { return static_cast<void*>(new long[1]{}); },
                               [](void* q) { delete[] static_cast<long*>(q); }, &p);
    expect_served(o, p, sizeof(long), alignof(long));
    const Observed single = observe([] { return static_cast<void*>(new double(1.5)); },
                                    [](void* q) { delete static_cast<double*>(q); }, &p);
    expect_served(single, p, sizeof(double), __STDCPP_DEFAULT_NEW_ALIGNMENT__);
}

TEST(GlobalNew, OperatorNewAndSizedDelete) {
    void* p = nullptr;
    expect_served(observe([] { return ::operator new(1000); },
                          [](void* q) { ::operator delete(q, 1000); }, &p),
                  p, 1000, __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    expect_served(observe([] { return ::operator new[](3000); },
                          [](void* q) { ::operator delete[](q, 3000); }, &p),
                  p, 3000, __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    expect_served(
        observe([] { return ::operator new(100); }, [](void* q) { ::operator delete(q); }, &p), p,
        100, __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    expect_served(
        observe([] { return ::operator new[](100); }, [](void* q) { ::operator delete[](q); }, &p),
        p, 100, __STDCPP_DEFAULT_NEW_ALIGNMENT__);
}

TEST(GlobalNew, NothrowNewAndItsDelete) {
    void* p = nullptr;
    expect_served(observe([] { return ::operator new(500, std::nothrow); },
                          [](void* q) { ::operator delete(q, std::nothrow); }, &p),
                  p, 500, __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    expect_served(observe([] { return ::operator new[](500, std::nothrow); },
                          [](void* q) { ::operator delete[](q, std::nothrow); }, &p),
                  p, 500, __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    expect_served(observe([] { return static_cast<void*>(new (std::nothrow) int[64]); },
                          [](void* q) { delete[] static_cast<int*>(q); }, &p),
                  p, 64 * sizeof(int), alignof(int));
}

TEST(GlobalNew, AlignedNewAndEveryAlignedDelete) {
    void* p = nullptr;
    constexpr std::align_val_t k256{256};
    constexpr std::align_val_t k4096{4096};
    expect_served(observe([] { return static_cast<void*>(new Aligned256); },
                          [](void* q) { delete static_cast<Aligned256*>(q); }, &p),
                  p, sizeof(Aligned256), 256);
    expect_served(observe([] { return static_cast<void*>(new Aligned256[3]); },
                          [](void* q) { delete[] static_cast<Aligned256*>(q); }, &p),
                  p, 3 * sizeof(Aligned256), 256);
    expect_served(observe([] { return ::operator new(100, k4096); },
                          [](void* q) { ::operator delete(q, k4096); }, &p),
                  p, 100, 4096);
    expect_served(observe([] { return ::operator new[](100, k4096); },
                          [](void* q) { ::operator delete[](q, k4096); }, &p),
                  p, 100, 4096);
    expect_served(observe([] { return ::operator new(100, k256); },
                          [](void* q) { ::operator delete(q, 100, k256); }, &p),
                  p, 100, 256);
    expect_served(observe([] { return ::operator new[](100, k256); },
                          [](void* q) { ::operator delete[](q, 100, k256); }, &p),
                  p, 100, 256);
}

TEST(GlobalNew, AlignedNothrowNewAndItsDelete) {
    void* p = nullptr;
    constexpr std::align_val_t k512{512};
    expect_served(observe([] { return ::operator new(700, k512, std::nothrow); },
                          [](void* q) { ::operator delete(q, k512, std::nothrow); }, &p),
                  p, 700, 512);
    expect_served(observe([] { return ::operator new[](700, k512, std::nothrow); },
                          [](void* q) { ::operator delete[](q, k512, std::nothrow); }, &p),
                  p, 700, 512);
}

TEST(GlobalNew, ZeroBytesGiveDistinctBlocks) {
    void* a = ::operator new(0);
    void* b = ::operator new(0);
    EXPECT_NE(a, b);
    EXPECT_TRUE(in_global_arena(a));
    ::operator delete(a);
    ::operator delete(b);
    ::operator delete(nullptr);
}

// Larger than the whole arena: every form fails, each in its own way.
constexpr size_t kTooLarge = size_t{1} << 30;

TEST(GlobalNew, ThrowingFormsThrowBadAllocWhenExhausted) {
    const uint32_t oom = global_heap().diagnostics().oom_count;
    EXPECT_THROW((void)::operator new(kTooLarge), std::bad_alloc);
    EXPECT_THROW((void)::operator new[](kTooLarge), std::bad_alloc);
    EXPECT_THROW((void)::operator new (kTooLarge, std::align_val_t{64}), std::bad_alloc);
    EXPECT_THROW((void)::operator new[](kTooLarge, std::align_val_t{64}), std::bad_alloc);
    EXPECT_EQ(global_heap().diagnostics().oom_count, oom + 4);
}

TEST(GlobalNew, NothrowFormsReturnNullWhenExhausted) {
    EXPECT_EQ(::operator new(kTooLarge, std::nothrow), nullptr);
    EXPECT_EQ(::operator new[](kTooLarge, std::nothrow), nullptr);
    EXPECT_EQ(::operator new (kTooLarge, std::align_val_t{64}, std::nothrow), nullptr);
    EXPECT_EQ(::operator new[](kTooLarge, std::align_val_t{64}, std::nothrow), nullptr);
}

int handler_calls = 0;
void give_up() {
    ++handler_calls;
    std::set_new_handler(nullptr);
}

TEST(GlobalNew, NewHandlerRunsBeforeGivingUp) {
    handler_calls = 0;
    std::set_new_handler(&give_up);
    EXPECT_THROW((void)::operator new(kTooLarge), std::bad_alloc);
    EXPECT_EQ(handler_calls, 1);
    std::set_new_handler(&give_up);
    EXPECT_EQ(::operator new(kTooLarge, std::nothrow), nullptr);
    EXPECT_EQ(handler_calls, 2);
    EXPECT_EQ(std::get_new_handler(), nullptr);
}

} // namespace
} // namespace clockwork::test
