#include "proven_loop_bounds.hpp"

#include <llvm/ADT/StringRef.h>

#include <set>

namespace clockwork::cli {

std::variant<std::vector<analyzer::AnalysisOptions::ProvenLoopBound>, std::string>
proven_loop_bounds(const reports::Evidence& evidence, const std::string& evidence_path,
                   const std::string& target, const std::string& allocator) {
    if (evidence.verdict != reports::Verdict::pass) {
        return evidence_path + ": error: the verification did not pass (verdict " +
               (evidence.verdict == reports::Verdict::unsound ? "unsound" : "not pass") +
               "), so none of its proofs is used; note: fix the refuted or vacuous properties "
               "and verify again";
    }
    for (const reports::Proof& proof : evidence.proofs) {
        if (proof.target.empty() && llvm::StringRef(proof.property).starts_with("loop-bound ")) {
            return evidence_path + ": error: the proof of '" + proof.property +
                   "' names no target, so it cannot say which image it holds for (written "
                   "before proofs recorded their target); note: run clockwork verify again";
        }
    }
    const auto applies = [&](const reports::Proof& proof) {
        return proof.target == target && (allocator.empty() || proof.allocator == allocator);
    };
    // A property that any harness failed to prove is not proven, whatever another says.
    std::set<std::string> doubted;
    for (const reports::Proof& proof : evidence.proofs) {
        if (applies(proof) && proof.status != reports::ProofStatus::proven) {
            doubted.insert(proof.property);
        }
    }
    std::vector<analyzer::AnalysisOptions::ProvenLoopBound> proven;
    for (const reports::Proof& proof : evidence.proofs) {
        llvm::StringRef property = proof.property;
        if (!applies(proof) || proof.status != reports::ProofStatus::proven ||
            doubted.count(proof.property) != 0 || !property.consume_front("loop-bound ")) {
            continue;
        }
        // "<file>:<line> <= <n>"; the file may itself hold ':'.
        const auto [where, bound_text] = property.split(" <= ");
        const size_t colon = where.rfind(':');
        analyzer::AnalysisOptions::ProvenLoopBound bound;
        bound.property =
            proof.property + ", harness " + proof.harness + ", " + proof.target + " IR" +
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
