// Constant folding without Z3's rewriter. A harness that runs on concrete values (a sequence of
// calls on a fixed arena) computes almost every instruction on numerals, and Z3_simplify sets up
// a rewriter for each such term: about a third of encoding release_sequences.cpp went there.
#pragma once

#include <z3++.h>

#include <optional>

namespace clockwork::verifier {

// The numeral, true or false that `e` equals, when every leaf of `e` is one and every operator
// in it is one this evaluates (bit-vector arithmetic, bitwise and shift operators, comparisons,
// extract, concat and extensions up to 64 bits; not, and, or, xor, = and ite); nothing
// otherwise, and the caller asks Z3. The result is the term Z3_simplify would give.
std::optional<z3::expr> evaluate_literal(const z3::expr& e);

} // namespace clockwork::verifier
