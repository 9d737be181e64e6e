#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace clockwork::cli {

// `clockwork measure`: run a workload on the target's emulator and measure every call.
std::function<int()> add_measure_command(CLI::App& app);

} // namespace clockwork::cli
