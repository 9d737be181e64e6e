// A read at a symbolic index of words an init loop wrote one by one, as cw_heap_init writes the
// heap's bins: each entry's first word holds its own address (an affine function of the
// index), its second a square (no such function), and one entry is written over afterwards.
// Every entry must read back as written, newest write first; the one overwritten entry is the
// only counterexample to "no entry is null".
#include <clockwork/annotations.h>
#include <clockwork/verify.h>

#include <stdint.h>

namespace {
constexpr uint32_t kEntries = 48;
constexpr uint32_t kOverwritten = 29;
struct Entry {
    uintptr_t self;
    uint32_t square;
};
Entry table[kEntries];
} // namespace

CW_HARNESS {
    for (uint32_t i = 0; i < kEntries; ++i) {
        CW_LOOP_BOUND(kEntries);
        table[i].self = reinterpret_cast<uintptr_t>(&table[i]);
        table[i].square = i * i;
    }
    table[kOverwritten].self = 0;

    const uint32_t k = cw_nondet<uint32_t>();
    cw_assume(k < kEntries);
    const uintptr_t expected = k == kOverwritten ? 0 : reinterpret_cast<uintptr_t>(&table[k]);
    cw_assert(table[k].self == expected, "entries-read-back-newest-first");
    cw_assert(table[k].square == k * k, "squares-read-back");
    cw_assert(table[k].self != 0, "no-entry-is-null");
}
