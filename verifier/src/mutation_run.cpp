// Each harness is compiled once; its linked module travels between threads as bitcode, since an
// LLVMContext (and a z3::context) must stay on one thread. A worker parses each harness it
// needs once, then clones that module per mutant: planting a fault never recompiles.
#include <clockwork/verifier/compile.hpp>
#include <clockwork/verifier/loop_proofs.hpp>
#include <clockwork/verifier/mutation_run.hpp>
#include <clockwork/verifier/owned_context.hpp>
#include <clockwork/verifier/parallel.hpp>
#include <clockwork/verifier/query.hpp>

#include "kill_history.hpp"
#include "verifier_code_digest.hpp"

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

namespace clockwork::verifier {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

llvm::Error error_text(const std::string& text) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), text);
}

// One harness, compiled and checked unmutated.
struct PreparedHarness {
    std::string path;
    std::string name; // file name, as reports show it
    std::string bitcode;
    std::vector<LoopBoundFact> bounds;
    std::set<std::string> reaches; // IR functions the harness calls, directly or not
    std::set<std::string> proven;  // the original's proven properties: only these kill
    HarnessReport report;
};

// Per property name: the condition under which one of its assertions is reached, and under
// which one fails. Loop bounds fail when their loop is entered past the bound.
struct PropertyTerms {
    std::vector<std::string> order;
    std::map<std::string, std::pair<z3::expr, z3::expr>> terms; // name -> (reached, fails)
};

PropertyTerms property_terms(z3::context& z3, const Encoding& encoding) {
    PropertyTerms result;
    auto add = [&](const std::string& name, const z3::expr& reached, const z3::expr& fails) {
        auto found = result.terms.find(name);
        if (found == result.terms.end()) {
            result.order.push_back(name);
            result.terms.emplace(name, std::make_pair(reached, fails));
            return;
        }
        found->second = {found->second.first || reached, found->second.second || fails};
    };
    for (const AssertionSite& site : encoding.assertions) {
        add(site.property, site.reached, site.reached && !site.holds);
    }
    // Named as check.cpp names them, so that they match the original's results.
    for (const LoopObligation& loop : encoding.loops) {
        add(loop_bound_property(loop.annotation.file, loop.annotation.line, loop.bound),
            z3.bool_val(false), loop.exceeded);
    }
    return result;
}

// The reason of a kill found in the part of a harness encoded before its deadline: the
// assertion fails on an execution that reaches it, whatever the code after it would do.
inline constexpr const char* kRefutedBeforeOutOfTime =
    "refuted by the part of the harness encoded before the encoding ran out of time";

struct KillVerdict {
    bool killed = false;
    bool undecided = false;
    std::string property;
    std::string reason;
};

// One query for all the original's proven properties at once: sat names the first the mutant
// refutes, with `how` as the reason.
std::pair<z3::check_result, KillVerdict> refute_any(z3::context& z3, const Encoding& mutant,
                                                    const PropertyTerms& terms,
                                                    const PreparedHarness& harness,
                                                    unsigned timeout_ms, const std::string& how) {
    z3::expr any_fails = z3.bool_val(false);
    for (const std::string& name : terms.order) {
        if (harness.proven.count(name) != 0) {
            any_fails = any_fails || terms.terms.at(name).second;
        }
    }
    const Query refute = solve(z3, timeout_ms, mutant.assumptions && any_fails);
    if (refute.result != z3::sat) {
        return {refute.result, {}};
    }
    for (const std::string& name : terms.order) {
        if (harness.proven.count(name) != 0 &&
            refute.model->eval(terms.terms.at(name).second, true).is_true()) {
            return {z3::sat, {true, false, name, how}};
        }
    }
    return {z3::sat, {true, false, terms.order.front(), how}};
}

MutantResult killed_by(MutantResult result, const PreparedHarness& harness,
                       const KillVerdict& verdict, Clock::time_point start) {
    result.status = MutantStatus::killed;
    result.harness = harness.name;
    result.property = verdict.property;
    result.reason = verdict.reason;
    result.seconds = since(start);
    return result;
}

