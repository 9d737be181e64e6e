#include "model_transfer.hpp"

#include <map>
#include <sstream>
#include <unordered_set>
#include <vector>

namespace clockwork::verifier {
namespace {

bool is_constant(const z3::expr& e) {
    return e.is_app() && e.num_args() == 0 && e.decl().decl_kind() == Z3_OP_UNINTERPRETED;
}

// The formula's uninterpreted constants and its reads of uninterpreted arrays, in the order of
// one walk of the formula: the same in every process that holds the same terms.
struct Leaves {
    std::vector<z3::expr> constants; // not of array sort
    std::vector<z3::expr> arrays;
    std::vector<z3::expr> reads; // select(array constant, index)
};

Leaves leaves_of(const z3::expr& formula) {
    Leaves leaves;
    std::unordered_set<unsigned> seen;
    std::vector<z3::expr> stack{formula};
    while (!stack.empty()) {
        const z3::expr e = stack.back();
        stack.pop_back();
        if (!e.is_app() || !seen.insert(e.id()).second) {
            continue;
        }
        if (is_constant(e)) {
            (e.get_sort().is_array() ? leaves.arrays : leaves.constants).push_back(e);
            continue;
        }
        if (e.decl().decl_kind() == Z3_OP_SELECT && is_constant(e.arg(0))) {
            leaves.reads.push_back(e);
        }
        for (unsigned i = e.num_args(); i > 0; --i) {
            stack.push_back(e.arg(i - 1));
        }
    }
    return leaves;
}

// A numeral's digits, or a Boolean as 1 or 0; empty for any other value.
std::string value_text(const z3::expr& value) {
    if (value.is_true() || value.is_false()) {
        return value.is_true() ? "1" : "0";
    }
    if (value.is_numeral()) {
        return Z3_get_numeral_string(value.ctx(), value);
    }
    return {};
}

std::optional<z3::expr> value_of(z3::context& z3, const z3::sort& sort, const std::string& text) {
    if (sort.is_bool() && (text == "1" || text == "0")) {
        return z3.bool_val(text == "1");
    }
    if (sort.is_bv() && !text.empty() &&
        text.find_first_not_of("0123456789") == std::string::npos) {
        return z3.bv_val(text.c_str(), sort.bv_size());
    }
    return std::nullopt;
}

} // namespace

std::string serialize_model(const z3::model& model, const z3::expr& formula) {
    const Leaves leaves = leaves_of(formula);
    std::ostringstream out;
    for (size_t i = 0; i < leaves.constants.size(); ++i) {
        out << "c " << i << ' ' << value_text(model.eval(leaves.constants[i], true)) << '\n';
    }
    for (size_t i = 0; i < leaves.reads.size(); ++i) {
        out << "r " << i << ' ' << value_text(model.eval(leaves.reads[i].arg(1), true)) << ' '
            << value_text(model.eval(leaves.reads[i], true)) << '\n';
    }
    return out.str();
}

std::optional<z3::model> rebuild_model(z3::context& z3, const z3::expr& formula,
                                       std::string_view text) {
    const Leaves leaves = leaves_of(formula);
    z3::model model(z3);
    std::map<unsigned, z3::expr> array_values; // array constant id -> its stores so far
    for (const z3::expr& array : leaves.arrays) {
        const z3::sort range = array.get_sort().array_range();
        auto zero = value_of(z3, range, "0");
        if (!zero) {
            return std::nullopt;
        }
        array_values.emplace(array.id(), z3::const_array(array.get_sort().array_domain(), *zero));
    }
    std::istringstream in{std::string(text)};
    std::string kind;
    size_t i = 0;
    while (in >> kind >> i) {
        if (kind == "c") {
            std::string value;
            in >> value;
            if (i >= leaves.constants.size()) {
                return std::nullopt;
            }
            z3::expr constant = leaves.constants[i];
            auto v = value_of(z3, constant.get_sort(), value);
            if (!v) {
                return std::nullopt;
            }
            z3::func_decl decl = constant.decl();
            model.add_const_interp(decl, *v);
        } else if (kind == "r") {
            std::string index_text, value;
            in >> index_text >> value;
            if (i >= leaves.reads.size()) {
                return std::nullopt;
            }
            const z3::expr& read = leaves.reads[i];
            auto index = value_of(z3, read.arg(1).get_sort(), index_text);
            auto v = value_of(z3, read.get_sort(), value);
            if (!index || !v) {
                return std::nullopt;
            }
            z3::expr& stores = array_values.at(read.arg(0).id());
            stores = z3::store(stores, *index, *v);
        } else {
            return std::nullopt;
        }
    }
    for (const z3::expr& array : leaves.arrays) {
        z3::func_decl decl = array.decl();
        model.add_const_interp(decl, array_values.at(array.id()));
    }
    // Whatever went wrong on the way, a model that does not satisfy the formula is no model.
    if (!model.eval(formula, true).is_true()) {
        return std::nullopt;
    }
    return model;
}

} // namespace clockwork::verifier
