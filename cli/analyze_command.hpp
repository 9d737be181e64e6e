#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace clockwork::cli {

// `clockwork analyze`: static worst-case bounds of named functions in a shipped ELF.
std::function<int()> add_analyze_command(CLI::App& app);

} // namespace clockwork::cli