// Killed at the first proven property of the original that the mutant refutes, or makes
// vacuous: one query for all refutations first, as most mutants break something.
KillVerdict try_to_kill(z3::context& z3, const Encoding& mutant, const PreparedHarness& harness,
                        unsigned timeout_ms) {
    KillVerdict verdict;
    const PropertyTerms terms = property_terms(z3, mutant);
    const auto [refuted, killed] = refute_any(z3, mutant, terms, harness, timeout_ms, "refuted");
    if (refuted == z3::sat) {
        return killed;
    }
    // Before the properties one by one: a mutant that makes the harness's own set-up fail (an
    // init that refuses every arena) leaves nothing to refute, and one query shows it.
    const Query consistent = solve(z3, timeout_ms, mutant.assumptions);
    if (consistent.result == z3::unsat) {
        return {true, false, harness.report.properties.front().property,
                "vacuous: the harness's assumptions contradict each other"};
    }
    if (refuted == z3::unknown) {
        // One property at a time may still decide what the disjunction could not.
        for (const std::string& name : terms.order) {
            if (harness.proven.count(name) == 0) {
                continue;
            }
            const Query one =
                solve(z3, timeout_ms, mutant.assumptions && terms.terms.at(name).second);
            if (one.result == z3::sat) {
                return {true, false, name, "refuted"};
            }
            if (one.result == z3::unknown) {
                verdict.undecided = true;
                verdict.reason = "refuting " + name + ": " + one.reason;
            }
        }
    }
    if (consistent.result == z3::unknown) {
        return {false, true, "", "consistency of the assumptions: " + consistent.reason};
    }
    for (const PropertyResult& original : harness.report.properties) {
        if (original.status != reports::ProofStatus::proven ||
            original.property.rfind("loop-bound ", 0) == 0) {
            continue;
        }
        auto found = terms.terms.find(original.property);
        if (found == terms.terms.end()) {
            return {true, false, original.property, "vacuous: no path reaches the assertion"};
        }
        // The input that showed the assumptions consistent often reaches it already.
        if (consistent.model->eval(found->second.first, true).is_true()) {
            continue;
        }
        const Query reach = solve(z3, timeout_ms, mutant.assumptions && found->second.first);
        if (reach.result == z3::unsat) {
            return {true, false, original.property, "vacuous: no input reaches the assertion"};
        }
        if (reach.result == z3::unknown) {
            verdict.undecided = true;
            verdict.reason = "reachability of " + original.property + ": " + reach.reason;
        }
    }
    return verdict;
}

bool is_memory_node(const z3::expr& node) {
    if (!node.is_app()) {
        return false;
    }
    const Z3_decl_kind kind = node.decl().decl_kind();
    return kind == Z3_OP_STORE || (kind == Z3_OP_ITE && node.get_sort().is_array());
}

// The store and merge nodes of a memory term.
std::set<unsigned> memory_nodes(const z3::expr& memory) {
    std::set<unsigned> seen;
    std::vector<z3::expr> stack{memory};
    while (!stack.empty()) {
        const z3::expr node = stack.back();
        stack.pop_back();
        if (!seen.insert(node.id()).second || !is_memory_node(node)) {
            continue;
        }
        if (node.decl().decl_kind() == Z3_OP_STORE) {
            stack.push_back(node.arg(0));
        } else {
            stack.push_back(node.arg(1));
            stack.push_back(node.arg(2));
        }
    }
    return seen;
}

// The word at index `k` of a memory term: the encoder's memories are stores and ite merges
// over the initial array, and spelling the read out keeps the query within bit-vectors. A
// sub-memory in `common` (part of both memories compared) is read as one fresh word named by
// its term: the same on both sides, whatever its contents, which is all that equality needs.
z3::expr word_at(z3::context& z3, const z3::expr& memory, const z3::expr& k,
                 const std::set<unsigned>& common) {
    std::unordered_map<unsigned, z3::expr> memo;
    std::vector<z3::expr> stack{memory};
    // Iterative: store chains are thousands deep.
    while (!stack.empty()) {
        const z3::expr node = stack.back();
        if (memo.count(node.id()) != 0) {
            stack.pop_back();
            continue;
        }
        if (common.count(node.id()) != 0) {
            memo.emplace(node.id(),
                         z3.bv_const(("mutant-shared-word" + std::to_string(node.id())).c_str(),
                                     node.get_sort().array_range().bv_size()));
            stack.pop_back();
            continue;
        }
        if (!is_memory_node(node)) {
            memo.emplace(node.id(), z3::select(node, k));
            stack.pop_back();
            continue;
        }
        const bool is_store = node.decl().decl_kind() == Z3_OP_STORE;
        const z3::expr below = node.arg(is_store ? 0 : 1);
        auto first = memo.find(below.id());
        if (first == memo.end()) {
            stack.push_back(below);
            continue;
        }
        if (is_store) {
            memo.emplace(node.id(), z3::ite(node.arg(1) == k, node.arg(2), first->second));
            stack.pop_back();
            continue;
        }
        auto second = memo.find(node.arg(2).id());
        if (second == memo.end()) {
            stack.push_back(node.arg(2));
            continue;
        }
        memo.emplace(node.id(), z3::ite(node.arg(0), first->second, second->second));
        stack.pop_back();
    }
    return memo.at(memory.id());
}

