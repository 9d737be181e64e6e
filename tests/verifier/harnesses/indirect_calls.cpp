// Calls through a table of function pointers, indexed by an input: the verifier follows each
// call to the function the pointer holds. Two properties hold for every index; the third, that
// every function doubles, is refuted by the index of the one that triples.
#include <clockwork/verify.h>

#include <stdint.h>

namespace {
__attribute__((noinline)) uint32_t doubled(uint32_t x) {
    return 2 * x;
}
__attribute__((noinline)) uint32_t tripled(uint32_t x) {
    return 3 * x;
}
uint32_t (*const volatile table[2])(uint32_t) = {doubled, tripled};
} // namespace

CW_HARNESS {
    const uint32_t pick = cw_nondet<uint32_t>();
    const uint32_t x = cw_nondet<uint32_t>();
    cw_assume(pick < 2 && x < 1000);
    const uint32_t y = table[pick](x);
    cw_assert(y == (pick == 0 ? 2 * x : 3 * x), "calls-the-function-the-pointer-holds");
    cw_assert(y >= 2 * x, "both-functions-at-least-double");
    cw_assert(y == 2 * x, "every-function-doubles");
}
