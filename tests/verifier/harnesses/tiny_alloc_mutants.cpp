// The harness of tiny_alloc.cpp's mutants, each verdict known by hand:
// - tiny_add_one: add -> sub, 1 -> 2 and 1 -> 0 all break "adds-exactly-one": killed.
// - tiny_clear: storing 1 or -1 breaks "cleared-flag-is-zero" (killed); dropping the store
//   changes nothing, since the flag is already zero: equivalent.
// - tiny_record: dropping its store loses the value, but no property looks at the log: the one
//   survivor, a hole in these properties.
// - tiny_reset: called only when x > 20, which the assumption rules out: its three mutants
//   (7 -> 8, 7 -> 6, store dropped) are never executed, a hole in the harness.
#include <clockwork/verify.h>

extern "C" {
uint32_t tiny_add_one(uint32_t x);
void tiny_clear(uint32_t* flag);
void tiny_record(uint32_t* log, uint32_t value);
void tiny_reset(uint32_t* log);
}

namespace {
uint32_t flag;
uint32_t log_word;
} // namespace

CW_HARNESS {
    const uint32_t x = cw_nondet<uint32_t>();
    cw_assume(x < 10);
    cw_assert(tiny_add_one(x) == x + 1, "adds-exactly-one");
    tiny_clear(&flag);
    cw_assert(flag == 0, "cleared-flag-is-zero");
    tiny_record(&log_word, x);
    if (x > 20) {
        tiny_reset(&log_word);
    }
}
