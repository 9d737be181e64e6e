// An assertion that fails for x == 3, then a loop: an encoding whose deadline has passed stops at
// the loop's first entry. What it keeps must be the assertion before the loop, still refutable,
// and nothing after it.
#include <clockwork/annotations.h>
#include <clockwork/verify.h>

CW_HARNESS {
    const uint32_t x = cw_nondet<uint32_t>();
    cw_assert(x != 3, "before-the-loop");
    const uint32_t n = cw_nondet<uint32_t>();
    uint32_t sum = 0;
    for (uint32_t i = 0; i < n && i < 4; ++i) {
        CW_LOOP_BOUND(4);
        sum += cw_nondet<uint8_t>();
    }
    cw_assert(sum <= 255u * 4u, "after-the-loop");
}
