#include "mutants_json.hpp"

#include <fstream>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

namespace clockwork::cli {
namespace {

using nlohmann::json;

// Read failures thrown inside read_mutants_json, caught once at its end.
struct BadDocument : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::optional<verifier::SourceLine> parse_location(const std::string& text) {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        return std::nullopt;
    }
    unsigned line = 0;
    for (size_t i = colon + 1; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        line = line * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return verifier::SourceLine{text.substr(0, colon), line};
}

unsigned parse_id(const std::string& text) {
    if (text.size() < 2 || text[0] != 'M' || text.size() > 10) {
        throw BadDocument("mutant id '" + text + "' is not M followed by a number");
    }
    unsigned id = 0;
    for (size_t i = 1; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') {
            throw BadDocument("mutant id '" + text + "' is not M followed by a number");
        }
        id = id * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return id;
}

verifier::MutantResult parse_result(const json& entry) {
    verifier::MutantResult result;
    verifier::Mutant& mutant = result.mutant;
    mutant.id = parse_id(entry.at("id").get<std::string>());
    const std::string where = "M" + std::to_string(mutant.id) + ": ";
    const auto op = verifier::operator_from_name(entry.at("operator").get<std::string>());
    if (!op) {
        throw BadDocument(where + "unknown operator '" + entry.at("operator").get<std::string>() +
                          "'");
    }
    mutant.op = *op;
    mutant.function = entry.at("function").get<std::string>();
    mutant.source_function = entry.at("source_function").get<std::string>();
    mutant.where = {entry.at("file").get<std::string>(), entry.at("line").get<unsigned>()};
    for (const json& call : entry.at("inlined_at")) {
        const auto line = parse_location(call.get<std::string>());
        if (!line) {
            throw BadDocument(where + "inlined_at '" + call.get<std::string>() +
                              "' is not file:line");
        }
        mutant.inlined_at.push_back(*line);
    }
    mutant.change = entry.at("change").get<std::string>();
    const auto status = verifier::status_from_name(entry.at("status").get<std::string>());
    if (!status) {
        throw BadDocument(where + "unknown status '" + entry.at("status").get<std::string>() + "'");
    }
    result.status = *status;
    result.harness = entry.at("harness").get<std::string>();
    result.property = entry.at("property").get<std::string>();
    result.reason = entry.at("reason").get<std::string>();
    result.seconds = entry.at("seconds").get<double>();
    return result;
}

} // namespace

std::string location_text(const verifier::SourceLine& where) {
    return where.file + ":" + std::to_string(where.line);
}

json mutants_to_json(const verifier::MutationReport& report, bool complete) {
    json mutants = json::array();
    for (const verifier::MutantResult& result : report.mutants) {
        const verifier::Mutant& mutant = result.mutant;
        json inlined_at = json::array();
        for (const verifier::SourceLine& call : mutant.inlined_at) {
            inlined_at.push_back(location_text(call));
        }
        mutants.push_back({{"id", "M" + std::to_string(mutant.id)},
                           {"operator", verifier::operator_name(mutant.op)},
                           {"function", mutant.function},
                           {"source_function", mutant.source_function},
                           {"file", mutant.where.file},
                           {"line", mutant.where.line},
                           {"inlined_at", inlined_at},
                           {"change", mutant.change},
                           {"status", verifier::status_name(result.status)},
                           {"harness", result.harness},
                           {"property", result.property},
                           {"reason", result.reason},
                           {"seconds", result.seconds}});
    }
    json summary = {{"total", report.mutants.size()},
                    {"killed", report.killed},
                    {"equivalent", report.equivalent},
                    {"survived", report.survived + report.undecided + report.unexecuted},
                    {"undecided", report.undecided},
                    {"unexecuted", report.unexecuted},
                    {"score", report.score()}};
    if (complete && report.sampled_every > 1) {
        const verifier::ScoreInterval interval = report.score_interval();
        summary["sampled_every"] = report.sampled_every;
        summary["score_interval_95"] = {{"low", interval.low}, {"high", interval.high}};
    }
    return {{"fingerprint", report.fingerprint},
            {"complete", complete},
            {"enumerated", report.enumerated},
            {"summary", std::move(summary)},
            {"mutants", std::move(mutants)}};
}

std::variant<verifier::ResumedRun, std::string> read_mutants_json(const std::string& path) {
    const std::string fix = "note: pass a file that clockwork verify --mutants --mutants-json "
                            "wrote, or run without --mutants-resume";
    std::ifstream file(path);
    if (!file) {
        return path + ": error: cannot read the mutants to resume; " + fix;
    }
    json document;
    try {
        document = json::parse(file);
    } catch (const json::parse_error& e) {
        return path + ": error: not valid JSON (" + e.what() + "); " + fix;
    }
    verifier::ResumedRun run;
    try {
        run.fingerprint = document.at("fingerprint").get<std::string>();
        for (const json& entry : document.at("mutants")) {
            run.results.push_back(parse_result(entry));
        }
    } catch (const BadDocument& e) {
        return path + ": error: " + e.what() + "; " + fix;
    } catch (const json::exception& e) {
        return path + ": error: not a --mutants-json document (" + e.what() + "); " + fix;
    }
    return run;
}

std::variant<verifier::ResumedRun, std::string>
read_mutants_jsons(const std::vector<std::string>& paths) {
    verifier::ResumedRun merged;
    std::set<unsigned> named;
    for (size_t i = 0; i < paths.size(); ++i) {
        auto read = read_mutants_json(paths[i]);
        if (auto* failure = std::get_if<std::string>(&read)) {
            return *failure;
        }
        verifier::ResumedRun& run = std::get<verifier::ResumedRun>(read);
        if (i != 0 && run.fingerprint != merged.fingerprint) {
            return paths[i] + ": error: decided by other inputs than " + paths.front() +
                   " (fingerprint " + run.fingerprint + ", not " + merged.fingerprint +
                   "); note: resume only files of runs with the same verifier, Z3, --timeout, "
                   "harnesses and allocator";
        }
        merged.fingerprint = run.fingerprint;
        for (verifier::MutantResult& result : run.results) {
            if (named.insert(result.mutant.id).second) {
                merged.results.push_back(std::move(result));
            }
        }
    }
    return merged;
}

} // namespace clockwork::cli
