// Deciding the properties of an encoded harness: each cw_assert name is one property, each
// loop bound another. Vacuity is part of every verdict: contradictory assumptions, or an
// assertion no input reaches, make the property vacuous instead of proven.
#pragma once

#include "encoding.hpp"

#include <clockwork/reports/evidence.hpp>

#include <optional>
#include <string>
#include <vector>

namespace clockwork::verifier {

struct PropertyResult {
    std::string property;
    SourceLine where;
    reports::ProofStatus status = reports::ProofStatus::unknown;
    // unknown: the solver's reason; vacuous: what is unreachable; refuted
    // no-undefined-arithmetic-or-control: which condition holds where ("add nsw overflows at
    // heap.cpp:212")
    std::string reason;
    std::optional<reports::Counterexample> counterexample;
    double seconds = 0;
};

struct CheckOptions {
    unsigned timeout_ms = 60000; // per solver query
};

std::vector<PropertyResult> check_properties(z3::context& z3, const Encoding& encoding,
                                             const CheckOptions& options);

} // namespace clockwork::verifier
