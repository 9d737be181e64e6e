#include "evidence_output.hpp"

#include "exit_codes.hpp"
#include "version.hpp"

#include <clockwork/reports/atomic_file.hpp>
#include <clockwork/reports/evidence_json.hpp>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SHA256.h>

namespace clockwork::cli {

reports::Evidence new_evidence() {
    reports::Evidence evidence;
    evidence.tools = {version_line(), llvm_version(), z3_version()};
    return evidence;
}

std::optional<std::string> file_sha256(const std::string& path) {
    auto bytes = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    if (!bytes) {
        return std::nullopt;
    }
    llvm::SHA256 hash;
    hash.update((*bytes)->getBuffer());
    return llvm::toHex(hash.final(), /*LowerCase=*/true);
}

std::variant<reports::Evidence, std::string> read_evidence(const std::string& path) {
    auto bytes = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!bytes) {
        return path + ": error: cannot read the file (" + bytes.getError().message() + ")";
    }
    auto parsed = reports::parse_evidence((*bytes)->getBuffer().str());
    if (const auto* error = std::get_if<reports::ParseError>(&parsed)) {
        return path + ": error: " + error->message;
    }
    return std::get<reports::Evidence>(std::move(parsed));
}

int write_evidence(const std::string& verb, const std::string& path, reports::Evidence& evidence) {
    evidence.verdict = reports::decide_verdict(evidence);
    const std::string failure =
        reports::write_file_atomically(path, reports::to_canonical_json(evidence));
    if (!failure.empty()) {
        return usage_error(verb, failure, "check that the directory exists and is writable");
    }
    return kExitPass;
}

} // namespace clockwork::cli
