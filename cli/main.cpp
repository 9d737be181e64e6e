// clockwork: one verb per job (DESIGN.md). Each subcommand lives in its own file; this file
// only parses the command line and maps failures to exit code 3.
#include "analyze_command.hpp"
#include "certify_command.hpp"
#include "exit_codes.hpp"
#include "measure_command.hpp"
#include "report_command.hpp"
#include "size_command.hpp"
#include "verify_command.hpp"
#include "version.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace clockwork::cli;
    CLI::App app{"Clockwork: a deterministic allocator and the evidence of its worst case"};
    app.set_version_flag("--version", version_line());
    app.require_subcommand(1);

    std::vector<std::function<int()>> commands;
    commands.push_back(add_analyze_command(app));
    commands.push_back(add_certify_command(app));
    commands.push_back(add_measure_command(app));
    commands.push_back(add_report_command(app));
    commands.push_back(add_size_command(app));
    commands.push_back(add_verify_command(app));

    // CLI11 would only say "a subcommand is required"; name the word it did not know.
    if (argc > 1 && argv[1][0] != '-') {
        std::string known;
        bool found = false;
        for (const CLI::App* sub : app.get_subcommands({})) {
            known += (known.empty() ? "" : ", ") + sub->get_name();
            found = found || sub->get_name() == argv[1];
        }
        if (!found) {
            return usage_error("", "unknown subcommand '" + std::string(argv[1]) + "'",
                               "use one of " + known);
        }
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    for (const auto& command : commands) {
        const int code = command();
        if (code >= 0) {
            return code;
        }
    }
    return usage_error("", "no subcommand ran", "see clockwork --help");
}
