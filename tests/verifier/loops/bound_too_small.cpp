// A CW_LOOP_BOUND one too small: n = 9 runs the body 9 times, the annotation claims 8. The count
// depends only on an argument of an exported function, the guard in front lets n = 9 in, and
// the body cannot stop early, so n = 9 is a counterexample.
#include <clockwork/annotations.h>

#include <stdint.h>

extern "C" void fill_below_nine(uint32_t* out, uint32_t n) {
    if (n > 9) {
        return;
    }
    for (uint32_t i = 0; i < n; ++i) {
        CW_LOOP_BOUND(8);
        out[i] = i * i;
    }
}

extern "C" void cw_test_visit(uint32_t value);

// The same count, but the call may never return: n = 9 does not prove a ninth run.
extern "C" void visit_below_nine(uint32_t n) {
    if (n > 9) {
        return;
    }
    for (uint32_t i = 0; i < n; ++i) {
        CW_LOOP_BOUND(8);
        cw_test_visit(i);
    }
}
