#include <clockwork/verifier/check.hpp>
#include <clockwork/verifier/loop_proofs.hpp>
#include <clockwork/verifier/query.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

namespace clockwork::verifier {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string location_text(const SourceLine& line) {
    return line.file + ":" + std::to_string(line.line);
}

std::string input_name(const NondetInput& input) {
    return "nondet#" + std::to_string(input.index) + " (" + location_text(input.where) + ")";
}

bool is_true_in(const z3::model& model, const z3::expr& e) {
    return model.eval(e, true).is_true();
}

// The counterexample a model describes: the inputs the path read, in the order it read them,
// and the source lines of the blocks it went through.
reports::Counterexample describe(const z3::model& model, const Encoding& encoding,
                                 const std::string& harness_property) {
    reports::Counterexample example;
    std::string values;
    for (const NondetInput& input : encoding.inputs) {
        if (!is_true_in(model, input.reached)) {
            continue;
        }
        const z3::expr v = model.eval(input.value, true);
        uint64_t number = 0;
        const std::string text = v.is_numeral_u64(number) ? std::to_string(number) : v.to_string();
        example.inputs[input_name(input)] = text;
        values += (values.empty() ? "" : ", ") + text;
    }
    for (const TraceStep& step : encoding.trace) {
        if (step.where.line == 0 || !is_true_in(model, step.reached)) {
            continue;
        }
        const reports::SourceLocation location{step.where.file, step.where.line};
        if (example.path.empty() || !(example.path.back() == location)) {
            example.path.push_back(location);
        }
    }
    // The nondet values in call order: compiled with -DCW_REPLAY, verify.h's cw_nondet returns
    // them in turn, and cw_assert reports the failing property.
    example.replay = "CW_REPLAY_VALUES={" + values + "} " + harness_property;
    return example;
}

// The first source line among `sites` that no input reaches (vacuous) or whose reachability
// ran out of time (unknown), with only status, where and reason set; none when every line is
// reached. The sites of no-undefined-arithmetic-or-control are checks the encoder planted
// at every operation that can go wrong, many on paths a harness never takes by design, so
// only the property as a whole must be reached. A model found is kept in `witnesses`.
std::optional<PropertyResult> first_unreached_site(z3::context& z3, const Encoding& encoding,
                                                   const CheckOptions& options,
                                                   const std::vector<const AssertionSite*>& sites,
                                                   std::vector<Query>& witnesses) {
    std::vector<std::string> lines;
    std::map<std::string, std::pair<SourceLine, z3::expr>> reached_at;
    for (const AssertionSite* site : sites) {
        if (!site->violation.empty()) {
            return std::nullopt;
        }
        const std::string line = location_text(site->where);
        auto [entry, inserted] =
            reached_at.try_emplace(line, std::make_pair(site->where, site->reached));
        if (inserted) {
            lines.push_back(line);
        } else {
            entry->second.second = entry->second.second || site->reached;
        }
    }
    for (const std::string& line : lines) {
        const auto& [where, reached] = reached_at.at(line);
        const bool known = std::any_of(witnesses.begin(), witnesses.end(), [&](const Query& q) {
            return is_true_in(*q.model, reached);
        });
        if (known) {
            continue;
        }
        const Query reach = solve(z3, options.timeout_ms, encoding.assumptions && reached);
        if (reach.result == z3::sat) {
            witnesses.push_back(reach);
            continue;
        }
        PropertyResult result;
        result.where = where;
        result.status = reach.result == z3::unsat ? reports::ProofStatus::vacuous
                                                  : reports::ProofStatus::unknown;
        result.reason = reach.result == z3::unsat
                            ? "no input reaches the assertion at " + line
                            : "reachability of the assertion at " + line + ": " + reach.reason;
        return result;
    }
    return std::nullopt;
}

} // namespace

