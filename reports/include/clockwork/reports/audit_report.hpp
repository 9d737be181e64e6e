// The audit views of an Evidence document, for an assessor rather than a CI system: the verdict,
// every bound against its budget and its measurements, why each bound is what it is (worst
// path, loop bounds with their provenance, timing-model parameters, assumptions), the proofs,
// and the witnesses. Markdown and a self-contained HTML page (no script, no external resource)
// render the same content; both are deterministic functions of the Evidence.
#pragma once

#include <clockwork/reports/evidence.hpp>

#include <string>

namespace clockwork::reports {

std::string to_markdown(const Evidence& evidence);
std::string to_html(const Evidence& evidence);

} // namespace clockwork::reports
