// Loops whose CW_LOOP_BOUND holds for every argument value: each count is a function of the
// arguments that ScalarEvolution derives and whose maximum Z3 checks. The call in each body
// keeps Clang from replacing the loop by its closed form.
#include <clockwork/annotations.h>

#include <stdint.h>

extern "C" void cw_test_visit(uint32_t value);

// min(n, 16) runs: the bound is reached exactly when n >= 16.
extern "C" void visit_at_most_sixteen(uint32_t n) {
    for (uint32_t i = 0; i < n && i < 16; ++i) {
        CW_LOOP_BOUND(16);
        cw_test_visit(i);
    }
}

// A 16-bit count divided by 4096: at most 15 runs, computed in 32 bits after the zero extension.
extern "C" void visit_pages(uint16_t bytes) {
    for (uint32_t page = 0; page < bytes / 4096u; ++page) {
        CW_LOOP_BOUND(15);
        cw_test_visit(page);
    }
}

// The guard in front (n <= 100) is what bounds the count: without it n could be anything.
extern "C" void visit_when_small(uint32_t n) {
    if (n > 100) {
        return;
    }
    for (uint32_t i = 0; i < n; ++i) {
        CW_LOOP_BOUND(100);
        cw_test_visit(i);
    }
}