// The mutant's inputs renamed to the original's: the same call site and occurrence read the
// same value. A site only the mutant reaches reads a value of its own.
z3::expr_vector shared_input_names(z3::context& z3, const Encoding& original,
                                   const Encoding& mutant, z3::expr_vector& renamed) {
    using Site = std::tuple<std::string, unsigned, unsigned>;
    std::map<Site, z3::expr> originals;
    std::map<std::pair<std::string, unsigned>, unsigned> seen;
    for (const NondetInput& input : original.inputs) {
        const unsigned occurrence = seen[{input.where.file, input.where.line}]++;
        originals.emplace(Site{input.where.file, input.where.line, occurrence}, input.value);
    }
    seen.clear();
    z3::expr_vector from(z3);
    for (const NondetInput& input : mutant.inputs) {
        const unsigned occurrence = seen[{input.where.file, input.where.line}]++;
        auto found = originals.find(Site{input.where.file, input.where.line, occurrence});
        from.push_back(input.value);
        renamed.push_back(
            found != originals.end()
                ? found->second
                : z3.bv_const(("mutant-only-nondet" + std::to_string(input.index)).c_str(),
                              input.bits));
    }
    return from;
}

struct Equivalence {
    z3::check_result differ = z3::unknown; // unsat: equivalent
    std::string reason;
};

// Equivalent within the harness: under the same inputs and initial memory, the assumptions
// hold alike, and then every property's reach and outcome, every loop's excess, the return and
// every word of the final memory agree. Both encodings live in one context, so after
// simplification most of these terms are the very same term; only the others reach the solver.
Equivalence compare(z3::context& z3, const Encoding& original, const Encoding& mutant,
                    unsigned timeout_ms) {
    z3::expr_vector renamed(z3);
    z3::expr_vector from = shared_input_names(z3, original, mutant, renamed);
    auto shared = [&](const z3::expr& e) {
        z3::expr copy = e;
        return (from.empty() ? copy : copy.substitute(from, renamed)).simplify();
    };
    const PropertyTerms before = property_terms(z3, original);
    const PropertyTerms after = property_terms(z3, mutant);
    const z3::expr no = z3.bool_val(false);
    std::vector<std::pair<z3::expr, z3::expr>> observed; // (original, mutant)
    std::set<std::string> names(before.order.begin(), before.order.end());
    names.insert(after.order.begin(), after.order.end());
    for (const std::string& name : names) {
        auto b = before.terms.find(name);
        auto a = after.terms.find(name);
        observed.emplace_back(b == before.terms.end() ? no : b->second.first.simplify(),
                              a == after.terms.end() ? no : shared(a->second.first));
        observed.emplace_back(b == before.terms.end() ? no : b->second.second.simplify(),
                              a == after.terms.end() ? no : shared(a->second.second));
    }
    observed.emplace_back(original.returns->simplify(), shared(*mutant.returns));
    const z3::expr assumed_before = original.assumptions.simplify();
    const z3::expr assumed_after = shared(mutant.assumptions);
    const z3::expr memory_before = original.final_memory->simplify();
    const z3::expr memory_after = shared(*mutant.final_memory);

    z3::expr differs = no;
    for (const auto& [b, a] : observed) {
        if (!z3::eq(b, a)) {
            differs = differs || b != a;
        }
    }
    const z3::expr assumptions_differ = assumed_before != assumed_after;
    if (z3::eq(memory_before, memory_after)) {
        if (z3::eq(assumed_before, assumed_after) && differs.is_false()) {
            return {z3::unsat, "the same terms"};
        }
        const Query query =
            solve(z3, timeout_ms, assumptions_differ || (assumed_before && differs));
        return {query.result, query.reason};
    }
    // First with the common part of both memories abstracted, which keeps the query to where
    // they differ; a difference found there may come from the abstraction alone, so it is then
    // asked again over the whole memories.
    const std::set<unsigned> nodes_before = memory_nodes(memory_before);
    std::set<unsigned> common;
    for (const unsigned id : memory_nodes(memory_after)) {
        if (nodes_before.count(id) != 0) {
            common.insert(id);
        }
    }
    const z3::expr k = z3.bv_const("mutant-compared-word", 32);
    for (const bool abstracted : {true, false}) {
        const std::set<unsigned> none;
        const std::set<unsigned>& frontier = abstracted ? common : none;
        const z3::expr memory_differs =
            word_at(z3, memory_before, k, frontier) != word_at(z3, memory_after, k, frontier);
        const Query query = solve(
            z3, timeout_ms, assumptions_differ || (assumed_before && (differs || memory_differs)));
        if (query.result == z3::unsat || !abstracted || common.empty()) {
            return {query.result, query.reason};
        }
    }
    return {z3::unknown, "memory comparison"};
}