std::vector<PropertyResult> check_properties(z3::context& z3, const Encoding& encoding,
                                             const CheckOptions& options) {
    std::vector<PropertyResult> results;
    const auto whole_start = Clock::now();
    const Query consistent = solve(z3, options.timeout_ms, encoding.assumptions);
    const double consistency_seconds = since(whole_start);
    // Models of the assumptions found so far.
    std::vector<Query> witnesses;
    if (consistent.result == z3::sat) {
        witnesses.push_back(consistent);
    }

    // One property per cw_assert name, in order of first appearance.
    std::vector<std::string> names;
    std::map<std::string, std::vector<const AssertionSite*>> sites;
    for (const AssertionSite& site : encoding.assertions) {
        auto& list = sites[site.property];
        if (list.empty()) {
            names.push_back(site.property);
        }
        list.push_back(&site);
    }

    // Every loop the harness entered is a property too: its bound holds when the entry past
    // the bound is infeasible. One loop inlined at several calls is one property.
    std::vector<std::string> loop_names;
    std::map<std::string, std::vector<const LoopObligation*>> loops;
    for (const LoopObligation& loop : encoding.loops) {
        const std::string name =
            loop_bound_property(loop.annotation.file, loop.annotation.line, loop.bound);
        auto& list = loops[name];
        if (list.empty()) {
            loop_names.push_back(name);
        }
        list.push_back(&loop);
    }

    // One query for every property at once: when no input fails any of them, each is proven,
    // and the solver bit-blasts the harness once instead of once per property (the
    // properties of one harness share almost all of their formula). Only when some input
    // fails one, or the query runs out of time, is each property asked on its own, for its
    // own verdict and counterexample.
    std::optional<double> proven_together;
    if (consistent.result == z3::sat) {
        const auto start = Clock::now();
        z3::expr any_fails = z3.bool_val(false);
        for (const AssertionSite& site : encoding.assertions) {
            any_fails = any_fails || (site.reached && !site.holds);
        }
        for (const LoopObligation& loop : encoding.loops) {
            any_fails = any_fails || loop.exceeded;
        }
        if (solve(z3, options.timeout_ms, encoding.assumptions && any_fails).result == z3::unsat) {
            proven_together = since(start);
        }
    }

    for (const std::string& name : names) {
        const auto start = Clock::now();
        PropertyResult result;
        result.property = name;
        result.where = sites[name].front()->where;
        if (consistent.result != z3::sat) {
            result.status = consistent.result == z3::unsat ? reports::ProofStatus::vacuous
                                                           : reports::ProofStatus::unknown;
            result.reason = consistent.result == z3::unsat
                                ? "the harness's assumptions contradict each other"
                                : "consistency of the assumptions: " + consistent.reason;
            result.seconds = consistency_seconds;
            results.push_back(std::move(result));
            continue;
        }
        z3::expr reached = z3.bool_val(false);
        z3::expr fails = z3.bool_val(false);
        for (const AssertionSite* site : sites[name]) {
            reached = reached || site->reached;
            fails = fails || (site->reached && !site->holds);
        }
        // An input found earlier often reaches it already: the one that showed the assumptions
        // consistent (always, for no-undefined-arithmetic-or-control, whose entry site every
        // input reaches), or one that reached an earlier property in the same block. Each
        // reachability query costs as much as a proof.
        const auto known = std::find_if(witnesses.begin(), witnesses.end(), [&](const Query& q) {
            return is_true_in(*q.model, reached);
        });
        const Query reach = known != witnesses.end()
                                ? *known
                                : solve(z3, options.timeout_ms, encoding.assumptions && reached);
        if (known == witnesses.end() && reach.result == z3::sat) {
            witnesses.push_back(reach);
        }
        if (reach.result != z3::sat) {
            result.status = reach.result == z3::unsat ? reports::ProofStatus::vacuous
                                                      : reports::ProofStatus::unknown;
            result.reason = reach.result == z3::unsat
                                ? "no input reaches the assertion at " + location_text(result.where)
                                : "reachability: " + reach.reason;
            result.seconds = since(start);
            results.push_back(std::move(result));
            continue;
        }
        // Every assertion of the property reachable, not only one: an assertion no input
        // reaches proves nothing, whatever its namesakes do. The copies of one source line
        // (a helper inlined at several calls) are one assertion.
        if (const std::optional<PropertyResult> unreached =
                first_unreached_site(z3, encoding, options, sites[name], witnesses)) {
            result.status = unreached->status;
            result.where = unreached->where;
            result.reason = unreached->reason;
            result.seconds = since(start);
            results.push_back(std::move(result));
            continue;
        }
        if (proven_together) {
            result.status = reports::ProofStatus::proven;
            result.seconds = since(start) + *proven_together;
            results.push_back(std::move(result));
            continue;
        }
        const Query refute = solve(z3, options.timeout_ms, encoding.assumptions && fails);
        if (refute.result == z3::unsat) {
            result.status = reports::ProofStatus::proven;
        } else if (refute.result == z3::sat) {
            result.status = reports::ProofStatus::refuted;
            result.counterexample = describe(*refute.model, encoding, name);
            // A site that says what failing means there (which undefined behaviour): the first
            // that fails in this model, in execution order, is where the execution goes wrong.
            for (const AssertionSite* site : sites[name]) {
                if (!site->violation.empty() &&
                    is_true_in(*refute.model, site->reached && !site->holds)) {
                    result.where = site->where;
                    result.reason = site->violation;
                    break;
                }
            }
        } else {
            result.status = reports::ProofStatus::unknown;
            result.reason = refute.reason;
        }
        result.seconds = since(start);
        results.push_back(std::move(result));
    }

    for (const std::string& name : loop_names) {
        const auto start = Clock::now();
        PropertyResult result;
        result.property = name;
        result.where = loops[name].front()->loop;
        if (proven_together) {
            result.status = reports::ProofStatus::proven;
            result.seconds = *proven_together;
            results.push_back(std::move(result));
            continue;
        }
        z3::expr exceeded = z3.bool_val(false);
        for (const LoopObligation* loop : loops[name]) {
            exceeded = exceeded || loop->exceeded;
        }
        const Query refute = solve(z3, options.timeout_ms, encoding.assumptions && exceeded);
        if (refute.result == z3::unsat && consistent.result == z3::sat) {
            result.status = reports::ProofStatus::proven;
        } else if (refute.result == z3::unsat && consistent.result == z3::unsat) {
            result.status = reports::ProofStatus::vacuous;
            result.reason = "the harness's assumptions contradict each other";
        } else if (refute.result == z3::unsat) {
            result.status = reports::ProofStatus::unknown;
            result.reason = "consistency of the assumptions: " + consistent.reason;
        } else if (refute.result == z3::sat) {
            result.status = reports::ProofStatus::refuted;
            result.counterexample = describe(*refute.model, encoding, name);
        } else {
            result.status = reports::ProofStatus::unknown;
            result.reason = refute.reason;
        }
        result.seconds = since(start);
        results.push_back(std::move(result));
    }
    return results;
}

} // namespace clockwork::verifier
