#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace clockwork::cli {

// `clockwork size`: the arena that no allocation sequence can exhaust by fragmentation.
// Returns the action to run once the command line parsed.
std::function<int()> add_size_command(CLI::App& app);

} // namespace clockwork::cli
