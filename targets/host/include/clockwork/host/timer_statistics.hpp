// Pure statistics over time-stamp-counter readings: the distribution of a set of durations and
// the step of the counter itself. No clock is read here, so every function is exact and
// testable on synthetic data.
#pragma once

#include <llvm/ADT/ArrayRef.h>

#include <cstdint>
#include <vector>

namespace clockwork::host {

// Nearest-rank percentiles (the smallest value with at least q of the samples at or below it).
struct Distribution {
    uint64_t count = 0;
    uint64_t min = 0;
    uint64_t median = 0;
    uint64_t p99 = 0;
    uint64_t p999 = 0;
    uint64_t p9999 = 0;
    uint64_t max = 0;
};

// All zero for no samples. O(n log n): sorts a copy.
Distribution distribution(llvm::ArrayRef<uint64_t> samples);

// How a counter advances between successive readings. A counter that is scaled or virtualised
// moves in steps (on some hypervisors about 21 ticks at a time): differences of successive
// readings are then 0 or multiples of the step, never less.
struct Granularity {
    uint64_t differences = 0;    // readings - 1
    uint64_t zero_steps = 0;     // successive readings where the counter did not advance
    uint64_t smallest_step = 0;  // smallest non-zero difference; 0 when the counter never moved
    uint64_t common_divisor = 0; // gcd of the non-zero differences; 0 when it never moved
};

// readings must be non-decreasing (one core's TSC is); a decreasing pair counts as no step.
Granularity granularity(llvm::ArrayRef<uint64_t> readings);

} // namespace clockwork::host
