// Mutation testing on tiny_alloc.cpp, whose every mutant's verdict is known by hand (see
// harnesses/tiny_alloc_mutants.cpp), and the scope rules on the heap's own IR.
#include <clockwork/verifier/compile.hpp>
#include <clockwork/verifier/encoding.hpp>
#include <clockwork/verifier/loop_bounds.hpp>
#include <clockwork/verifier/mutation_run.hpp>

#include "kill_history.hpp"

#include <llvm/IR/Instructions.h>
#include <llvm/Support/Path.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::verifier {
namespace {

const std::string kTestHarnesses = CLOCKWORK_VERIFY_TEST_HARNESSES;

// The mutants of the stand-in allocator `source`, checked by `harness` (both test harnesses).
MutationOptions options_for(const std::string& source, const std::string& harness) {
    MutationOptions options;
    options.verify.clang = CLOCKWORK_VERIFY_CLANG;
    options.verify.allocator_sources = {kTestHarnesses + "/" + source};
    options.verify.include_dirs = {CLOCKWORK_VERIFY_ALLOC_INCLUDE,
                                   CLOCKWORK_VERIFY_HARNESS_INCLUDE};
    options.verify.check.timeout_ms = 20000;
    options.harnesses = {kTestHarnesses + "/" + harness};
    return options;
}

MutationOptions tiny_options() {
    return options_for("tiny_alloc.cpp", "tiny_alloc_mutants.cpp");
}

std::vector<const MutantResult*> with_status(const MutationReport& report, MutantStatus status) {
    std::vector<const MutantResult*> found;
    for (const MutantResult& result : report.mutants) {
        if (result.status == status) {
            found.push_back(&result);
        }
    }
    return found;
}

TEST(Mutants, TinyAllocatorHasOneSurvivorOneEquivalentThreeUnexecutedAndFiveKilled) {
    auto report = run_mutants(tiny_options());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    ASSERT_TRUE(report->originals_proven());
    ASSERT_EQ(report->mutants.size(), 10u);
    EXPECT_EQ(report->killed, 5u);
    EXPECT_EQ(report->equivalent, 1u);
    EXPECT_EQ(report->survived, 1u);
    EXPECT_EQ(report->undecided, 0u);
    EXPECT_EQ(report->unexecuted, 3u);
    EXPECT_DOUBLE_EQ(report->score(), 5.0 / 9.0);
    for (const MutantResult* unexecuted : with_status(*report, MutantStatus::unexecuted)) {
        EXPECT_EQ(unexecuted->mutant.function, "tiny_reset") << unexecuted->mutant.change;
        EXPECT_EQ(unexecuted->mutant.where.line, 20u);
    }

    const auto survivors = with_status(*report, MutantStatus::survived);
    ASSERT_EQ(survivors.size(), 1u);
    const Mutant& survivor = survivors.front()->mutant;
    EXPECT_EQ(survivor.op, MutationOperator::store_dropped);
    EXPECT_EQ(survivor.function, "tiny_record");
    EXPECT_EQ(survivor.where.file, "tiny_alloc.cpp");
    EXPECT_EQ(survivor.where.line, 16u);

    const auto equivalents = with_status(*report, MutantStatus::equivalent);
    ASSERT_EQ(equivalents.size(), 1u);
    EXPECT_EQ(equivalents.front()->mutant.op, MutationOperator::store_dropped);
    EXPECT_EQ(equivalents.front()->mutant.function, "tiny_clear");
    EXPECT_EQ(equivalents.front()->mutant.where.line, 12u);

    for (const MutantResult* killed : with_status(*report, MutantStatus::killed)) {
        EXPECT_EQ(killed->property, killed->mutant.function == "tiny_add_one"
                                        ? "adds-exactly-one"
                                        : "cleared-flag-is-zero")
            << killed->mutant.change;
        EXPECT_EQ(killed->harness, "tiny_alloc_mutants.cpp");
    }
}

// split_rule.cpp: "rest > 15" made "rest >= 15" or "rest > 14" is equivalent because the rest
// is a multiple of 8, which the mutated comparison itself shows (its value never changes);
// a changed multiplier in split_note changes its operand's value and the stored note, so it
// survives, and so does the dropped store. The other eight break the property.
TEST(Mutants, SameValueAtTheMutatedInstructionMakesAMutantEquivalent) {
    auto report = run_mutants(options_for("split_rule.cpp", "split_rule_mutants.cpp"));
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    ASSERT_TRUE(report->originals_proven());
    ASSERT_EQ(report->mutants.size(), 14u);
    EXPECT_EQ(report->killed, 8u);
    EXPECT_EQ(report->survived, 4u);
    std::vector<std::string> equivalent;
    for (const MutantResult* result : with_status(*report, MutantStatus::equivalent)) {
        equivalent.push_back(result->mutant.change);
        EXPECT_EQ(result->reason, kSameValueAtTheMutation);
        EXPECT_EQ(result->mutant.function, "split_rest");
    }
    EXPECT_EQ(equivalent, (std::vector<std::string>{"icmp ugt -> uge", "i32 15 -> 14"}));
    for (const MutantResult* result : with_status(*report, MutantStatus::survived)) {
        EXPECT_EQ(result->mutant.function, "split_note") << result->mutant.change;
    }
}

// A run cut short keeps what it decided (checkpoints), and a later run takes those verdicts
// instead of deciding them again, but only from a run of the same inputs.
TEST(Mutants, CheckpointsHoldTheDecidedAndAResumedRunTakesThem) {
    MutationOptions options = tiny_options();
    options.jobs = 1;
    options.checkpoint_every = 3;
    std::vector<size_t> checkpoint_sizes;
    std::optional<MutationReport> third;
    options.on_checkpoint = [&](const MutationReport& so_far) {
        checkpoint_sizes.push_back(so_far.mutants.size());
        EXPECT_EQ(so_far.killed + so_far.equivalent + so_far.survived + so_far.undecided +
                      so_far.unexecuted,
                  so_far.mutants.size());
        if (checkpoint_sizes.size() == 3) {
            third = so_far;
        }
    };
    auto first = run_mutants(options);
    ASSERT_TRUE(static_cast<bool>(first)) << llvm::toString(first.takeError());
    EXPECT_EQ(checkpoint_sizes, (std::vector<size_t>{3, 6, 9}));
    EXPECT_EQ(first->fingerprint.size(), 64u);
    EXPECT_EQ(first->resumed, 0u);
    ASSERT_TRUE(third.has_value());

    // The earlier run's verdicts stand: one is marked to show it was taken, not decided again.
    MutationOptions again = tiny_options();
    again.resumed.fingerprint = third->fingerprint;
    again.resumed.results = third->mutants;
    MutantResult& marked = again.resumed.results.front();
    marked.status = MutantStatus::undecided;
    marked.reason = "decided by the earlier run";
    auto second = run_mutants(again);
    ASSERT_TRUE(static_cast<bool>(second)) << llvm::toString(second.takeError());
    EXPECT_EQ(second->fingerprint, first->fingerprint);
    EXPECT_EQ(second->resumed, 9u);
    ASSERT_EQ(second->mutants.size(), 10u);
    for (size_t i = 0; i < second->mutants.size(); ++i) {
        const MutantResult& result = second->mutants[i];
        EXPECT_EQ(result.mutant.id, first->mutants[i].mutant.id);
        if (result.mutant.id == marked.mutant.id) {
            EXPECT_EQ(result.status, MutantStatus::undecided);
            EXPECT_EQ(result.reason, "decided by the earlier run");
        } else {
            EXPECT_EQ(result.status, first->mutants[i].status) << result.mutant.change;
        }
    }
    EXPECT_EQ(second->undecided, 1u);

    MutationOptions other_time_limit = again;
    other_time_limit.verify.check.timeout_ms = 10000;
    auto refused = run_mutants(other_time_limit);
    ASSERT_FALSE(static_cast<bool>(refused));
    EXPECT_NE(llvm::toString(refused.takeError())
                  .find("the verdicts to resume were decided by another run"),
              std::string::npos);

    MutationOptions other_mutant = again;
    other_mutant.resumed.results.back().mutant.change = "icmp eq -> ne";
    auto mismatch = run_mutants(other_mutant);
    ASSERT_FALSE(static_cast<bool>(mismatch));
    EXPECT_NE(llvm::toString(mismatch.takeError()).find("'icmp eq -> ne', this run's M"),
              std::string::npos);
}

TEST(KillHistory, HarnessesThatKilledNeighboursComeFirst) {
    Mutant copy_a;
    copy_a.function = "cw_heap_allocate";
    copy_a.source_function = "clear_class";
    copy_a.where = {"heap.cpp", 127};
    copy_a.inlined_at = {{"heap.cpp", 177}, {"heap.cpp", 321}};
    Mutant same_copy = copy_a;
    same_copy.where.line = 128;
    Mutant other_copy = copy_a;
    other_copy.inlined_at = {{"heap.cpp", 177}, {"heap.cpp", 400}};
    Mutant elsewhere = copy_a;
    elsewhere.source_function = "link_free";

    const std::vector<size_t> cheapest_first = {4, 2, 0, 1, 3};
    KillHistory history;
    EXPECT_EQ(history.order_for(same_copy, cheapest_first), cheapest_first);
    history.record_kill(copy_a, 3);
    history.record_kill(other_copy, 1);
    history.record_kill(other_copy, 1);
    // The copy's own killer first, then the function's by count, then the cheapest.
    EXPECT_EQ(history.order_for(same_copy, cheapest_first), (std::vector<size_t>{3, 1, 4, 2, 0}));
    EXPECT_EQ(history.order_for(other_copy, cheapest_first), (std::vector<size_t>{1, 3, 4, 2, 0}));
    EXPECT_EQ(history.order_for(elsewhere, cheapest_first), cheapest_first);
}

// The originals get their own, larger limit: what they prove decides what can kill, and must
// not shrink with a short --timeout or a loaded machine. Their limit is part of the fingerprint.
TEST(Mutants, OriginalsAreProvenWithTheirOwnLimit) {
    MutationOptions options = tiny_options();
    options.verify.check.timeout_ms = 1;
    options.limit = 2;
    auto report = run_mutants(options);
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    EXPECT_TRUE(report->originals_proven());
    ASSERT_FALSE(report->originals.empty());
    EXPECT_GT(report->originals.front().properties.size(), 1u);

    MutationOptions shorter = options;
    shorter.original_timeout_ms = 60000;
    auto other = run_mutants(shorter);
    ASSERT_TRUE(static_cast<bool>(other)) << llvm::toString(other.takeError());
    EXPECT_NE(other->fingerprint, report->fingerprint);
}

TEST(Mutants, LimitAndFunctionFilterChooseTheMutants) {
    MutationOptions options = tiny_options();
    options.scope.only_functions = {"tiny_clear"};
    options.jobs = 1;
    auto report = run_mutants(options);
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    std::vector<std::string> changes;
    for (const MutantResult& result : report->mutants) {
        EXPECT_EQ(result.mutant.function, "tiny_clear");
        changes.push_back(result.mutant.change);
    }
    EXPECT_EQ(changes,
              (std::vector<std::string>{"i32 0 -> 1", "i32 0 -> -1", "store i32 dropped"}));
    options.limit = 2;
    report = run_mutants(options);
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    EXPECT_EQ(report->mutants.size(), 2u);
    EXPECT_EQ(report->killed, 2u);
}

// A systematic sample says where the whole set's score lies; a sample cut short by a limit or
// chosen by id is no sample of it.
TEST(Mutants, ASystematicSampleIsMarkedAndALimitedOneIsNot) {
    MutationOptions options = tiny_options();
    options.jobs = 1;
    options.every = 3;
    auto report = run_mutants(options);
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    EXPECT_EQ(report->enumerated, 10u);
    EXPECT_EQ(report->mutants.size(), 4u); // ids 1, 4, 7, 10
    EXPECT_EQ(report->sampled_every, 3u);
    const ScoreInterval interval = report->score_interval();
    EXPECT_LE(interval.low, report->score());
    EXPECT_GE(interval.high, report->score());
    options.limit = 2;
    report = run_mutants(options);
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    EXPECT_EQ(report->sampled_every, 0u);
}

MutationReport counted(size_t total, size_t killed, size_t equivalent) {
    MutationReport report;
    report.mutants.resize(total);
    report.killed = killed;
    report.equivalent = equivalent;
    return report;
}

// Wilson's interval, checked against the closed form evaluated independently.
TEST(MutationScore, IntervalOfASampleNearlyAllKilled) {
    // The heap's one-in-10 sample on rv32imc: 367 killed of 402, 29 equivalent.
    const ScoreInterval interval = counted(402, 367, 29).score_interval();
    EXPECT_NEAR(interval.low, 0.9653551, 1e-6);
    EXPECT_NEAR(interval.high, 0.9926074, 1e-6);
}

TEST(MutationScore, IntervalKeepsItsWidthAtTheEdges) {
    const ScoreInterval all = counted(10, 10, 0).score_interval();
    EXPECT_NEAR(all.low, 0.7224672, 1e-6);
    EXPECT_DOUBLE_EQ(all.high, 1.0);
    const ScoreInterval none = counted(5, 0, 0).score_interval();
    EXPECT_DOUBLE_EQ(none.low, 0.0);
    EXPECT_NEAR(none.high, 0.4344825, 1e-6);
}

TEST(MutationScore, ASampleOfEquivalentMutantsSaysNothingOfTheRest) {
    const ScoreInterval interval = counted(4, 0, 4).score_interval();
    EXPECT_DOUBLE_EQ(interval.low, 0.0);
    EXPECT_DOUBLE_EQ(interval.high, 1.0);
}

// heap.cpp alone, as the verifier compiles it for rv32imc.
llvm::Expected<CompiledProgram> compile_heap() {
    const std::string heap = CLOCKWORK_VERIFY_HEAP_SOURCE;
    return compile_and_link(
        CLOCKWORK_VERIFY_CLANG, "rv32imc", {heap},
        {CLOCKWORK_VERIFY_ALLOC_INCLUDE, llvm::sys::path::parent_path(heap).str()});
}

// The invariant check is the specification: none of its code, inlined anywhere, is mutated,
// while the code of allocate and free is.
TEST(Mutants, HeapInvariantCheckIsNeverMutated) {
    auto program = compile_heap();
    ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
    std::vector<std::string> functions;
    for (const llvm::Function& function : *program->module) {
        if (!function.isDeclaration()) {
            functions.push_back(function.getName().str());
        }
    }
    ASSERT_NE(std::find(functions.begin(), functions.end(), "cw_heap_invariants_hold"),
              functions.end());
    MutationScope scope;
    scope.source_files = {"heap.cpp"};
    const std::vector<Mutant> mutants = enumerate_mutants(*program->module, functions, scope);
    size_t in_allocate = 0;
    size_t in_free = 0;
    for (const Mutant& mutant : mutants) {
        EXPECT_NE(mutant.function, "cw_heap_invariants_hold") << mutant.change;
        for (const std::string& excluded : scope.excluded_functions) {
            EXPECT_NE(mutant.source_function, excluded) << mutant.function << " " << mutant.change;
        }
        in_allocate += mutant.function == "cw_heap_allocate" ? 1 : 0;
        in_free += mutant.function == "cw_heap_free" ? 1 : 0;
    }
    EXPECT_GT(in_allocate, 0u);
    EXPECT_GT(in_free, 0u);
}

// The 1-based line of the first line of `path` that contains `text`; 0 when none does.
unsigned line_of(const std::string& path, const std::string& text) {
    std::ifstream in(path);
    std::string line;
    for (unsigned number = 1; std::getline(in, line); ++number) {
        if (line.find(text) != std::string::npos) {
            return number;
        }
    }
    return 0;
}

// One line of a helper is inlined many times into one function: the chain of call lines tells
// the copies apart. clear_class's summary clear (and -> or) sits in allocate_aligned once per
// path that empties a class, with and without validation.
TEST(Mutants, InlinedCopiesOfOneLineHaveDistinctCallChains) {
    auto program = compile_heap();
    ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
    MutationScope scope;
    scope.source_files = {"heap.cpp"};
    scope.only_functions = {"clear_class"};
    const std::vector<Mutant> mutants =
        enumerate_mutants(*program->module, {"cw_heap_allocate_aligned"}, scope);
    const unsigned summary_clear = line_of(CLOCKWORK_VERIFY_HEAP_SOURCE, "h->summary &= ~bit(w);");
    ASSERT_NE(summary_clear, 0u);
    std::vector<std::vector<unsigned>> chains;
    for (const Mutant& mutant : mutants) {
        EXPECT_EQ(mutant.source_function, "clear_class");
        ASSERT_FALSE(mutant.inlined_at.empty()) << mutant.change;
        if (mutant.change != "and -> or" || mutant.where.line != summary_clear) {
            continue;
        }
        std::vector<unsigned> chain;
        for (const SourceLine& call : mutant.inlined_at) {
            EXPECT_EQ(call.file, "heap.cpp");
            chain.push_back(call.line);
        }
        chains.push_back(chain);
    }
    std::vector<std::vector<unsigned>> distinct = chains;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    EXPECT_EQ(chains.size(), 6u);
    EXPECT_EQ(distinct.size(), chains.size());
}

// A mutant whose encoding outlasts its budget is killed by an assertion it fails before the
// deadline: what the encoder hands back then must be exactly the part it finished.
TEST(Mutants, EncodingOutOfTimeKeepsTheAssertionsMetBeforeItsDeadline) {
    const std::string harness = kTestHarnesses + "/assert_then_loop.cpp";
    const std::vector<std::string> includes = {CLOCKWORK_VERIFY_ALLOC_INCLUDE,
                                               CLOCKWORK_VERIFY_HARNESS_INCLUDE};
    auto program = compile_and_link(CLOCKWORK_VERIFY_CLANG, "rv32imc", {harness}, includes);
    ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
    auto bounds = read_loop_bounds({harness}, includes, "rv32imc");
    ASSERT_TRUE(static_cast<bool>(bounds)) << llvm::toString(bounds.takeError());

    z3::context z3;
    std::optional<Encoding> prefix;
    auto encoding = encode(z3, *program->module, "cw_harness", *bounds,
                           std::chrono::steady_clock::now(), &prefix);
    ASSERT_FALSE(static_cast<bool>(encoding));
    EXPECT_EQ(llvm::toString(encoding.takeError()), kOutOfTime);
    ASSERT_TRUE(prefix.has_value());
    EXPECT_FALSE(prefix->final_memory.has_value());

    std::vector<std::string> properties;
    for (const AssertionSite& site : prefix->assertions) {
        if (site.property != kNoUndefinedBehaviour) {
            properties.push_back(site.property);
        }
    }
    ASSERT_EQ(properties, std::vector<std::string>{"before-the-loop"});
    const AssertionSite& before =
        *std::find_if(prefix->assertions.begin(), prefix->assertions.end(),
                      [](const AssertionSite& site) { return site.property == "before-the-loop"; });
    z3::solver solver(z3);
    solver.add(prefix->assumptions && before.reached && !before.holds);
    ASSERT_EQ(solver.check(), z3::sat);
    ASSERT_EQ(prefix->inputs.size(), 2u);
    EXPECT_EQ(solver.get_model().eval(prefix->inputs.front().value, true).get_numeral_uint64(), 3u);

    // Without a deadline, the same harness is encoded whole.
    std::optional<Encoding> unused;
    z3::context whole_z3;
    auto whole = encode(whole_z3, *program->module, "cw_harness", *bounds, std::nullopt, &unused);
    ASSERT_TRUE(static_cast<bool>(whole)) << llvm::toString(whole.takeError());
    EXPECT_FALSE(unused.has_value());
    EXPECT_TRUE(
        std::any_of(whole->assertions.begin(), whole->assertions.end(),
                    [](const AssertionSite& site) { return site.property == "after-the-loop"; }));
}

TEST(Mutants, PlantingAMutantWhereItsInstructionIsNotIsAnError) {
    auto program = compile_and_link(CLOCKWORK_VERIFY_CLANG, "rv32imc",
                                    {kTestHarnesses + "/tiny_alloc.cpp"}, {});
    ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
    MutationScope scope;
    scope.source_files = {"tiny_alloc.cpp"};
    std::vector<Mutant> mutants = enumerate_mutants(*program->module, {"tiny_clear"}, scope);
    ASSERT_FALSE(mutants.empty());
    Mutant misplaced = mutants.back(); // the dropped store
    misplaced.function = "tiny_add_one";
    llvm::Error error = apply_mutant(*program->module, misplaced);
    ASSERT_TRUE(static_cast<bool>(error));
    EXPECT_NE(llvm::toString(std::move(error)).find("tiny_add_one, instruction 0): not a store"),
              std::string::npos);
}

} // namespace
} // namespace clockwork::verifier
