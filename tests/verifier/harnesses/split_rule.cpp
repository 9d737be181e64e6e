// A stand-in for the heap's split rule, for the mutants that are equivalent only because of a
// fact the code never states: a block's rest is a multiple of 8, so "rest > 15" and
// "rest >= 15" never disagree (split_rule_mutants.cpp gives every mutant's verdict).
#include <stdint.h>

extern "C" {

// The bytes left for a new block after taking `taken` of `granules` 8-byte granules, or 0
// when they cannot hold one (16 bytes).
uint32_t split_rest(uint32_t granules, uint32_t taken) {
    const uint32_t rest = (granules - taken) * 8;
    return rest > 15 ? rest : 0;
}

// Keeps a note that no property reads.
void split_note(uint32_t* note, uint32_t value) {
    *note = value * 3;
}
}
