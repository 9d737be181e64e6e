// The loop bounds a `clockwork verify` Evidence document proves, for the analyzer to mark
// proven: every proof whose status is proven and whose property reads
// "loop-bound <file>:<line> <= <n>".
#pragma once

#include <clockwork/analyzer/analysis.hpp>

#include <string>
#include <variant>
#include <vector>

namespace clockwork::cli {

// `evidence` was read from evidence_path, which errors name: a verification that did not pass
// (none of its proofs is used), or a loop-bound property it cannot read.
std::variant<std::vector<analyzer::AnalysisOptions::ProvenLoopBound>, std::string>
proven_loop_bounds(const reports::Evidence& evidence, const std::string& evidence_path);

} // namespace clockwork::cli
