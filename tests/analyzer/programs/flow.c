/* Small functions whose worst-case instruction counts are derived by hand from each target's
 * disassembly; the analyzer must reproduce them exactly. volatile keeps the compiler from
 * turning branches into selects, so each shape survives -O2. */
#include <clockwork/annotations.h>

volatile int sink_a;
volatile int sink_b;
volatile int sink_c;

int cw_test_straight(int a, int b) {
    sink_a = a;
    sink_b = b;
    return a ^ b;
}

int cw_test_diamond(int a, int b) {
    if (a > b) {
        sink_a = a;
        sink_b = b;
        sink_c = a;
    } else {
        sink_a = b;
    }
    return 0;
}

int cw_test_loop(const int* values, int n) {
    int sum = 0;
    for (int i = 0; i < n; ++i) {
        CW_LOOP_BOUND(8);
        sum += values[i];
    }
    return sum;
}

void cw_test_nested(int n, int m) {
    for (int i = 0; i < n; ++i) {
        CW_LOOP_BOUND(4);
        for (int j = 0; j < m; ++j) {
            CW_LOOP_BOUND(3);
            sink_a = j;
        }
        sink_b = i;
    }
}

int cw_test_pragma(const int* values, int n) {
    int found = 0;
    _Pragma("loopbound min 0 max 5") for (int i = 0; i < n; ++i) {
        found += values[i] == 7;
    }
    return found;
}

int cw_test_early_return(int a, int b) {
    if (a < 0) {
        return -1;
    }
    sink_a = a;
    if (b < 0) {
        return -2;
    }
    sink_b = b;
    sink_c = a + b;
    return 0;
}

/* A loop left from its middle: its header may run once more than its body, so the bound is
 * sound but one header execution above the worst case (see docs/annotations.md). */
int cw_test_search(const int* values, int n, int key) {
    for (int i = 0; i < n; ++i) {
        CW_LOOP_BOUND(6);
        if (values[i] == key) {
            return i;
        }
    }
    return -1;
}

__attribute__((noinline)) int cw_test_callee(int x) {
    if (x > 10) {
        sink_a = x;
        sink_b = x;
    }
    return x;
}

int cw_test_caller(int x) {
    sink_c = cw_test_callee(x);
    return cw_test_callee(x + 1);
}
