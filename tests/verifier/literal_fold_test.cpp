// The encoder's constant folding without Z3's rewriter: on every operator it evaluates, the same
// term as Z3_simplify gives, at the values where bit-vector semantics have their edges (zero,
// one, the sign bit, all ones, shift amounts at and past the width).
#include "literal_fold.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

using clockwork::verifier::evaluate_literal;

using Binary = std::function<z3::expr(const z3::expr&, const z3::expr&)>;
using Unary = std::function<z3::expr(const z3::expr&)>;

std::vector<uint64_t> edge_values(unsigned width) {
    const uint64_t all = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    const uint64_t sign = uint64_t{1} << (width - 1);
    std::vector<uint64_t> values{0,    1,        2,        3,         all,   all - 1,
                                 sign, sign - 1, sign + 1, width - 1, width, width + 1};
    std::mt19937_64 random(width);
    for (int i = 0; i < 6; ++i) {
        values.push_back(random() & all);
    }
    for (uint64_t& v : values) {
        v &= all;
    }
    return values;
}

// Every term `evaluate_literal` folds is the one Z3 folds it to; `expect_folded` also asks that
// it folds at all, so an evaluator that declines everything fails.
void expect_same_as_z3(const z3::expr& term, const std::string& what, bool expect_folded = true) {
    const auto folded = evaluate_literal(term);
    if (!folded) {
        EXPECT_FALSE(expect_folded) << what << ": not folded: " << term;
        return;
    }
    const z3::expr by_z3 = term.simplify();
    EXPECT_TRUE(z3::eq(*folded, by_z3))
        << what << ": " << term << " folded to " << *folded << ", Z3 gives " << by_z3;
}

TEST(LiteralFold, BinaryOperatorsAgreeWithZ3AtTheEdgesOfEveryWidth) {
    z3::context z3;
    const std::vector<std::pair<std::string, Binary>> operators{
        {"bvadd", [](auto& a, auto& b) { return a + b; }},
        {"bvsub", [](auto& a, auto& b) { return a - b; }},
        {"bvmul", [](auto& a, auto& b) { return a * b; }},
        {"bvand", [](auto& a, auto& b) { return a & b; }},
        {"bvor", [](auto& a, auto& b) { return a | b; }},
        {"bvxor", [](auto& a, auto& b) { return a ^ b; }},
        {"bvshl", [](auto& a, auto& b) { return z3::shl(a, b); }},
        {"bvlshr", [](auto& a, auto& b) { return z3::lshr(a, b); }},
        {"bvashr", [](auto& a, auto& b) { return z3::ashr(a, b); }},
        {"=", [](auto& a, auto& b) { return a == b; }},
        {"distinct", [](auto& a, auto& b) { return a != b; }},
        {"bvule", [](auto& a, auto& b) { return z3::ule(a, b); }},
        {"bvult", [](auto& a, auto& b) { return z3::ult(a, b); }},
        {"bvuge", [](auto& a, auto& b) { return z3::uge(a, b); }},
        {"bvugt", [](auto& a, auto& b) { return z3::ugt(a, b); }},
        {"bvsle", [](auto& a, auto& b) { return a <= b; }},
        {"bvslt", [](auto& a, auto& b) { return a < b; }},
        {"bvsge", [](auto& a, auto& b) { return a >= b; }},
        {"bvsgt", [](auto& a, auto& b) { return a > b; }},
        {"concat", [](auto& a, auto& b) { return z3::concat(a, b); }},
    };
    for (const unsigned width : {1u, 7u, 8u, 16u, 31u, 32u, 64u}) {
        const std::vector<uint64_t> values = edge_values(width);
        for (const auto& [name, make] : operators) {
            const bool fits = name != "concat" || 2 * width <= 64;
            for (const uint64_t a : values) {
                for (const uint64_t b : values) {
                    const z3::expr term = make(z3.bv_val(a, width), z3.bv_val(b, width));
                    expect_same_as_z3(term, name + " width " + std::to_string(width), fits);
                }
            }
        }
    }
}

