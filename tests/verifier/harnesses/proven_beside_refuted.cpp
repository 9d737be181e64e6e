// Properties of one harness are first asked together; one refuted among proven ones must still
// give each its own verdict: the parity of a bounded loop's result is proven, the parity claim is
// refuted by exactly n = 7, and the loop's bound holds. (x -> 3x + 1 alternates parity, and has no
// closed form for the optimiser to replace the loop with.)
#include <clockwork/annotations.h>
#include <clockwork/verify.h>

#include <stdint.h>

CW_HARNESS {
    const uint32_t n = cw_nondet<uint8_t>() & 7u;
    uint32_t x = 0;
    for (uint32_t i = 0; i < n; ++i) {
        CW_LOOP_BOUND(7);
        x = 3 * x + 1;
    }
    cw_assert(x % 2 == n % 2, "parity-follows-the-count");
    cw_assert(n != 7, "never-seven");
}
