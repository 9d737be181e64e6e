#include <clockwork/verifier/intervals.hpp>

#include <algorithm>
#include <vector>

namespace clockwork::verifier {

namespace {

uint64_t max_of(unsigned bits) {
    return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
}

Interval full(unsigned bits) {
    return {0, max_of(bits)};
}

// a + b, or the whole range when the sum may wrap past `bits`.
Interval add(const Interval& a, const Interval& b, unsigned bits) {
    const uint64_t top = max_of(bits);
    if (a.high > top - b.high) {
        return full(bits);
    }
    return {a.low + b.low, a.high + b.high};
}

Interval multiply(const Interval& a, uint64_t factor, unsigned bits) {
    if (factor == 0) {
        return {0, 0};
    }
    if (a.high > max_of(bits) / factor) {
        return full(bits);
    }
    return {a.low * factor, a.high * factor};
}

} // namespace

Interval Intervals::of(const z3::expr& term) {
    // Iterative post-order: address terms nest sums and ites hundreds deep.
    std::vector<z3::expr> stack{term};
    while (!stack.empty()) {
        const z3::expr node = stack.back();
        if (memo_.count(node.id()) != 0) {
            stack.pop_back();
            continue;
        }
        bool pending = false;
        if (node.is_app() && node.get_sort().is_bv() && node.get_sort().bv_size() <= 64) {
            for (unsigned i = 0; i < node.num_args(); ++i) {
                const z3::expr arg = node.arg(i);
                if (arg.get_sort().is_bv() && memo_.count(arg.id()) == 0) {
                    stack.push_back(arg);
                    pending = true;
                }
            }
        }
        if (pending) {
            continue;
        }
        memo_.emplace(node.id(), std::make_pair(node, compute(node)));
        stack.pop_back();
    }
    return known(term);
}

Interval Intervals::compute(const z3::expr& term) {
    if (!term.get_sort().is_bv() || term.get_sort().bv_size() > 64) {
        return {0, ~uint64_t{0}};
    }
    const unsigned bits = term.get_sort().bv_size();
    uint64_t value = 0;
    if (term.is_numeral_u64(value)) {
        return {value, value};
    }
    if (!term.is_app()) {
        return full(bits);
    }
    auto arg = [&](unsigned i) { return known(term.arg(i)); };
    switch (term.decl().decl_kind()) {
    case Z3_OP_BADD: {
        Interval sum = arg(0);
        for (unsigned i = 1; i < term.num_args(); ++i) {
            sum = add(sum, arg(i), bits);
        }
        return sum;
    }
    case Z3_OP_BMUL: {
        if (term.num_args() != 2) {
            return full(bits);
        }
        uint64_t factor = 0;
        if (term.arg(0).is_numeral_u64(factor)) {
            return multiply(arg(1), factor, bits);
        }
        if (term.arg(1).is_numeral_u64(factor)) {
            return multiply(arg(0), factor, bits);
        }
        return full(bits);
    }
    case Z3_OP_ZERO_EXT:
        return arg(0);
    case Z3_OP_CONCAT: {
        // High parts that are zero: a zero extension written as a concatenation.
        const Interval low = arg(term.num_args() - 1);
        for (unsigned i = 0; i + 1 < term.num_args(); ++i) {
            const Interval part = arg(i);
            if (part.high != 0) {
                return full(bits);
            }
        }
        return low;
    }
    case Z3_OP_EXTRACT: {
        const unsigned high_bit = Z3_get_decl_int_parameter(term.ctx(), term.decl(), 0);
        const unsigned low_bit = Z3_get_decl_int_parameter(term.ctx(), term.decl(), 1);
        const Interval whole = arg(0);
        if (low_bit == 0 && whole.high <= max_of(high_bit + 1)) {
            return whole;
        }
        if (low_bit < 64 && (whole.high >> low_bit) <= max_of(bits)) {
            return {whole.low >> low_bit, whole.high >> low_bit};
        }
        return full(bits);
    }
    case Z3_OP_BAND: {
        uint64_t high = max_of(bits);
        for (unsigned i = 0; i < term.num_args(); ++i) {
            high = std::min(high, arg(i).high);
        }
        return {0, high};
    }
    case Z3_OP_BLSHR: {
        uint64_t shift = 0;
        if (!term.arg(1).is_numeral_u64(shift) || shift >= bits) {
            return {0, arg(0).high};
        }
        return {arg(0).low >> shift, arg(0).high >> shift};
    }
    case Z3_OP_BSHL: {
        uint64_t shift = 0;
        if (!term.arg(1).is_numeral_u64(shift) || shift >= 64) {
            return full(bits);
        }
        return multiply(arg(0), uint64_t{1} << shift, bits);
    }
    case Z3_OP_BUDIV:
    case Z3_OP_BUDIV_I: {
        // x / 0 is all ones in SMT-LIB: a divisor that may be 0 leaves the whole range.
        const Interval divisor = arg(1);
        if (divisor.low == 0) {
            return full(bits);
        }
        return {arg(0).low / divisor.high, arg(0).high / divisor.low};
    }
    case Z3_OP_BUREM:
    case Z3_OP_BUREM_I: {
        // x % 0 is x in SMT-LIB; otherwise below the divisor. Never above x.
        const Interval divisor = arg(1);
        if (divisor.low == 0) {
            return {0, arg(0).high};
        }
        return {0, std::min(arg(0).high, divisor.high - 1)};
    }
    case Z3_OP_ITE: {
        const Interval a = arg(1);
        const Interval b = arg(2);
        return {std::min(a.low, b.low), std::max(a.high, b.high)};
    }
    default:
        return full(bits);
    }
}

bool Intervals::may_equal(const z3::expr& a, const z3::expr& b) {
    const Interval x = of(a);
    const Interval y = of(b);
    return x.low <= y.high && y.low <= x.high;
}

} // namespace clockwork::verifier
