// A function whose worst case one 16-bit input in 65536 reaches: the low byte must be 0xA5 and
// the high byte 0x3C. Each stage matched adds 8 rounds to the loop, so a search guided by the
// measured count sees the first stage before it has the second; a random sampler must hit both
// bytes at once. Only the low 16 bits of input matter.
//
// The stages are counted without branches, so that the only path-dependent cost is the loop's
// and the longest path through the code (the analyzer's bound) is the one 0x3CA5 takes.
#include <clockwork/annotations.h>

unsigned cw_test_rare(unsigned input) {
    const unsigned low_matches = (input & 0xFFu) == 0xA5u;
    const unsigned both_match = low_matches & (((input >> 8) & 0xFFu) == 0x3Cu);
    const unsigned rounds = 8u * (low_matches + both_match);
    unsigned mixed = input;
    for (unsigned i = 0; i < rounds; ++i) {
        CW_LOOP_BOUND(16);
        mixed = mixed * 33u + i;
    }
    return mixed;
}
