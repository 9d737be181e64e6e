// Exit codes shared by every subcommand (DESIGN.md, "CLI").
#pragma once

#include <string>

namespace clockwork::cli {

enum ExitCode : int {
    kExitPass = 0,
    kExitBudgetExceeded = 1,
    kExitUnsound = 2,
    kExitUsage = 3,
};

// A compiler-style error on stderr: "clockwork <verb>: error: what; note: how to fix".
int usage_error(const std::string& verb, const std::string& what, const std::string& fix);

} // namespace clockwork::cli
