// Reads at a symbolic address that takes a few values where it is read, beside a store at a
// symbolic address. The encoder reads each such value at its numeral; the store must still be
// seen exactly where the two addresses meet, a value the read's guard excludes is never read, and
// an address with many values (read the general way) must agree.
#include <clockwork/annotations.h>
#include <clockwork/verify.h>

#include <stdint.h>

namespace {
constexpr uint32_t kEntries = 16;
constexpr uint32_t kStored = 99;
uint32_t table[kEntries];
} // namespace

CW_HARNESS {
    for (uint32_t i = 0; i < kEntries; ++i) {
        CW_LOOP_BOUND(kEntries);
        table[i] = 3 * i;
    }
    const uint32_t j = cw_nondet<uint32_t>();
    cw_assume(j == 5 || j == 7);
    table[j] = kStored;

    const uint32_t k = cw_nondet<uint32_t>();
    cw_assume(k == 2 || k == 5 || k == 11);
    cw_assert(table[k] == (k == j ? kStored : 3 * k), "few-values-read-back");
    if (k != 5) {
        cw_assert(table[k] != kStored, "excluded-value-is-not-read");
    }
    cw_assert(table[k] != kStored, "store-is-never-read");

    const uint32_t m = cw_nondet<uint32_t>();
    cw_assume(m < kEntries);
    cw_assert(table[m] == (m == j ? kStored : 3 * m), "many-values-read-back");
}