// The cheap half of equivalence, on the mutant's encoding alone: when every execution of the
// mutated instruction computes what the original instruction would from the same operands
// (under the assumptions made before it), the mutant's executions are the original's, step by
// step. A difference there may still vanish later, which compare() then decides.
Equivalence same_value_at_the_mutation(z3::context& z3, const Encoding& mutant,
                                       unsigned timeout_ms) {
    // No execution recorded: the instruction's block never ran here (a comparison or a binary
    // operator is encoded in one place, with every instruction of a block that runs), so the
    // mutant's encoding is the original's. Comparing the memories instead may time out, as the
    // encoder's bounded case-dropping checks need not decide alike in two encodings.
    z3::expr differs = z3.bool_val(false);
    for (const MutationSiteValue& site : mutant.mutation_site) {
        if (!z3::eq(site.original, site.mutated)) {
            differs = differs || (site.reached && site.original != site.mutated);
        }
    }
    if (differs.is_false()) {
        return {z3::unsat, kSameValueAtTheMutation};
    }
    const Query query = solve(z3, timeout_ms, differs);
    return {query.result, query.reason};
}

llvm::Expected<PreparedHarness> prepare(const std::string& path, const MutationOptions& options) {
    if (auto error = require_memory_model(options.verify.target)) {
        return std::move(error);
    }
    PreparedHarness harness;
    harness.path = path;
    harness.name = llvm::sys::path::filename(path).str();
    harness.report.harness = path;
    auto bytes = llvm::MemoryBuffer::getFile(path);
    if (!bytes) {
        return llvm::createStringError(bytes.getError(), path + ": error: cannot read the harness");
    }
    harness.report.harness_sha256 = sha256_hex((*bytes)->getBuffer());

    std::vector<std::string> sources{path};
    sources.insert(sources.end(), options.verify.allocator_sources.begin(),
                   options.verify.allocator_sources.end());
    const auto start = Clock::now();
    auto program = compile_and_link(options.verify.clang, options.verify.target, sources,
                                    options.verify.include_dirs);
    if (!program) {
        return program.takeError();
    }
    harness.report.ir_sha256 = program->ir_sha256;
    harness.report.flags = program->flags;
    auto bounds = read_loop_bounds(sources, options.verify.include_dirs, options.verify.target);
    if (!bounds) {
        return bounds.takeError();
    }
    harness.bounds = std::move(*bounds);
    const std::vector<std::string> reached =
        reachable_functions(*program->module, options.verify.entry);
    harness.reaches.insert(reached.begin(), reached.end());
    llvm::raw_string_ostream stream(harness.bitcode);
    llvm::WriteBitcodeToFile(*program->module, stream);
    stream.flush();

    OwnedContext context(options.verify.leave_contexts_to_exit); // outlives every term below
    z3::context& z3 = context.get();
    auto encoding = encode(z3, *program->module, options.verify.entry, harness.bounds);
    if (!encoding) {
        return error_text(path + ": " + llvm::toString(encoding.takeError()));
    }
    harness.report.encode_seconds = since(start);
    harness.report.scope_blocks = encoding->scope_blocks;
    CheckOptions check = options.verify.check;
    check.timeout_ms = options.originals_limit_ms();
    try {
        harness.report.properties = check_properties(z3, *encoding, check);
    } catch (const z3::exception& e) {
        return error_text(path + ": error: Z3: " + std::string(e.msg()));
    }
    if (harness.report.properties.empty()) {
        return error_text(path + ": error: the harness asserts nothing; note: call "
                                 "cw_assert(condition, \"name\")");
    }
    for (const PropertyResult& result : harness.report.properties) {
        if (result.status == reports::ProofStatus::proven) {
            harness.proven.insert(result.property);
        }
    }
    return harness;
}

