#include <clockwork/reports/evidence_json.hpp>

// Parse errors then name the JSON pointer of the offending value.
#define JSON_DIAGNOSTICS 1
#include <nlohmann/json.hpp>

#include <algorithm>
#include <tuple>

namespace clockwork::reports {

NLOHMANN_JSON_SERIALIZE_ENUM(Metric,
                             {{Metric::instructions, "instructions"}, {Metric::cycles, "cycles"}})
NLOHMANN_JSON_SERIALIZE_ENUM(LoopBoundProvenance, {{LoopBoundProvenance::annotated, "annotated"},
                                                   {LoopBoundProvenance::derived, "derived"},
                                                   {LoopBoundProvenance::proven, "proven"}})
NLOHMANN_JSON_SERIALIZE_ENUM(ProofStatus, {{ProofStatus::proven, "proven"},
                                           {ProofStatus::refuted, "refuted"},
                                           {ProofStatus::unknown, "unknown"},
                                           {ProofStatus::vacuous, "vacuous"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Verdict, {{Verdict::pass, "pass"},
                                       {Verdict::budget_exceeded, "budget_exceeded"},
                                       {Verdict::unsound, "unsound"},
                                       {Verdict::error, "error"}})

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SourceLocation, file, line)

// The verifier's parameters only where its proofs are: the analyzer's documents stay as they were.
void to_json(nlohmann::json& j, const ToolVersions& t) {
    j = nlohmann::json{{"clockwork", t.clockwork}, {"llvm", t.llvm}, {"z3", t.z3}};
    if (!t.z3_parameters.empty()) {
        j["z3_parameters"] = t.z3_parameters;
    }
    if (!t.verifier_compile.empty()) {
        j["verifier_compile"] = t.verifier_compile;
    }
}

void from_json(const nlohmann::json& j, ToolVersions& t) {
    j.at("clockwork").get_to(t.clockwork);
    j.at("llvm").get_to(t.llvm);
    j.at("z3").get_to(t.z3);
    t.z3_parameters = j.value("z3_parameters", std::string());
    t.verifier_compile = j.value("verifier_compile", std::map<std::string, std::string>());
}
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(InputFile, role, path, sha256)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Assumption, subject, statement, source)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LoopBound, function, header_address, location, bound, provenance,
                                   proven)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(WorstPathBlock, address, count, cost, location)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TimingParameter, name, value, source)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Counterexample, inputs, path, replay)

// Records about an image carry its allocator; a document written before the key existed reads
// as having none. Every other key is required.
#define CW_ALLOCATOR_RECORD(Type, ...)                                                             \
    void to_json(nlohmann::json& j, const Type& t) {                                               \
        j = nlohmann::json{NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(CW_TO_PAIR, __VA_ARGS__))};    \
        j["allocator"] = t.allocator;                                                              \
    }                                                                                              \
    void from_json(const nlohmann::json& j, Type& t) {                                             \
        NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(CW_FROM_KEY, __VA_ARGS__))                        \
        t.allocator = j.value("allocator", std::string());                                         \
    }
#define CW_TO_PAIR(field) {#field, t.field},
#define CW_FROM_KEY(field) j.at(#field).get_to(t.field);

CW_ALLOCATOR_RECORD(Bound, target, function, metric, value, worst_path, loops, timing_model,
                    assumptions)
CW_ALLOCATOR_RECORD(Witness, id, target, function, workload, cost, operations)
CW_ALLOCATOR_RECORD(Measurement, target, function, metric, workload, calls, lowest, highest,
                    witness)
CW_ALLOCATOR_RECORD(CrossCheck, target, function, metric, bound, highest_measured, sound, tightness)
CW_ALLOCATOR_RECORD(BudgetCheck, target, function, metric, budget, bound, within)

// An optional counterexample is written only when present.
void to_json(nlohmann::json& j, const Proof& p) {
    j = nlohmann::json{{"property", p.property}, {"harness", p.harness},
                       {"target", p.target},     {"allocator", p.allocator},
                       {"status", p.status},     {"scope_blocks", p.scope_blocks},
                       {"reason", p.reason}};
    if (p.counterexample) {
        j["counterexample"] = *p.counterexample;
    }
}

void from_json(const nlohmann::json& j, Proof& p) {
    j.at("property").get_to(p.property);
    j.at("harness").get_to(p.harness);
    // A proof written before these keys existed names no target, so no analysis takes it.
    p.target = j.value("target", std::string());
    p.allocator = j.value("allocator", std::string());
    j.at("status").get_to(p.status);
    j.at("scope_blocks").get_to(p.scope_blocks);
    j.at("reason").get_to(p.reason);
    if (j.contains("counterexample")) {
        p.counterexample = j.at("counterexample").get<Counterexample>();
    }
}

void to_json(nlohmann::json& j, const Evidence& e) {
    j = nlohmann::json{{"schema", kEvidenceSchema}, {"tools", e.tools},
                       {"inputs", e.inputs},        {"bounds", e.bounds},
                       {"proofs", e.proofs},        {"measurements", e.measurements},
                       {"witnesses", e.witnesses},  {"cross_checks", e.cross_checks},
                       {"budgets", e.budgets},      {"verdict", e.verdict}};
}

