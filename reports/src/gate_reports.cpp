#include <clockwork/reports/gate_reports.hpp>

#include "markup.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>
#include <tuple>

namespace clockwork::reports {

namespace {

using Key = std::tuple<std::string, std::string, Metric>;

// What a record is about: the target, and the allocator image when there is one
// ("cortex-m4/heap-halffit").
std::string subject(const std::string& target, const std::string& allocator) {
    return allocator.empty() ? target : target + "/" + allocator;
}

// Every failure, per target x function x metric, in words.
std::map<Key, std::vector<std::string>> failures_of(const Evidence& evidence) {
    std::map<Key, std::vector<std::string>> failures;
    for (const BudgetCheck& budget : evidence.budgets) {
        auto& list =
            failures[{subject(budget.target, budget.allocator), budget.function, budget.metric}];
        if (!budget.within) {
            list.push_back("bound " + std::to_string(budget.bound) + " exceeds the budget " +
                           std::to_string(budget.budget));
        }
    }
    for (const CrossCheck& check : evidence.cross_checks) {
        auto& list =
            failures[{subject(check.target, check.allocator), check.function, check.metric}];
        if (!check.sound) {
            list.push_back("unsound: a measurement of " + std::to_string(check.highest_measured) +
                           " exceeds the bound " + std::to_string(check.bound));
        }
    }
    return failures;
}

} // namespace

std::string to_junit_xml(const Evidence& evidence) {
    const auto failures = failures_of(evidence);
    size_t failed = 0;
    for (const auto& [key, list] : failures) {
        failed += list.empty() ? 0 : 1;
    }
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuites name=\"clockwork certify\" tests=\"" << failures.size() << "\" failures=\""
        << failed << "\">\n"
        << "  <testsuite name=\"clockwork certify\" tests=\"" << failures.size() << "\" failures=\""
        << failed << "\">\n";
    for (const auto& [key, list] : failures) {
        const auto& [target, function, metric] = key;
        out << "    <testcase classname=\"" << escape_markup(target + "." + function)
            << "\" name=\"" << metric_name(metric) << "\"";
        if (list.empty()) {
            out << "/>\n";
            continue;
        }
        out << ">\n";
        for (const std::string& failure : list) {
            out << "      <failure message=\"" << escape_markup(failure) << "\"/>\n";
        }
        out << "    </testcase>\n";
    }
    out << "  </testsuite>\n</testsuites>\n";
    return out.str();
}

static nlohmann::ordered_json sarif_result(const std::string& rule, const std::string& text) {
    return {{"ruleId", rule}, {"level", "error"}, {"message", {{"text", text}}}};
}

std::string to_sarif(const Evidence& evidence) {
    nlohmann::ordered_json results = nlohmann::ordered_json::array();
    for (const BudgetCheck& budget : evidence.budgets) {
        if (!budget.within) {
            results.push_back(sarif_result(
                "budget-exceeded", subject(budget.target, budget.allocator) + " " +
                                       budget.function + " " + metric_name(budget.metric) +
                                       ": bound " + std::to_string(budget.bound) +
                                       " exceeds the budget " + std::to_string(budget.budget)));
        }
    }
    for (const CrossCheck& check : evidence.cross_checks) {
        if (!check.sound) {
            results.push_back(sarif_result(
                "unsound-bound", subject(check.target, check.allocator) + " " + check.function +
                                     " " + metric_name(check.metric) + ": measured " +
                                     std::to_string(check.highest_measured) + " above the bound " +
                                     std::to_string(check.bound)));
        }
    }
    nlohmann::ordered_json log = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs",
         {{{"tool",
            {{"driver",
              {{"name", "clockwork"},
               {"version", evidence.tools.clockwork},
               {"rules",
                {{{"id", "budget-exceeded"},
                  {"shortDescription", {{"text", "A worst-case bound exceeds its budget"}}}},
                 {{"id", "unsound-bound"},
                  {"shortDescription",
                   {{"text", "A measured execution exceeds the static bound"}}}}}}}}}},
           {"results", results}}}}};
    return log.dump(2) + "\n";
}

} // namespace clockwork::reports
