// `next` compiles to `add nsw`: the increment overflows for x = INT32_MAX, which the shipped
// code assumes never happens. The asserted property holds with wrapping arithmetic, so
// no-undefined-arithmetic-or-control is the only property that can find the fault.
#include <clockwork/verify.h>

namespace {
__attribute__((noinline)) int32_t next(int32_t x) {
    return x + 1;
}
} // namespace

CW_HARNESS {
    const auto x = static_cast<int32_t>(cw_nondet<uint32_t>());
    const auto after = static_cast<uint32_t>(next(x));
    cw_assert(after - 1u == static_cast<uint32_t>(x), "increment-is-undone-by-decrement");
}
