// The canonical JSON form of the Evidence: keys sorted, arrays in a fixed order, no times.
// The same Evidence always serialises to the same bytes.
#pragma once

#include <clockwork/reports/evidence.hpp>

#include <string>
#include <variant>

namespace clockwork::reports {

inline constexpr const char* kEvidenceSchema = "clockwork.evidence/1";

// Sorts every list by its natural key (target, function, metric, ...), so that the order in
// which producers appended entries does not change the document.
void canonicalize(Evidence& evidence);

// Canonical text: canonicalize()d, two-space indented, with a trailing newline.
std::string to_canonical_json(Evidence evidence);

// The times of a run, beside its Evidence: {"schema": "clockwork.run/1", "seconds": {step:
// seconds}, "host": ...}, keys sorted; "host" only when known.
std::string run_info_json(const RunInfo& run);

struct ParseError {
    std::string message; // names the JSON pointer of the offending key
};

// Reads a document written by to_canonical_json. Unknown schema, a missing or mistyped key
// gives a ParseError naming the key's JSON pointer (e.g. "/bounds/0/value").
std::variant<Evidence, ParseError> parse_evidence(const std::string& text);

} // namespace clockwork::reports
