#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace clockwork::cli {

// `clockwork certify`: the CI gate over the bundled configuration (analyze + measure +
// cross-check + budgets), with exit codes 0 pass, 1 budget exceeded, 2 unsound, 3 input error.
std::function<int()> add_certify_command(CLI::App& app);

} // namespace clockwork::cli
