// A loop that runs one more time than its CW_LOOP_BOUND claims when n is 5: the unwinding
// assertion must refute the bound with n = 5. The input read in the body keeps Clang from
// replacing the loop by a formula.
#include <clockwork/annotations.h>
#include <clockwork/verify.h>

namespace {
__attribute__((noinline)) uint32_t sum_of_inputs(uint32_t n) {
    uint32_t sum = 0;
    for (uint32_t i = 0; i < n; ++i) {
        CW_LOOP_BOUND(4);
        sum += cw_nondet<uint8_t>();
    }
    return sum;
}
} // namespace

CW_HARNESS {
    const uint32_t n = cw_nondet<uint32_t>();
    cw_assume(n <= 5);
    cw_assert(sum_of_inputs(n) <= 5 * 255, "sum-is-bounded");
}
