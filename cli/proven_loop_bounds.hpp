// The loop bounds a `clockwork verify` Evidence document proves, for the analyzer to mark
// proven: every proof whose status is proven, whose property reads
// "loop-bound <file>:<line> <= <n>", and that was made on the IR of the analysed target (and,
// where the caller knows it, of the analysed allocator configuration): a trip count depends on
// the widths of size_t and on the configuration's constants, so a proof carries over to no
// other.
#pragma once

#include <clockwork/analyzer/analysis.hpp>

#include <string>
#include <variant>
#include <vector>

namespace clockwork::cli {

// `evidence` was read from evidence_path, which errors name: a verification that did not pass
// (none of its proofs is used), or a loop-bound property it cannot read.
std::variant<std::vector<analyzer::AnalysisOptions::ProvenLoopBound>, std::string>
proven_loop_bounds(const reports::Evidence& evidence, const std::string& evidence_path,
                   const std::string& target, const std::string& allocator = "");

} // namespace clockwork::cli
