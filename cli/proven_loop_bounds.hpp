// The loop bounds a `clockwork verify` Evidence document proves, for the analyzer to mark
// proven: every proof whose status is proven and whose property reads
// "loop-bound <file>:<line> <= <n>".
#pragma once

#include <clockwork/analyzer/analysis.hpp>

#include <string>
#include <variant>
#include <vector>

namespace clockwork::cli {

// An error names the file: unreadable, not Evidence, or a loop-bound property it cannot read.
std::variant<std::vector<analyzer::AnalysisOptions::ProvenLoopBound>, std::string>
read_proven_loop_bounds(const std::string& evidence_path);

} // namespace clockwork::cli
