// A harness without a cw_assert of its own: its only property would be the one every harness
// has (no undefined behaviour), which is not what its author set out to check.
#include <clockwork/verify.h>

CW_HARNESS {
    const uint32_t x = cw_nondet<uint32_t>();
    cw_assume(x < 100);
}
