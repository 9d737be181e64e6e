// The harness of split_rule.cpp's mutants.
#include <clockwork/verify.h>

extern "C" {
uint32_t split_rest(uint32_t granules, uint32_t taken);
void split_note(uint32_t* note, uint32_t value);
}

namespace {
uint32_t note;
} // namespace

CW_HARNESS {
    const uint32_t granules = cw_nondet<uint32_t>();
    const uint32_t taken = cw_nondet<uint32_t>();
    cw_assume(granules < 1000 && taken <= granules);
    const uint32_t rest = split_rest(granules, taken);
    cw_assert(rest == (granules - taken >= 2 ? (granules - taken) * 8 : 0),
              "rest-is-a-block-or-nothing");
    split_note(&note, rest);
}
