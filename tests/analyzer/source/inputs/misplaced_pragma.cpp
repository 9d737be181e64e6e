#include <clockwork/annotations.h>

int total(const int* values) {
    int sum = 0;
#pragma loopbound min 0 max 8
    sum = values[0];
    for (int i = 1; i < 8; ++i) {
        sum += values[i];
    }
#pragma loopbound min 0 max 4
    for (int i = 0; i < 4; ++i) {
        CW_LOOP_BOUND(4);
        sum += values[i];
    }
    return sum;
}
