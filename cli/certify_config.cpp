#include "certify_config.hpp"

#include <clockwork/analyzer/binary/target.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace clockwork::cli {

namespace {

using nlohmann::json;

struct ConfigError {
    std::string message;
};

const json& member(const json& object, const std::string& key, const std::string& where) {
    if (!object.is_object() || !object.contains(key)) {
        throw ConfigError{where + ": missing key '" + key + "'"};
    }
    return object.at(key);
}

std::string text(const json& value, const std::string& where) {
    if (!value.is_string() || value.get<std::string>().empty()) {
        throw ConfigError{where + ": must be a non-empty string"};
    }
    return value.get<std::string>();
}

uint64_t positive(const json& value, const std::string& where) {
    if (!value.is_number_unsigned() || value.get<uint64_t>() == 0) {
        throw ConfigError{where + ": must be a positive whole number"};
    }
    return value.get<uint64_t>();
}

std::string resolve(const std::filesystem::path& base, const std::string& path) {
    const std::filesystem::path given(path);
    return given.is_absolute() ? path : (base / given).lexically_normal().string();
}

CertifyTarget read_target(const json& entry, const std::string& where,
                          const std::filesystem::path& base) {
    CertifyTarget target;
    target.target = text(member(entry, "target", where), where + ".target");
    const auto info = analyzer::binary::find_target(target.target);
    if (!info) {
        throw ConfigError{where + ".target: unknown target '" + target.target + "' (use one of " +
                          analyzer::binary::target_names() + ")"};
    }
    if (entry.contains("allocator")) {
        target.allocator = text(entry.at("allocator"), where + ".allocator");
        const bool named =
            !target.allocator.empty() &&
            std::all_of(target.allocator.begin(), target.allocator.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            });
        if (!named) {
            throw ConfigError{where + ".allocator: '" + target.allocator +
                              "' must be a name of lower-case letters, digits and '-' (e.g. "
                              "heap-halffit)"};
        }
    }
    target.elf = resolve(base, text(member(entry, "elf", where), where + ".elf"));
    target.compile_commands =
        resolve(base, text(member(entry, "compile_commands", where), where + ".compile_commands"));
    if (entry.contains("validate")) {
        if (!entry.at("validate").is_boolean()) {
            throw ConfigError{where + ".validate: must be true or false"};
        }
        target.validate = entry.at("validate").get<bool>();
    }
    if (entry.contains("never_called")) {
        const json& list = entry.at("never_called");
        if (!list.is_array()) {
            throw ConfigError{where + ".never_called: must be a list of symbol names"};
        }
        for (size_t k = 0; k < list.size(); ++k) {
            target.never_called.push_back(
                text(list[k], where + ".never_called[" + std::to_string(k) + "]"));
        }
    }
    if (entry.contains("assume_indirect_call_cost")) {
        const json& cost = entry.at("assume_indirect_call_cost");
        if (!cost.is_number_unsigned()) {
            throw ConfigError{where + ".assume_indirect_call_cost: must be a whole number"};
        }
        target.indirect_call_cost = static_cast<long long>(cost.get<uint64_t>());
    }
    const json& functions = member(entry, "functions", where);
    if (!functions.is_object() || functions.empty()) {
        throw ConfigError{where + ".functions: must map function names to their budgets"};
    }
    for (const auto& [function, budgets] : functions.items()) {
        const std::string at = where + ".functions." + function;
        if (!budgets.is_object() || budgets.empty()) {
            throw ConfigError{at + ": must map metrics (instructions, cycles) to budgets"};
        }
        for (const auto& [metric, budget] : budgets.items()) {
            if (metric == "instructions") {
                target.budgets[function][reports::Metric::instructions] =
                    positive(budget, at + ".instructions");
            } else if (metric == "cycles") {
                if (!info->has_cycle_model) {
                    throw ConfigError{at + ".cycles: " + target.target +
                                      " has no cycle bound (an out-of-order core); budget "
                                      "instructions only"};
                }
                target.budgets[function][reports::Metric::cycles] =
                    positive(budget, at + ".cycles");
            } else {
                throw ConfigError{at + ": unknown metric '" + metric +
                                  "' (use instructions or cycles)"};
            }
        }
    }
    return target;
}

} // namespace

std::variant<CertifyConfig, std::string> read_certify_config(const std::string& path) {
    std::ifstream file(path);
    if (!file) {
        return path + ": error: cannot read the configuration; note: pass --config FILE "
                      "(the bundled one is clockwork.json at the repository root)";
    }
    json document;
    try {
        document = json::parse(file);
    } catch (const json::parse_error& e) {
        return path + ": error: not valid JSON (" + e.what() + ")";
    }
    CertifyConfig config;
    config.path = path;
    const std::filesystem::path base = std::filesystem::absolute(path).parent_path();
    try {
        if (document.contains("workload")) {
            const json& workload = document.at("workload");
            if (workload.contains("calls")) {
                config.workload.calls = positive(workload.at("calls"), "workload.calls");
            }
            if (workload.contains("seed")) {
                config.workload.seed = workload.at("seed").get<uint64_t>();
            }
            if (workload.contains("adversarial")) {
                if (!workload.at("adversarial").is_boolean()) {
                    throw ConfigError{"workload.adversarial: must be true or false"};
                }
                config.adversarial = workload.at("adversarial").get<bool>();
            }
            if (workload.contains("search_executions")) {
                config.search_executions =
                    positive(workload.at("search_executions"), "workload.search_executions");
            }
        }
        if (document.contains("proofs")) {
            config.proofs = resolve(base, text(document.at("proofs"), "proofs"));
        }
        const json& targets = member(document, "targets", "the configuration");
        if (!targets.is_array() || targets.empty()) {
            throw ConfigError{"targets: must be a non-empty list"};
        }
        for (size_t k = 0; k < targets.size(); ++k) {
            const std::string where = "targets[" + std::to_string(k) + "]";
            CertifyTarget entry = read_target(targets[k], where, base);
            for (const CertifyTarget& earlier : config.targets) {
                if (earlier.target == entry.target && earlier.allocator == entry.allocator) {
                    throw ConfigError{where + ": a second entry for " + entry.target + " and " +
                                      "allocator '" + entry.allocator +
                                      "'; give each image its own \"allocator\" name"};
                }
            }
            config.targets.push_back(std::move(entry));
        }
    } catch (const ConfigError& e) {
        return path + ": error: " + e.message;
    } catch (const json::exception& e) {
        return path + ": error: " + e.what();
    }
    return config;
}

} // namespace clockwork::cli
