// Assumptions that contradict each other make every property vacuous.
#include <clockwork/verify.h>

CW_HARNESS {
    const uint32_t x = cw_nondet<uint32_t>();
    cw_assume(x > 5);
    cw_assume(x < 3);
    cw_assert(x == 4, "anything-follows");
}
