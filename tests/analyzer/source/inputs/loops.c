/* C: bounds from an enumerator and from a macro inside the pragma; a loop without a bound. */
#include <clockwork/annotations.h>
#include <stddef.h>

enum { kSlots = 6 };
#define MAX_TRIES 3

int find(const int* slots, int key) {
    for (size_t i = 0; i < kSlots; ++i) {
        CW_LOOP_BOUND(kSlots);
        int tries = 0;
#pragma loopbound min 0 max MAX_TRIES
        while (tries < MAX_TRIES && slots[i] != key) {
            ++tries;
        }
        if (tries < MAX_TRIES) {
            return (int)i;
        }
    }
    return -1;
}

void spin(volatile int* flag) {
    while (*flag == 0) {
    }
}
