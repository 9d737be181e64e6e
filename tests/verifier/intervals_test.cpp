// The ranges the encoder uses to drop stores a read cannot reach: exact on the address shapes
// the heap's harnesses produce, and sound on every value of small terms.
#include <clockwork/verifier/intervals.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <vector>

namespace {

using clockwork::verifier::Interval;
using clockwork::verifier::Intervals;

uint64_t value_of(const z3::expr& term) {
    uint64_t value = 0;
    EXPECT_TRUE(term.is_numeral_u64(value)) << term;
    return value;
}

TEST(Intervals, BinAddressOfA16BitClassStaysInTheGlobalsAndMissesTheStack) {
    z3::context z3;
    const z3::expr c = z3.bv_const("c", 16);
    const z3::expr bins = z3.bv_val(0x10000010u, 32);
    const z3::expr address = bins + z3::zext(c, 16) * z3.bv_val(8, 32);
    Intervals intervals;
    const Interval range = intervals.of(address);
    EXPECT_EQ(range.low, 0x10000010u);
    EXPECT_EQ(range.high, 0x10000010u + 65535u * 8u);
    EXPECT_FALSE(intervals.may_equal(address, z3.bv_val(0x700000ecu, 32)));
    EXPECT_TRUE(intervals.may_equal(address, z3.bv_val(0x10000018u, 32)));
    // The encoder's word index of it.
    const Interval word = intervals.of(z3::lshr(address, z3.bv_val(2, 32)));
    EXPECT_EQ(word.low, 0x10000010u / 4);
    EXPECT_EQ(word.high, (0x10000010u + 65535u * 8u) / 4);
}

TEST(Intervals, IteIsTheUnionAndRemainderIsBelowItsDivisor) {
    z3::context z3;
    const z3::expr x = z3.bv_const("x", 32);
    const z3::expr pick = z3.bool_const("pick");
    Intervals intervals;
    const Interval either =
        intervals.of(z3::ite(pick, z3.bv_val(0x20u, 32), z3.bv_val(0x80u, 32) + (x & 0xf)));
    EXPECT_EQ(either.low, 0x20u);
    EXPECT_EQ(either.high, 0x8fu);
    const Interval remainder = intervals.of(z3::urem(x, z3.bv_val(150, 32)));
    EXPECT_EQ(remainder.low, 0u);
    EXPECT_EQ(remainder.high, 149u);
}

TEST(Intervals, SumThatMayWrapIsTheWholeRange) {
    z3::context z3;
    const z3::expr x = z3.bv_const("x", 32);
    Intervals intervals;
    const Interval wrapped = intervals.of(x + z3.bv_val(8, 32));
    EXPECT_EQ(wrapped.low, 0u);
    EXPECT_EQ(wrapped.high, 0xffffffffu);
    EXPECT_TRUE(intervals.may_equal(x + z3.bv_val(8, 32), z3.bv_val(3, 32)));
}

// Every value of every term built from two 8-bit inputs by the operations the analysis knows
// lies in the term's interval: checked on every `a` against the edge values of `b`.
TEST(Intervals, EveryValueOfSmallTermsLiesInTheirInterval) {
    z3::context z3;
    const z3::expr a = z3.bv_const("a", 8);
    const z3::expr b = z3.bv_const("b", 8);
    const z3::expr wide_a = z3::zext(a, 8);
    const z3::expr wide_b = z3::zext(b, 8);
    const std::vector<z3::expr> terms{
        wide_a + wide_b,
        wide_a * z3.bv_val(3, 16) + z3.bv_val(7, 16),
        wide_a * z3.bv_val(300, 16),
        z3::lshr(wide_a, z3.bv_val(3, 16)),
        z3::shl(wide_a, z3.bv_val(4, 16)),
        z3::shl(wide_a, z3.bv_val(9, 16)),
        z3::shl(wide_a, wide_b),
        z3::lshr(wide_a, wide_b),
        wide_a & wide_b,
        wide_a & z3.bv_val(0x30, 16),
        z3::udiv(wide_a, z3.bv_val(5, 16)),
        z3::udiv(wide_a, wide_b),
        z3::urem(wide_a, z3.bv_val(6, 16)),
        z3::urem(wide_a, wide_b),
        z3::ite(z3::ult(a, b), wide_a, wide_b + z3.bv_val(0x100, 16)),
        z3::concat(z3.bv_val(0, 8), a),
        z3::concat(z3.bv_val(1, 8), a),
        (wide_a * z3.bv_val(8, 16)).extract(10, 3),
        (wide_a + wide_b).extract(7, 0),
        (wide_a + z3.bv_val(0xff00, 16)) + wide_b,
        wide_a - wide_b,
        wide_a | wide_b,
    };
    for (z3::expr term : terms) {
        Intervals intervals;
        const Interval range = intervals.of(term);
        for (unsigned x = 0; x < 256; ++x) {
            for (unsigned y :
                 {0u, 1u, 2u, 3u, 5u, 7u, 8u, 15u, 16u, 31u, 64u, 127u, 128u, 200u, 254u, 255u}) {
                z3::expr_vector from(z3), to(z3);
                from.push_back(a);
                from.push_back(b);
                to.push_back(z3.bv_val(x, 8));
                to.push_back(z3.bv_val(y, 8));
                const uint64_t value = value_of(term.substitute(from, to).simplify());
                ASSERT_GE(value, range.low) << term << " at a=" << x << " b=" << y;
                ASSERT_LE(value, range.high) << term << " at a=" << x << " b=" << y;
            }
        }
    }
}

} // namespace
