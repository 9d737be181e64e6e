// Two ways a proof can be empty: assumptions that no input satisfies (contradiction.cpp), and
// an assertion that no input reaches (here: a sum of two squares is never 3 modulo 4, a fact
// Clang does not fold away). The unreachable one must be vacuous, never proven.
#include <clockwork/verify.h>

CW_HARNESS {
    const uint32_t x = cw_nondet<uint32_t>();
    const uint32_t y = cw_nondet<uint32_t>();
    if (x * x + y * y == 3) {
        cw_assert(x > 100, "unreachable-assertion");
    }
    cw_assert(x * x + y * y != 7, "reachable-assertion");
}
