// A deliberately broken copy of the heap's round_up_align (alloc/src/heap.cpp): it adds one
// less than it should, so a size one past a multiple of the alignment is rounded down.
// Below the alignment, only n = 1 shows it: the verifier must find exactly that input.
#include <clockwork/verify.h>

#include <stddef.h>

namespace {
constexpr size_t kAlign = 8;
__attribute__((noinline)) size_t broken_round_up_align(size_t bytes) {
    return (bytes + kAlign - 2) & ~(kAlign - 1);
}
} // namespace

CW_HARNESS {
    const size_t n = cw_nondet<size_t>();
    cw_assume(n < kAlign);
    cw_assert(broken_round_up_align(n) >= n, "round-up-never-shrinks");
}
