// A list walk: its length is in memory, not in any expression of the inputs, so no count exists
// and the bound can only stay assumed.
#include <clockwork/annotations.h>

#include <stdint.h>

struct Node {
    Node* next;
    uint32_t value;
};

extern "C" uint32_t sum_list(const Node* node) {
    uint32_t sum = 0;
    for (; node != nullptr; node = node->next) {
        CW_LOOP_BOUND(32);
        sum += node->value;
    }
    return sum;
}
