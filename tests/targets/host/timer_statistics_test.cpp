// The pure statistics behind the host timing: exact on synthetic readings.
#include <clockwork/host/timer_statistics.hpp>

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace clockwork::host {
namespace {

// Nearest rank: the value at rank ceil(q * n). For 1 .. 1000: ranks 500, 990, 999, 1000.
TEST(Distribution, NearestRankPercentilesOfOneToAThousand) {
    std::vector<uint64_t> samples(1000);
    std::iota(samples.rbegin(), samples.rend(), 1); // descending: the order must not matter
    const Distribution d = distribution(samples);
    EXPECT_EQ(d.count, 1000U);
    EXPECT_EQ(d.min, 1U);
    EXPECT_EQ(d.median, 500U);
    EXPECT_EQ(d.p99, 990U);
    EXPECT_EQ(d.p999, 999U);
    EXPECT_EQ(d.p9999, 1000U);
    EXPECT_EQ(d.max, 1000U);
}

// 20001 samples: ranks ceil(20001 q) = 10001 (0.5), 19801 (0.99), 19981 (0.999) and
// 19999 (0.9999, of 19998.9999): the ceiling, never a rounding to the nearest rank.
TEST(Distribution, NearestRankIsTheCeilingOfQTimesN) {
    std::vector<uint64_t> samples(20001);
    std::iota(samples.begin(), samples.end(), 1);
    const Distribution d = distribution(samples);
    EXPECT_EQ(d.median, 10001U);
    EXPECT_EQ(d.p99, 19801U);
    EXPECT_EQ(d.p999, 19981U);
    EXPECT_EQ(d.p9999, 19999U);
    EXPECT_EQ(d.max, 20001U);
}

TEST(Distribution, OneSampleIsEveryPercentile) {
    const Distribution d = distribution(std::vector<uint64_t>{42});
    EXPECT_EQ(d.count, 1U);
    for (uint64_t value : {d.min, d.median, d.p99, d.p999, d.p9999, d.max}) {
        EXPECT_EQ(value, 42U);
    }
}

TEST(Distribution, NoSamplesIsAllZero) {
    const Distribution d = distribution({});
    EXPECT_EQ(d.count, 0U);
    EXPECT_EQ(d.max, 0U);
}

// A counter that moves 21 ticks at a time, sometimes twice between reads, sometimes not at all.
TEST(Granularity, SteppedCounterShowsItsStep) {
    const std::vector<uint64_t> readings{1000, 1021, 1021, 1063, 1084, 1084, 1084, 1147};
    const Granularity g = granularity(readings);
    EXPECT_EQ(g.differences, 7U);
    EXPECT_EQ(g.zero_steps, 3U);
    EXPECT_EQ(g.smallest_step, 21U);
    EXPECT_EQ(g.common_divisor, 21U);
}

// Steps of 20 and 21 ticks: the smallest step is 20, but they share no divisor above 1.
TEST(Granularity, UnevenStepsHaveACommonDivisorOfOne) {
    const std::vector<uint64_t> readings{0, 20, 41, 61};
    const Granularity g = granularity(readings);
    EXPECT_EQ(g.smallest_step, 20U);
    EXPECT_EQ(g.common_divisor, 1U);
    EXPECT_EQ(g.zero_steps, 0U);
}

TEST(Granularity, StillCounterHasNoStep) {
    const Granularity g = granularity(std::vector<uint64_t>{5, 5, 5});
    EXPECT_EQ(g.differences, 2U);
    EXPECT_EQ(g.zero_steps, 2U);
    EXPECT_EQ(g.smallest_step, 0U);
    EXPECT_EQ(g.common_divisor, 0U);
}

TEST(Granularity, BackwardsReadingIsNoStep) {
    const Granularity g = granularity(std::vector<uint64_t>{100, 90, 130});
    EXPECT_EQ(g.zero_steps, 1U);
    EXPECT_EQ(g.smallest_step, 40U);
}

} // namespace
} // namespace clockwork::host
