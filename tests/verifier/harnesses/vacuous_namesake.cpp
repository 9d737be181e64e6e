// One property asserted at two places: one that inputs reach, one that none does (a sum of two
// squares is never 3 modulo 4). The property is vacuous, named at the unreached place: the
// reached namesake does not make the unreached assertion a proof.
#include <clockwork/verify.h>

CW_HARNESS {
    const uint32_t x = cw_nondet<uint32_t>();
    const uint32_t y = cw_nondet<uint32_t>();
    cw_assert(x * x + y * y != 7, "sum-of-squares-misses-three-mod-four");
    if (x * x + y * y == 3) {
        cw_assert(x > 100, "sum-of-squares-misses-three-mod-four");
    }
}
