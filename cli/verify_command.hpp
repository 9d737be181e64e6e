#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace clockwork::cli {

// `clockwork verify`: prove the allocator's properties on its LLVM IR with Z3.
std::function<int()> add_verify_command(CLI::App& app);

} // namespace clockwork::cli
