// One solver query of the verifier, with the tactic every property check uses.
#pragma once
#include <z3++.h>

#include <optional>
#include <string>

namespace clockwork::verifier {

struct Query {
    z3::check_result result = z3::unknown;
    std::string reason;             // unknown: the solver's reason
    std::optional<z3::model> model; // sat: the model
};

// Memory is an array only where a read's address is symbolic; Ackermann reduction turns those
// reads into bit-vectors and the whole query is then bit-blasted. On the heap's queries this is
// one to two orders of magnitude faster than Z3's default combination.
Query solve(z3::context& z3, unsigned timeout_ms, const z3::expr& formula);

} // namespace clockwork::verifier
