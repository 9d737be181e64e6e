// ub_signed_overflow.cpp with the overflowing input excluded by an assumption: the same
// `add nsw` then never overflows, and no-undefined-arithmetic-or-control is proven.
#include <clockwork/verify.h>

namespace {
__attribute__((noinline)) int32_t next(int32_t x) {
    return x + 1;
}
} // namespace

CW_HARNESS {
    const auto x = static_cast<int32_t>(cw_nondet<uint32_t>());
    cw_assume(x < 1000);
    const auto after = static_cast<uint32_t>(next(x));
    cw_assert(after - 1u == static_cast<uint32_t>(x), "increment-is-undone-by-decrement");
}
