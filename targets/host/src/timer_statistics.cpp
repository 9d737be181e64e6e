#include <clockwork/host/timer_statistics.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace clockwork::host {

namespace {

// Rank ceil(q * n), 1-based; computed in integers (q = parts / 10000) so that no rounding of
// a double moves a percentile by one sample.
uint64_t nearest_rank(const std::vector<uint64_t>& sorted, uint64_t parts_per_10000) {
    const uint64_t n = sorted.size();
    const uint64_t rank = (n * parts_per_10000 + 9999) / 10000;
    return sorted[std::clamp<uint64_t>(rank, 1, n) - 1];
}

} // namespace

Distribution distribution(llvm::ArrayRef<uint64_t> samples) {
    Distribution d;
    if (samples.empty()) {
        return d;
    }
    std::vector<uint64_t> sorted(samples.begin(), samples.end());
    std::sort(sorted.begin(), sorted.end());
    d.count = sorted.size();
    d.min = sorted.front();
    d.median = nearest_rank(sorted, 5000);
    d.p99 = nearest_rank(sorted, 9900);
    d.p999 = nearest_rank(sorted, 9990);
    d.p9999 = nearest_rank(sorted, 9999);
    d.max = sorted.back();
    return d;
}

Granularity granularity(llvm::ArrayRef<uint64_t> readings) {
    Granularity g;
    for (size_t i = 1; i < readings.size(); ++i) {
        ++g.differences;
        if (readings[i] <= readings[i - 1]) {
            ++g.zero_steps;
            continue;
        }
        const uint64_t step = readings[i] - readings[i - 1];
        g.smallest_step = g.smallest_step == 0 ? step : std::min(g.smallest_step, step);
        g.common_divisor = std::gcd(g.common_divisor, step);
    }
    return g;
}

} // namespace clockwork::host
