#include <clockwork/annotations.h>

void clear(int* p, int n) {
    for (int i = 0; i < n; ++i) {
        CW_LOOP_BOUND(n);
        p[i] = 0;
    }
}