void from_json(const nlohmann::json& j, Evidence& e) {
    j.at("tools").get_to(e.tools);
    j.at("inputs").get_to(e.inputs);
    j.at("bounds").get_to(e.bounds);
    j.at("proofs").get_to(e.proofs);
    j.at("measurements").get_to(e.measurements);
    j.at("witnesses").get_to(e.witnesses);
    j.at("cross_checks").get_to(e.cross_checks);
    j.at("budgets").get_to(e.budgets);
    j.at("verdict").get_to(e.verdict);
}

namespace {

// Stable (equal keys keep the producer's order), without std::stable_sort, whose libstdc++ 12
// implementation uses the deprecated std::get_temporary_buffer.
template <class T, class Key>
void sort_by(std::vector<T>& items, Key key) {
    std::vector<size_t> order(items.size());
    for (size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const auto ka = key(items[a]);
        const auto kb = key(items[b]);
        return ka < kb || (!(kb < ka) && a < b);
    });
    std::vector<T> sorted;
    sorted.reserve(items.size());
    for (size_t i : order) {
        sorted.push_back(std::move(items[i]));
    }
    items = std::move(sorted);
}

// An unknown enum string silently becomes the first enumerator in nlohmann; refuse it instead.
void check_enums(const nlohmann::json& j) {
    static const std::map<std::string, std::vector<std::string>> allowed = {
        {"metric", {"instructions", "cycles"}},
        {"provenance", {"annotated", "derived", "proven"}},
        {"status", {"proven", "refuted", "unknown", "vacuous"}},
        {"verdict", {"pass", "budget_exceeded", "unsound", "error"}}};
    const nlohmann::json flat = j.flatten();
    for (const auto& [pointer, value] : flat.items()) {
        const std::string key = pointer.substr(pointer.rfind('/') + 1);
        const auto rule = allowed.find(key);
        if (rule == allowed.end()) {
            continue;
        }
        const auto& names = rule->second;
        if (!value.is_string() ||
            std::find(names.begin(), names.end(), value.get<std::string>()) == names.end()) {
            std::string expected;
            for (const auto& name : names) {
                expected += (expected.empty() ? "" : ", ") + name;
            }
            throw std::invalid_argument(pointer + ": '" + value.dump() + "' is not one of " +
                                        expected);
        }
    }
}

} // namespace

void canonicalize(Evidence& e) {
    sort_by(e.inputs, [](const InputFile& i) { return std::tie(i.role, i.path); });
    for (Bound& b : e.bounds) {
        sort_by(b.loops, [](const LoopBound& l) { return std::tie(l.function, l.header_address); });
        sort_by(b.worst_path, [](const WorstPathBlock& w) { return w.address; });
        sort_by(b.timing_model, [](const TimingParameter& t) { return t.name; });
        sort_by(b.assumptions,
                [](const Assumption& a) { return std::tie(a.subject, a.statement); });
    }
    sort_by(e.bounds,
            [](const Bound& b) { return std::tie(b.target, b.allocator, b.function, b.metric); });
    sort_by(e.proofs, [](const Proof& p) { return std::tie(p.harness, p.property); });
    sort_by(e.measurements, [](const Measurement& m) {
        return std::tie(m.target, m.allocator, m.function, m.metric, m.workload);
    });
    sort_by(e.witnesses, [](const Witness& w) { return w.id; });
    sort_by(e.cross_checks, [](const CrossCheck& c) {
        return std::tie(c.target, c.allocator, c.function, c.metric);
    });
    sort_by(e.budgets, [](const BudgetCheck& c) {
        return std::tie(c.target, c.allocator, c.function, c.metric);
    });
}

std::string to_canonical_json(Evidence evidence) {
    canonicalize(evidence);
    return nlohmann::json(evidence).dump(2) + "\n";
}

std::string run_info_json(const RunInfo& run) {
    nlohmann::json j{{"schema", "clockwork.run/1"}, {"seconds", run.seconds}};
    if (!run.host.empty()) {
        j["host"] = run.host;
    }
    return j.dump(2) + "\n";
}

std::variant<Evidence, ParseError> parse_evidence(const std::string& text) {
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        if (!j.is_object() || !j.contains("schema") || j.at("schema") != kEvidenceSchema) {
            return ParseError{
                std::string("/schema: not a Clockwork Evidence document (expected \"") +
                kEvidenceSchema + "\")"};
        }
        check_enums(j);
        return j.get<Evidence>();
    } catch (const std::exception& e) {
        return ParseError{e.what()};
    }
}

Verdict decide_verdict(const Evidence& e) {
    const bool unsound =
        std::any_of(e.cross_checks.begin(), e.cross_checks.end(),
                    [](const CrossCheck& c) { return !c.sound; }) ||
        std::any_of(e.proofs.begin(), e.proofs.end(), [](const Proof& p) {
            return p.status == ProofStatus::refuted || p.status == ProofStatus::vacuous;
        });
    if (unsound) {
        return Verdict::unsound;
    }
    const bool over = std::any_of(e.budgets.begin(), e.budgets.end(),
                                  [](const BudgetCheck& b) { return !b.within; });
    return over ? Verdict::budget_exceeded : Verdict::pass;
}

int exit_code(Verdict verdict) {
    switch (verdict) {
    case Verdict::pass:
        return 0;
    case Verdict::budget_exceeded:
        return 1;
    case Verdict::unsound:
        return 2;
    case Verdict::error:
        break;
    }
    return 3;
}

} // namespace clockwork::reports