// A thread's own LLVM context, with each harness's module parsed once, and per harness one Z3
// context in which the original is encoded once: mutants encoded there share its terms, and
// the equivalence check compares them without encoding the original again.
class Worker {
  public:
    Worker(const std::vector<PreparedHarness>& harnesses, KillHistory& history)
        : harnesses_(harnesses), history_(history), states_(harnesses.size()),
          order_(harnesses.size()) {
        // Cheapest first where the kill history says nothing: a concrete harness decides in
        // a second what a symbolic one may take minutes on.
        for (size_t h = 0; h < order_.size(); ++h) {
            order_[h] = h;
        }
        std::sort(order_.begin(), order_.end(), [&](size_t a, size_t b) {
            const double ta = harnesses[a].report.encode_seconds;
            const double tb = harnesses[b].report.encode_seconds;
            return ta != tb ? ta < tb : a < b;
        });
    }

    llvm::Expected<MutantResult> run(const Mutant& mutant, const MutationOptions& options) {
        const auto start = Clock::now();
        MutantResult result;
        result.mutant = mutant;
        const unsigned timeout_ms = options.verify.check.timeout_ms;
        // The mutant's encoding per harness that did not kill it, for the equivalence check.
        std::vector<std::pair<size_t, Encoding>> survivals;
        std::string undecided;
        std::string out_of_time; // a harness whose mutant encoding ran out of time
        bool executed_somewhere = false;
        bool records_original = false;
        for (const size_t h : history_.order_for(mutant, order_)) {
            const PreparedHarness& harness = harnesses_[h];
            if (harness.reaches.count(mutant.function) == 0) {
                continue;
            }
            auto state = state_of(h);
            if (!state) {
                return state.takeError();
            }
            std::unique_ptr<llvm::Module> mutated = llvm::CloneModule(*(*state)->module);
            const llvm::BasicBlock* block = mutated_block(*mutated, mutant);
            if (auto error = apply_mutant(*mutated, mutant)) {
                return std::move(error);
            }
            records_original = records_original_value(*mutated, mutant);
            // A mutant may keep a loop running to its annotated bound; the original's
            // compile and encoding time, with room, is what a mutant gets.
            const auto budget = std::chrono::duration_cast<Clock::duration>(
                std::chrono::duration<double>(2 * harness.report.encode_seconds + 10) +
                std::chrono::milliseconds(timeout_ms));
            std::optional<Encoding> prefix;
            auto encoding = encode((*state)->z3, *mutated, options.verify.entry, harness.bounds,
                                   Clock::now() + budget, &prefix);
            if (!encoding) {
                std::string message = llvm::toString(encoding.takeError());
                if (message.find(kOutOfTime) != std::string::npos) {
                    // A mutant that wrecks the heap often fails an assertion long before the
                    // code after it becomes too slow to encode.
                    if (prefix) {
                        KillVerdict verdict;
                        try {
                            verdict = refute_any((*state)->z3, *prefix,
                                                 property_terms((*state)->z3, *prefix), harness,
                                                 timeout_ms, kRefutedBeforeOutOfTime)
                                          .second;
                        } catch (const z3::exception& e) {
                            return error_text(harness.path +
                                              ": error: Z3: " + std::string(e.msg()));
                        }
                        if (verdict.killed) {
                            history_.record_kill(mutant, h);
                            return killed_by(std::move(result), harness, verdict, start);
                        }
                    }
                    // Another harness may still kill it; if none does, this leaves it
                    // undecided, as it cannot be shown equivalent here.
                    out_of_time = harness.name + ": " + message;
                    continue;
                }
                // The verifier itself stops on this mutant (exit 3): no run would pass it.
                result.status = MutantStatus::killed;
                result.harness = harness.name;
                result.property = "(encoding)";
                result.reason = std::move(message);
                result.seconds = since(start);
                return result;
            }
            // Whether the mutated block runs for some input the harness admits.
            z3::expr runs = (*state)->z3.bool_val(false);
            for (const auto& [executed, guard] : encoding->executed) {
                if (executed == block) {
                    runs = runs || guard;
                }
            }
            if (runs.is_false()) {
                // The encoder found no path to it: the harness runs the original, which proves
                // every property and ends in the original's memory. Nothing to kill or compare
                // here (a validated path's mutant, in a harness without validation, took 20 s
                // queries that could not end otherwise).
                continue;
            }
            KillVerdict verdict;
            try {
                verdict = try_to_kill((*state)->z3, *encoding, harness, timeout_ms);
            } catch (const z3::exception& e) {
                return error_text(harness.path + ": error: Z3: " + std::string(e.msg()));
            }
            if (verdict.killed) {
                history_.record_kill(mutant, h);
                return killed_by(std::move(result), harness, verdict, start);
            }
            if (verdict.undecided && undecided.empty()) {
                undecided = harness.name + ": " + verdict.reason;
            }
            if (solve((*state)->z3, timeout_ms, encoding->assumptions && runs).result ==
                z3::unsat) {
                continue; // as above: no input of this harness runs it
            }
            executed_somewhere = true;
            survivals.emplace_back(h, std::move(*encoding));
        }
        if (!out_of_time.empty()) {
            result.status = MutantStatus::undecided;
            result.reason = out_of_time;
            result.seconds = since(start);
            return result;
        }
        if (!executed_somewhere) {
            result.status = MutantStatus::unexecuted;
            result.reason = "no input of any harness that reaches " + mutant.function +
                            " runs the mutated block";
            result.seconds = since(start);
            return result;
        }

        bool all_equivalent = true;
        bool compared_memories = false;
        std::string differs_in;
        for (const auto& [h, encoding] : survivals) {
            const PreparedHarness& harness = harnesses_[h];
            HarnessState& state = *states_[h];
            if (records_original) {
                Equivalence local;
                try {
                    local = same_value_at_the_mutation(state.z3, encoding, timeout_ms);
                } catch (const z3::exception& e) {
                    return error_text(harness.path + ": error: Z3: " + std::string(e.msg()));
                }
                if (local.differ == z3::unsat) {
                    continue;
                }
            }
            compared_memories = true;
            if (!state.original) {
                auto original =
                    encode(state.z3, *state.module, options.verify.entry, harness.bounds);
                if (!original) {
                    return error_text(harness.path + ": " + llvm::toString(original.takeError()));
                }
                state.original = std::move(*original);
            }
            Equivalence equivalence;
            try {
                equivalence = compare(state.z3, *state.original, encoding, timeout_ms);
            } catch (const z3::exception& e) {
                return error_text(harness.path + ": error: Z3: " + std::string(e.msg()));
            }
            if (equivalence.differ == z3::unsat) {
                continue;
            }
            all_equivalent = false;
            if (equivalence.differ == z3::sat) {
                differs_in = harness.name;
            } else if (undecided.empty()) {
                undecided = harness.name + ": equivalence: " + equivalence.reason;
            }
            break; // not equivalent everywhere: nothing further changes the score
        }
        survivals.clear(); // before any context could go
        if (all_equivalent) {
            result.status = MutantStatus::equivalent;
            result.reason = compared_memories
                                ? "equal final memory and property outcomes in every harness "
                                  "that reaches it"
                                : kSameValueAtTheMutation;
        } else if (!undecided.empty()) {
            result.status = MutantStatus::undecided;
            result.reason = undecided;
        } else {
            result.status = MutantStatus::survived;
            result.harness = differs_in;
            result.reason = "every property proven; behaves differently in " + differs_in;
        }
        result.seconds = since(start);
        return result;
    }

