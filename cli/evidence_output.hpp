// What every subcommand that writes Evidence shares: the tool versions it starts from, and the
// atomic write of the canonical JSON.
#pragma once

#include <clockwork/reports/evidence.hpp>

#include <optional>
#include <string>
#include <variant>

namespace clockwork::cli {

// An Evidence document that names this clockwork and the LLVM and Z3 it links.
reports::Evidence new_evidence();

// The SHA-256 of a file's bytes, lower-case hex; nullopt when it cannot be read.
std::optional<std::string> file_sha256(const std::string& path);

// Reads and parses an Evidence JSON document. The error names the file: unreadable, or not
// Evidence (with the JSON pointer of the offending key).
std::variant<reports::Evidence, std::string> read_evidence(const std::string& path);

// Decides the verdict and writes the canonical JSON to path through a temporary file. Returns
// kExitPass, or a usage error naming verb and path when the file cannot be written.
int write_evidence(const std::string& verb, const std::string& path, reports::Evidence& evidence);

} // namespace clockwork::cli
