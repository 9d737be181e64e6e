// Unsigned ranges of bit-vector terms, read off their structure.
//
// The encoder resolves every read through the stores before it, and a store at a symbolic
// address is a case in every later read unless the two addresses are shown apart. Most such
// pairs are far apart by construction (a bin in the control structure and a local on the stack;
// a block in a 128-byte region and a bin), and the structure of the address terms shows it
// without a solver call: the sum of a numeral base and a scaled 16-bit class index cannot reach
// the stack.
#pragma once
#include <z3++.h>

#include <cstdint>
#include <unordered_map>

namespace clockwork::verifier {

// [low, high], unsigned, of a term of at most 64 bits; low <= high (no wrapped ranges).
struct Interval {
    uint64_t low = 0;
    uint64_t high = 0;
};

class Intervals {
  public:
    // Every value the term can take lies in the result (sound, not always tight).
    Interval of(const z3::expr& term);

    // False only when no assignment makes the two terms equal.
    bool may_equal(const z3::expr& a, const z3::expr& b);

  private:
    Interval compute(const z3::expr& term);
    Interval known(const z3::expr& term) const { return memo_.at(term.id()).second; }
    // Keyed by term id; the term is kept so that its id is not reused while remembered.
    std::unordered_map<unsigned, std::pair<z3::expr, Interval>> memo_;
};

} // namespace clockwork::verifier
