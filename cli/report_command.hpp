// clockwork report: renders an Evidence document (from analyze, measure, verify or certify) as
// an audit report an assessor reads: Markdown or a self-contained HTML page.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace clockwork::cli {

std::function<int()> add_report_command(CLI::App& app);

} // namespace clockwork::cli
