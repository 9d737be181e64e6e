// A remainder by a divisor that may be zero: undefined for d = 0. The asserted property holds
// for every divisor under the solver's arithmetic (x % 0 = x), so only the division is at fault.
#include <clockwork/verify.h>

namespace {
__attribute__((noinline)) uint32_t remainder_of(uint32_t n, uint32_t d) {
    return n % d;
}
} // namespace

CW_HARNESS {
    const uint32_t n = cw_nondet<uint32_t>();
    const uint32_t d = cw_nondet<uint32_t>();
    cw_assert(remainder_of(n, d) <= n, "remainder-at-most-dividend");
}
