// A model of a formula, carried from the process that found it to the one that asked: the values
// of the formula's uninterpreted constants, and of each of its reads of an uninterpreted array.
// Both processes hold the same formula (the asking one forked the other), so a constant is named
// by its place in a walk of the formula, never by text that a symbol name could break.
#pragma once
#include <z3++.h>

#include <optional>
#include <string>
#include <string_view>

namespace clockwork::verifier {

std::string serialize_model(const z3::model& model, const z3::expr& formula);

// The model the text describes, or nothing when it is malformed or does not satisfy `formula`.
std::optional<z3::model> rebuild_model(z3::context& z3, const z3::expr& formula,
                                       std::string_view text);

} // namespace clockwork::verifier