TEST(LiteralFold, DivisionAgreesWithZ3AndLeavesDivisionByZeroToIt) {
    z3::context z3;
    for (const unsigned width : {8u, 32u, 64u}) {
        for (const uint64_t a : edge_values(width)) {
            for (const uint64_t b : edge_values(width)) {
                const z3::expr x = z3.bv_val(a, width);
                const z3::expr y = z3.bv_val(b, width);
                expect_same_as_z3(z3::udiv(x, y), "bvudiv", b != 0);
                expect_same_as_z3(z3::urem(x, y), "bvurem", b != 0);
            }
        }
    }
}

TEST(LiteralFold, UnaryOperatorsExtensionsAndExtractsAgreeWithZ3) {
    z3::context z3;
    const std::vector<std::pair<std::string, Unary>> operators{
        {"bvneg", [](auto& a) { return -a; }},
        {"bvnot", [](auto& a) { return ~a; }},
        {"extract low byte",
         [](auto& a) { return a.extract(std::min(7u, a.get_sort().bv_size() - 1), 0); }},
        {"extract top bit",
         [](auto& a) {
             const unsigned top = a.get_sort().bv_size() - 1;
             return a.extract(top, top);
         }},
        {"zero_extend", [](auto& a) { return z3::zext(a, 64 - a.get_sort().bv_size()); }},
        {"sign_extend", [](auto& a) { return z3::sext(a, 64 - a.get_sort().bv_size()); }},
    };
    for (const unsigned width : {1u, 8u, 30u, 32u, 63u}) {
        for (const uint64_t a : edge_values(width)) {
            for (const auto& [name, make] : operators) {
                expect_same_as_z3(make(z3.bv_val(a, width)),
                                  name + " width " + std::to_string(width));
            }
        }
    }
}

TEST(LiteralFold, BooleansAndIteTakeOnlyTheBranchTheyChoose) {
    z3::context z3;
    const z3::expr t = z3.bool_val(true);
    const z3::expr f = z3.bool_val(false);
    for (const z3::expr& a : {t, f}) {
        for (const z3::expr& b : {t, f}) {
            expect_same_as_z3(!a, "not");
            expect_same_as_z3(a && b, "and");
            expect_same_as_z3(a || b, "or");
            expect_same_as_z3(a == b, "iff");
            expect_same_as_z3(z3::implies(a, b), "implies");
            expect_same_as_z3(a ^ b, "xor");
            expect_same_as_z3(z3::ite(a, z3.bv_val(5, 8), z3.bv_val(9, 8)), "ite");
        }
    }
    // A branch not taken may be anything; the one taken decides.
    const z3::expr x = z3.bv_const("x", 32);
    const z3::expr chosen = z3::ite(z3.bv_val(3, 8) == z3.bv_val(3, 8), z3.bv_val(7, 32), x);
    expect_same_as_z3(chosen, "ite past a symbolic branch");
    // A nested term of numerals, as the encoder's byte addressing makes one.
    const z3::expr at = z3.bv_val(0x10000006u, 32);
    expect_same_as_z3(z3::zext((at & z3.bv_val(3, 32)).extract(1, 0), 30) * z3.bv_val(8, 32),
                      "byte shift of a numeral address");
}

TEST(LiteralFold, TermsWithASymbolOrWiderThan64BitsAreLeftToZ3) {
    z3::context z3;
    const z3::expr x = z3.bv_const("x", 32);
    EXPECT_FALSE(evaluate_literal(x + z3.bv_val(1, 32)));
    EXPECT_FALSE(evaluate_literal(z3::ite(x == z3.bv_val(0, 32), z3.bv_val(1, 32), x)));
    const z3::expr wide = z3.bv_val(1, 128);
    EXPECT_FALSE(evaluate_literal(wide + wide));
    EXPECT_FALSE(evaluate_literal(z3::concat(z3.bv_val(1, 64), z3.bv_val(1, 64))));
}

} // namespace
