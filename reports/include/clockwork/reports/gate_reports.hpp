// The CI views of an Evidence document: JUnit XML (one test case per target x function x
// metric: bound within budget, and every measurement within the bound) and a SARIF 2.1.0 log of
// the violations, for code-scanning dashboards.
#pragma once

#include <clockwork/reports/evidence.hpp>

#include <string>

namespace clockwork::reports {

std::string to_junit_xml(const Evidence& evidence);
std::string to_sarif(const Evidence& evidence);

} // namespace clockwork::reports
