#include "proven_loop_bounds.hpp"

#include <clockwork/reports/evidence_json.hpp>

#include <llvm/ADT/StringRef.h>

#include <fstream>
#include <set>
#include <sstream>

namespace clockwork::cli {

std::variant<std::vector<analyzer::AnalysisOptions::ProvenLoopBound>, std::string>
read_proven_loop_bounds(const std::string& evidence_path) {
    std::ifstream file(evidence_path, std::ios::binary);
    if (!file) {
        return evidence_path + ": error: cannot read the proofs; note: pass the Evidence JSON "
                               "that clockwork verify --json wrote";
    }
    std::ostringstream text;
    text << file.rdbuf();
    auto parsed = reports::parse_evidence(text.str());
    if (const auto* error = std::get_if<reports::ParseError>(&parsed)) {
        return evidence_path + ": error: " + error->message;
    }
    const reports::Evidence& evidence = std::get<reports::Evidence>(parsed);
    if (evidence.verdict != reports::Verdict::pass) {
        return evidence_path + ": error: the verification did not pass (verdict " +
               (evidence.verdict == reports::Verdict::unsound ? "unsound" : "not pass") +
               "), so none of its proofs is used; note: fix the refuted or vacuous properties "
               "and verify again";
    }
    // A property that any harness failed to prove is not proven, whatever another says.
    std::set<std::string> doubted;
    for (const reports::Proof& proof : evidence.proofs) {
        if (proof.status != reports::ProofStatus::proven) {
            doubted.insert(proof.property);
        }
    }
    std::vector<analyzer::AnalysisOptions::ProvenLoopBound> proven;
    for (const reports::Proof& proof : evidence.proofs) {
        llvm::StringRef property = proof.property;
        if (proof.status != reports::ProofStatus::proven || doubted.count(proof.property) != 0 ||
            !property.consume_front("loop-bound ")) {
            continue;
        }
        // "<file>:<line> <= <n>"; the file may itself hold ':'.
        const auto [where, bound_text] = property.split(" <= ");
        const size_t colon = where.rfind(':');
        analyzer::AnalysisOptions::ProvenLoopBound bound;
        bound.property =
            proof.property + ", harness " + proof.harness +
            (proof.scope_blocks > 0
                 ? ", symbolic heap of " + std::to_string(proof.scope_blocks) + " blocks"
                 : "");
        bound.file = where.substr(0, colon).str();
        if (colon == llvm::StringRef::npos ||
            where.substr(colon + 1).getAsInteger(10, bound.line) ||
            bound_text.getAsInteger(10, bound.bound)) {
            return evidence_path + ": error: the proven property '" + proof.property +
                   "' is no loop bound of the form 'loop-bound FILE:LINE <= N'";
        }
        proven.push_back(std::move(bound));
    }
    return proven;
}

} // namespace clockwork::cli
