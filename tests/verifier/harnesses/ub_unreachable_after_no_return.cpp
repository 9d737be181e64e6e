// `give_up` never returns (its assumption cuts every path), so the `unreachable` Clang puts
// after its call is never reached: no-undefined-arithmetic-or-control is proven.
#include <clockwork/verify.h>

namespace {
[[noreturn]] __attribute__((noinline)) void give_up() {
    cw_assume(false);
    __builtin_unreachable();
}
} // namespace

CW_HARNESS {
    const uint32_t x = cw_nondet<uint32_t>();
    if (x > 20) {
        give_up();
    }
    cw_assert(x <= 20, "input-at-most-twenty");
}
