// clockwork verify as a library: one harness, compiled with the allocator, encoded and checked.
#pragma once

#include "check.hpp"

#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace clockwork::verifier {

struct VerifyOptions {
    std::string clang;                          // clang++-19
    std::string target = "rv32imc";             // an encoding target (compile.hpp)
    std::vector<std::string> allocator_sources; // alloc/src/heap.cpp
    std::vector<std::string> include_dirs;      // alloc/include, verifier/harnesses/include
    std::string entry = "cw_harness";
    CheckOptions check;
    // For a process that ends after its run: Z3 contexts are not deleted (owned_context.hpp).
    bool leave_contexts_to_exit = false;
};

struct HarnessReport {
    std::string harness;
    std::string harness_sha256;
    std::string ir_sha256;
    std::vector<std::string> flags;
    unsigned scope_blocks = 0;
    std::vector<PropertyResult> properties;
    double encode_seconds = 0;
};

llvm::Expected<HarnessReport> verify_harness(const std::string& harness,
                                             const VerifyOptions& options);

// "4.8.12"
std::string z3_version();

} // namespace clockwork::verifier
