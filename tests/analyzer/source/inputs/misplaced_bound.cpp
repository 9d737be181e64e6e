#include <clockwork/annotations.h>

int total(const int* values) {
    int sum = 0;
    for (int i = 0; i < 8; ++i) {
        sum += values[i];
        CW_LOOP_BOUND(8);
    }
    return sum;
}
