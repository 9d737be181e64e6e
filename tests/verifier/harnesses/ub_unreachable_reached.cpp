// __builtin_unreachable() on a path that inputs above 20 take. Clang deletes a branch into
// unreachable unless a call before it may not return (reading an input here), and from the
// unreachable it concludes x <= 20: it folds the assertion below to true. That proof holds
// only for executions without undefined behaviour, and here there is one.
#include <clockwork/verify.h>

CW_HARNESS {
    const uint32_t x = cw_nondet<uint32_t>();
    if (x > 20) {
        (void)cw_nondet_u8();
        __builtin_unreachable();
    }
    cw_assert(x <= 20, "input-at-most-twenty");
}
