#include "report_command.hpp"

#include "evidence_output.hpp"
#include "exit_codes.hpp"

#include <clockwork/reports/atomic_file.hpp>
#include <clockwork/reports/audit_report.hpp>

#include <iostream>
#include <memory>
#include <string>

namespace clockwork::cli {
namespace {

constexpr const char* kVerb = "report";

struct ReportOptions {
    std::string evidence;
    std::string format = "markdown";
    std::string out; // empty: standard output
};

int run_report(const ReportOptions& o) {
    if (o.format != "markdown" && o.format != "html") {
        return usage_error(kVerb, "unknown format '" + o.format + "'", "use markdown or html");
    }
    auto read = read_evidence(o.evidence);
    if (const auto* failure = std::get_if<std::string>(&read)) {
        std::cerr << "clockwork report: " << *failure
                  << "; note: pass the evidence.json that analyze, measure or certify wrote\n";
        return kExitUsage;
    }
    const reports::Evidence& evidence = std::get<reports::Evidence>(read);
    const std::string rendered =
        o.format == "html" ? reports::to_html(evidence) : reports::to_markdown(evidence);
    if (o.out.empty()) {
        std::cout << rendered;
        return kExitPass;
    }
    const std::string failure = reports::write_file_atomically(o.out, rendered);
    if (!failure.empty()) {
        return usage_error(kVerb, failure, "check that the directory is writable");
    }
    return kExitPass;
}

} // namespace

std::function<int()> add_report_command(CLI::App& app) {
    auto options = std::make_shared<ReportOptions>();
    CLI::App* report =
        app.add_subcommand("report", "Render an Evidence document as an audit report");
    report->add_option("--evidence", options->evidence, "The Evidence JSON to render")->required();
    report->add_option("--format", options->format, "markdown (default) or html");
    report->add_option("--out", options->out, "Write here instead of standard output");
    return [report, options]() { return report->parsed() ? run_report(*options) : -1; };
}

} // namespace clockwork::cli
