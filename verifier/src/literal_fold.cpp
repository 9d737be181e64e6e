#include "literal_fold.hpp"

#include <cstdint>
#include <vector>

namespace clockwork::verifier {
namespace {

// A bit-vector of `width` bits (at most 64), or a Boolean when `width` is 0.
struct Literal {
    uint64_t bits = 0;
    unsigned width = 0;
};

// Deeper terms are left to Z3: the encoder folds terms one operator deep.
constexpr unsigned kDepthLimit = 32;

uint64_t mask(unsigned width) {
    return width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
}

int64_t as_signed(uint64_t bits, unsigned width) {
    const uint64_t sign = uint64_t{1} << (width - 1);
    return static_cast<int64_t>((bits ^ sign) - sign);
}

unsigned decl_parameter(const z3::expr& e, unsigned i) {
    return static_cast<unsigned>(Z3_get_decl_int_parameter(e.ctx(), e.decl(), i));
}

std::optional<Literal> evaluate(const z3::expr& e, unsigned depth);

std::optional<std::vector<Literal>> evaluate_arguments(const z3::expr& e, unsigned depth) {
    std::vector<Literal> arguments;
    arguments.reserve(e.num_args());
    for (unsigned i = 0; i < e.num_args(); ++i) {
        auto argument = evaluate(e.arg(i), depth + 1);
        if (!argument) {
            return std::nullopt;
        }
        arguments.push_back(*argument);
    }
    return arguments;
}

std::optional<Literal> comparison(Z3_decl_kind kind, const Literal& a, const Literal& b) {
    const int64_t sa = as_signed(a.bits, a.width);
    const int64_t sb = as_signed(b.bits, b.width);
    bool holds = false;
    switch (kind) {
    case Z3_OP_ULEQ:
        holds = a.bits <= b.bits;
        break;
    case Z3_OP_ULT:
        holds = a.bits < b.bits;
        break;
    case Z3_OP_UGEQ:
        holds = a.bits >= b.bits;
        break;
    case Z3_OP_UGT:
        holds = a.bits > b.bits;
        break;
    case Z3_OP_SLEQ:
        holds = sa <= sb;
        break;
    case Z3_OP_SLT:
        holds = sa < sb;
        break;
    case Z3_OP_SGEQ:
        holds = sa >= sb;
        break;
    case Z3_OP_SGT:
        holds = sa > sb;
        break;
    default:
        return std::nullopt;
    }
    return Literal{holds ? 1u : 0u, 0};
}

// An operator over bit-vectors of the result's width.
std::optional<uint64_t> arithmetic(Z3_decl_kind kind, const std::vector<Literal>& v,
                                   unsigned width) {
    const uint64_t all = mask(width);
    uint64_t r = v.empty() ? 0 : v[0].bits;
    switch (kind) {
    case Z3_OP_BADD:
        for (size_t i = 1; i < v.size(); ++i) {
            r += v[i].bits;
        }
        return r & all;
    case Z3_OP_BMUL:
        for (size_t i = 1; i < v.size(); ++i) {
            r *= v[i].bits;
        }
        return r & all;
    case Z3_OP_BAND:
        for (size_t i = 1; i < v.size(); ++i) {
            r &= v[i].bits;
        }
        return r;
    case Z3_OP_BOR:
        for (size_t i = 1; i < v.size(); ++i) {
            r |= v[i].bits;
        }
        return r;
    case Z3_OP_BXOR:
        for (size_t i = 1; i < v.size(); ++i) {
            r ^= v[i].bits;
        }
        return r;
    default:
        break;
    }
    if (v.size() == 1) {
        switch (kind) {
        case Z3_OP_BNEG:
            return (~r + 1) & all;
        case Z3_OP_BNOT:
            return ~r & all;
        default:
            return std::nullopt;
        }
    }
    if (v.size() != 2) {
        return std::nullopt;
    }
    const uint64_t a = v[0].bits;
    const uint64_t b = v[1].bits;
    switch (kind) {
    case Z3_OP_BSUB:
        return (a - b) & all;
    case Z3_OP_BSHL:
        return b >= width ? 0 : (a << b) & all;
    case Z3_OP_BLSHR:
        return b >= width ? 0 : a >> b;
    case Z3_OP_BASHR: {
        const int64_t s = as_signed(a, width);
        return static_cast<uint64_t>(b >= width ? (s < 0 ? -1 : 0) : s >> b) & all;
    }
    // Division by zero is left to Z3, which defines it one way for bvudiv and leaves it open for
    // the internal forms.
    case Z3_OP_BUDIV:
    case Z3_OP_BUDIV_I:
        if (b == 0) {
            return std::nullopt;
        }
        return a / b;
    case Z3_OP_BUREM:
    case Z3_OP_BUREM_I:
        if (b == 0) {
            return std::nullopt;
        }
        return a % b;
    default:
        return std::nullopt;
    }
}

std::optional<Literal> evaluate(const z3::expr& e, unsigned depth) {
    if (e.is_true()) {
        return Literal{1, 0};
    }
    if (e.is_false()) {
        return Literal{0, 0};
    }
    if (depth > kDepthLimit || !(e.is_bool() || e.is_bv())) {
        return std::nullopt;
    }
    const unsigned width = e.is_bv() ? e.get_sort().bv_size() : 0;
    if (width > 64) {
        return std::nullopt;
    }
    if (e.is_numeral()) {
        uint64_t bits = 0;
        if (!e.is_numeral_u64(bits)) {
            return std::nullopt;
        }
        return Literal{bits, width};
    }
    if (!e.is_app()) {
        return std::nullopt;
    }
    const Z3_decl_kind kind = e.decl().decl_kind();
    if (kind == Z3_OP_ITE) { // only the branch taken needs to be a literal
        auto condition = evaluate(e.arg(0), depth + 1);
        if (!condition) {
            return std::nullopt;
        }
        return evaluate(e.arg(condition->bits != 0 ? 1 : 2), depth + 1);
    }
    auto arguments = evaluate_arguments(e, depth);
    if (!arguments || arguments->empty()) {
        return std::nullopt;
    }
    const std::vector<Literal>& v = *arguments;
    switch (kind) {
    case Z3_OP_EQ:
    case Z3_OP_IFF:
        if (v.size() != 2) {
            return std::nullopt;
        }
        return Literal{v[0].bits == v[1].bits ? 1u : 0u, 0};
    case Z3_OP_DISTINCT:
        for (size_t i = 0; i < v.size(); ++i) {
            for (size_t j = i + 1; j < v.size(); ++j) {
                if (v[i].bits == v[j].bits) {
                    return Literal{0, 0};
                }
            }
        }
        return Literal{1, 0};
    case Z3_OP_NOT:
        return Literal{v[0].bits == 0 ? 1u : 0u, 0};
    case Z3_OP_AND:
    case Z3_OP_OR: {
        bool all = true;
        bool any = false;
        for (const Literal& x : v) {
            all = all && x.bits != 0;
            any = any || x.bits != 0;
        }
        return Literal{(kind == Z3_OP_AND ? all : any) ? 1u : 0u, 0};
    }
    case Z3_OP_XOR: {
        uint64_t parity = 0;
        for (const Literal& x : v) {
            parity ^= x.bits != 0 ? 1u : 0u;
        }
        return Literal{parity, 0};
    }
    case Z3_OP_IMPLIES:
        if (v.size() != 2) {
            return std::nullopt;
        }
        return Literal{v[0].bits == 0 || v[1].bits != 0 ? 1u : 0u, 0};
    case Z3_OP_ULEQ:
    case Z3_OP_ULT:
    case Z3_OP_UGEQ:
    case Z3_OP_UGT:
    case Z3_OP_SLEQ:
    case Z3_OP_SLT:
    case Z3_OP_SGEQ:
    case Z3_OP_SGT:
        if (v.size() != 2 || v[0].width == 0) {
            return std::nullopt;
        }
        return comparison(kind, v[0], v[1]);
    case Z3_OP_EXTRACT: {
        const unsigned low = decl_parameter(e, 1);
        return Literal{(v[0].bits >> low) & mask(width), width};
    }
    case Z3_OP_CONCAT: {
        uint64_t bits = 0;
        for (const Literal& x : v) {
            bits = (x.width >= 64 ? 0 : bits << x.width) | x.bits;
        }
        return Literal{bits, width};
    }
    case Z3_OP_ZERO_EXT:
        return Literal{v[0].bits, width};
    case Z3_OP_SIGN_EXT:
        return Literal{static_cast<uint64_t>(as_signed(v[0].bits, v[0].width)) & mask(width),
                       width};
    default:
        break;
    }
    if (width == 0) {
        return std::nullopt;
    }
    auto bits = arithmetic(kind, v, width);
    if (!bits) {
        return std::nullopt;
    }
    return Literal{*bits, width};
}

} // namespace

std::optional<z3::expr> evaluate_literal(const z3::expr& e) {
    auto value = evaluate(e, 0);
    if (!value) {
        return std::nullopt;
    }
    if (value->width == 0) {
        return e.ctx().bool_val(value->bits != 0);
    }
    return e.ctx().bv_val(value->bits, value->width);
}

} // namespace clockwork::verifier