  private:
    struct HarnessState {
        std::unique_ptr<llvm::Module> module;
        z3::context z3;
        std::optional<Encoding> original; // declared after its context: destroyed first
    };

    llvm::Expected<HarnessState*> state_of(size_t harness) {
        if (!states_[harness]) {
            auto parsed = llvm::parseBitcodeFile(
                llvm::MemoryBufferRef(harnesses_[harness].bitcode, harnesses_[harness].name),
                context_);
            if (!parsed) {
                return parsed.takeError();
            }
            auto state = std::make_unique<HarnessState>();
            state->module = std::move(*parsed);
            states_[harness] = std::move(state);
        }
        return states_[harness].get();
    }

    const std::vector<PreparedHarness>& harnesses_;
    KillHistory& history_;
    llvm::LLVMContext context_; // declared before the modules parsed into it
    std::vector<std::unique_ptr<HarnessState>> states_;
    std::vector<size_t> order_; // indices into harnesses_, by the original's encoding time
};

} // namespace

std::optional<MutantStatus> status_from_name(const std::string& name) {
    for (const MutantStatus status :
         {MutantStatus::killed, MutantStatus::equivalent, MutantStatus::survived,
          MutantStatus::undecided, MutantStatus::unexecuted}) {
        if (status_name(status) == name) {
            return status;
        }
    }
    return std::nullopt;
}

std::string status_name(MutantStatus status) {
    switch (status) {
    case MutantStatus::killed:
        return "killed";
    case MutantStatus::equivalent:
        return "equivalent";
    case MutantStatus::survived:
        return "survived";
    case MutantStatus::undecided:
        return "undecided";
    case MutantStatus::unexecuted:
        return "unexecuted";
    }
    return "undecided";
}

unsigned MutationOptions::originals_limit_ms() const {
    return std::max(verify.check.timeout_ms, original_timeout_ms);
}

bool MutationReport::originals_proven() const {
    for (const HarnessReport& report : originals) {
        for (const PropertyResult& result : report.properties) {
            if (result.status != reports::ProofStatus::proven) {
                return false;
            }
        }
    }
    return true;
}

double MutationReport::score() const {
    return candidates() == 0 ? 1.0
                             : static_cast<double>(killed) / static_cast<double>(candidates());
}

ScoreInterval MutationReport::score_interval() const {
    if (candidates() == 0) {
        return {};
    }
    // Wilson's interval stays inside [0, 1] and keeps its width near a score of 100%, where the
    // normal approximation's collapses to nothing.
    constexpr double z = 1.959963984540054; // the 97.5th percentile of the normal distribution
    const double n = static_cast<double>(candidates());
    const double p = score();
    const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

namespace {

std::string run_fingerprint(const MutationOptions& options, const MutationScope& scope,
                            const std::vector<PreparedHarness>& harnesses, size_t enumerated) {
    std::string text = std::string("verifier-code ") + CLOCKWORK_VERIFIER_CODE_SHA256 + "\n";
    text += "z3 " + z3_version() + "\n";
    text += "timeout-ms " + std::to_string(options.verify.check.timeout_ms) + "\n";
    text += "original-timeout-ms " + std::to_string(options.original_timeout_ms) + "\n";
    text += "target " + options.verify.target + "\nentry " + options.verify.entry + "\n";
    for (const std::string& file : scope.source_files) {
        text += "mutated-file " + file + "\n";
    }
    for (const std::string& function : scope.excluded_functions) {
        text += "excluded-function " + function + "\n";
    }
    for (const std::string& function : scope.only_functions) {
        text += "only-function " + function + "\n";
    }
    for (const PreparedHarness& harness : harnesses) {
        text += "harness " + harness.name + " " + harness.report.harness_sha256 + " ir " +
                harness.report.ir_sha256 + "\n";
        for (const std::string& property : harness.proven) {
            text += "proven " + property + "\n";
        }
    }
    text += "enumerated " + std::to_string(enumerated) + "\n";
    return sha256_hex(text);
}

void count_verdicts(MutationReport& report) {
    report.killed = report.equivalent = report.survived = report.undecided = report.unexecuted = 0;
    for (const MutantResult& result : report.mutants) {
        switch (result.status) {
        case MutantStatus::killed:
            ++report.killed;
            break;
        case MutantStatus::equivalent:
            ++report.equivalent;
            break;
        case MutantStatus::survived:
            ++report.survived;
            break;
        case MutantStatus::undecided:
            ++report.undecided;
            break;
        case MutantStatus::unexecuted:
            ++report.unexecuted;
            break;
        }
    }
}

// The report as it stands mid-run: only the mutants decided so far.
MutationReport decided_so_far(const MutationReport& report, const std::vector<bool>& decided) {
    MutationReport partial;
    partial.fingerprint = report.fingerprint;
    partial.enumerated = report.enumerated;
    partial.sampled_every = report.sampled_every;
    partial.resumed = report.resumed;
    partial.originals = report.originals;
    for (size_t i = 0; i < report.mutants.size(); ++i) {
        if (decided[i]) {
            partial.mutants.push_back(report.mutants[i]);
        }
    }
    count_verdicts(partial);
    return partial;
}

} // namespace

llvm::Expected<MutationReport> run_mutants(const MutationOptions& options) {
    const auto start = Clock::now();
    MutationScope scope = options.scope;
    if (scope.source_files.empty()) {
        for (const std::string& source : options.verify.allocator_sources) {
            scope.source_files.push_back(llvm::sys::path::filename(source).str());
        }
    }
    // The originals are compiled and checked on the pool too: each is as slow as a mutant.
    std::vector<PreparedHarness> harnesses(options.harnesses.size());
    if (auto error =
            parallel_for(harnesses.size(), options.jobs, [&](size_t i, unsigned) -> llvm::Error {
                auto prepared = prepare(options.harnesses[i], options);
                if (!prepared) {
                    return prepared.takeError();
                }
                harnesses[i] = std::move(*prepared);
                return llvm::Error::success();
            })) {
        return std::move(error);
    }

    // Mutants of every function some harness reaches, enumerated on the first module that has
    // it: every harness links the same allocator IR.
    std::vector<Mutant> mutants;
    {
        llvm::LLVMContext context;
        std::set<std::string> functions_seen;
        for (const PreparedHarness& harness : harnesses) {
            auto module = llvm::parseBitcodeFile(
                llvm::MemoryBufferRef(harness.bitcode, harness.name), context);
            if (!module) {
                return module.takeError();
            }
            std::vector<std::string> fresh;
            for (const std::string& name : reachable_functions(**module, options.verify.entry)) {
                if (functions_seen.insert(name).second) {
                    fresh.push_back(name);
                }
            }
            std::vector<Mutant> found = enumerate_mutants(
                **module, fresh, scope, static_cast<unsigned>(mutants.size()) + 1);
            mutants.insert(mutants.end(), found.begin(), found.end());
        }
    }
    const size_t enumerated = mutants.size();
    if (!options.ids.empty()) {
        const std::set<unsigned> wanted(options.ids.begin(), options.ids.end());
        std::erase_if(mutants, [&](const Mutant& m) { return wanted.count(m.id) == 0; });
        if (mutants.size() != wanted.size()) {
            return error_text("--mutant-ids: " + std::to_string(wanted.size() - mutants.size()) +
                              " of the ids name no mutant; ids run from 1 to " +
                              std::to_string(enumerated) +
                              " (with --mutant-functions, only that function's ids)");
        }
    }
    if (options.every > 1) {
        // Ids stay those of the full enumeration, so a sampled mutant is the same mutant in a
        // full run.
        std::vector<Mutant> sample;
        for (size_t i = 0; i < mutants.size(); i += options.every) {
            sample.push_back(mutants[i]);
        }
        mutants = std::move(sample);
    }
    if (options.limit != 0 && mutants.size() > options.limit) {
        mutants.resize(options.limit);
    }

    MutationReport report;
    report.fingerprint = run_fingerprint(options, scope, harnesses, enumerated);
    report.enumerated = enumerated;
    if (options.every > 1 && options.limit == 0 && options.ids.empty()) {
        report.sampled_every = options.every;
    }
    if (!options.resumed.results.empty() && options.resumed.fingerprint != report.fingerprint) {
        return error_text("the verdicts to resume were decided by another run (fingerprint " +
                          options.resumed.fingerprint + ", this run's " + report.fingerprint +
                          "): the verifier's code, Z3, --timeout, the harnesses, the allocator, "
                          "the properties the originals prove or --mutant-functions differ");
    }
    for (const PreparedHarness& harness : harnesses) {
        report.originals.push_back(harness.report);
    }
    report.mutants.resize(mutants.size());
    std::vector<bool> decided(mutants.size(), false);
    std::vector<size_t> pending;
    {
        std::map<unsigned, const MutantResult*> earlier;
        for (const MutantResult& result : options.resumed.results) {
            earlier[result.mutant.id] = &result;
        }
        for (size_t i = 0; i < mutants.size(); ++i) {
            const auto found = earlier.find(mutants[i].id);
            if (found == earlier.end()) {
                pending.push_back(i);
                continue;
            }
            if (!same_mutant(found->second->mutant, mutants[i])) {
                return error_text("the verdicts to resume name M" + std::to_string(mutants[i].id) +
                                  " '" + found->second->mutant.change + "', this run's M" +
                                  std::to_string(mutants[i].id) + " is '" + mutants[i].change +
                                  "' (" + mutants[i].source_function + ")");
            }
            report.mutants[i] = *found->second;
            report.mutants[i].mutant = mutants[i];
            decided[i] = true;
            ++report.resumed;
        }
    }
    const unsigned jobs = std::max(1u, options.jobs);
    KillHistory history;
    std::vector<std::unique_ptr<Worker>> workers;
    for (unsigned t = 0; t < jobs; ++t) {
        workers.push_back(std::make_unique<Worker>(harnesses, history));
    }
    std::mutex progress_lock;
    size_t since_checkpoint = 0;
    if (auto error =
            parallel_for(pending.size(), jobs, [&](size_t p, unsigned thread) -> llvm::Error {
                const size_t i = pending[p];
                auto result = workers[thread]->run(mutants[i], options);
                if (!result) {
                    return result.takeError();
                }
                std::lock_guard<std::mutex> lock(progress_lock);
                report.mutants[i] = std::move(*result);
                decided[i] = true;
                if (options.on_result) {
                    options.on_result(report.mutants[i]);
                }
                if (options.on_checkpoint && ++since_checkpoint >= options.checkpoint_every) {
                    since_checkpoint = 0;
                    options.on_checkpoint(decided_so_far(report, decided));
                }
                return llvm::Error::success();
            })) {
        return std::move(error);
    }
    count_verdicts(report);
    report.seconds = since(start);
    if (options.verify.leave_contexts_to_exit) {
        for (std::unique_ptr<Worker>& worker : workers) {
            static_cast<void>(worker.release());
        }
    }
    return report;
}

} // namespace clockwork::verifier
