// clockwork verify's engine on small harnesses whose verdicts are known by hand, and on the
// heap harnesses that ship in verifier/harnesses.
#include <clockwork/verifier/compile.hpp>
#include <clockwork/verifier/encoding.hpp>
#include <clockwork/verifier/loop_bounds.hpp>
#include <clockwork/verifier/verify.hpp>

#include <llvm/ADT/bit.h>
#include <llvm/Support/Path.h>

#include <z3++.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace clockwork::verifier {
namespace {

const std::string kTestHarnesses = CLOCKWORK_VERIFY_TEST_HARNESSES;
const std::string kHeapHarnesses = CLOCKWORK_VERIFY_HARNESS_DIR;

VerifyOptions options_without_heap() {
    VerifyOptions options;
    options.clang = CLOCKWORK_VERIFY_CLANG;
    options.include_dirs = {CLOCKWORK_VERIFY_ALLOC_INCLUDE, CLOCKWORK_VERIFY_HARNESS_INCLUDE};
    options.check.timeout_ms = 30000;
    return options;
}

VerifyOptions options_with_heap() {
    VerifyOptions options = options_without_heap();
    // ctest runs each test in a process of its own, which ends after it: the heap harnesses'
    // contexts would take seconds each to delete (owned_context.hpp).
    options.leave_contexts_to_exit = true;
    // The heap's largest queries take about 20 s on an idle 2-core machine; beside other tests
    // on a loaded one, 30 s ran out. A verdict, not the machine's load, is what is tested here.
    options.check.timeout_ms = 240000;
    options.allocator_sources = {CLOCKWORK_VERIFY_HEAP_SOURCE};
    options.include_dirs.push_back(
        llvm::sys::path::parent_path(CLOCKWORK_VERIFY_HEAP_SOURCE).str());
    return options;
}

const PropertyResult* find(const HarnessReport& report, const std::string& property) {
    for (const PropertyResult& result : report.properties) {
        if (result.property == property) {
            return &result;
        }
    }
    return nullptr;
}

// The broken helper, run natively: the counterexample must really break it.
size_t broken_round_up_align(size_t bytes) {
    return (bytes + 8 - 2) & ~size_t{7};
}

TEST(Verifier, BrokenHelperIsRefutedWithItsOnlyCounterexample) {
    auto report = verify_harness(kTestHarnesses + "/broken_round_up.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    const PropertyResult* result = find(*report, "round-up-never-shrinks");
    ASSERT_NE(result, nullptr);
    EXPECT_EQ(result->status, reports::ProofStatus::refuted);
    ASSERT_TRUE(result->counterexample.has_value());
    const reports::Counterexample& example = *result->counterexample;
    ASSERT_EQ(example.inputs.size(), 1u);
    EXPECT_EQ(example.inputs.begin()->first, "nondet#0 (broken_round_up.cpp:16)");
    EXPECT_EQ(example.inputs.begin()->second, "1");
    const size_t n = std::stoul(example.inputs.begin()->second);
    EXPECT_LT(broken_round_up_align(n), n);
    // The path runs from the harness into the helper and back to the assertion.
    EXPECT_EQ(example.path, (std::vector<reports::SourceLocation>{{"broken_round_up.cpp", 16},
                                                                  {"broken_round_up.cpp", 11},
                                                                  {"broken_round_up.cpp", 18}}));
    EXPECT_EQ(example.replay, "CW_REPLAY_VALUES={1} round-up-never-shrinks");
}

TEST(Verifier, RefutedPropertyBesideProvenOnesKeepsEachVerdict) {
    auto report =
        verify_harness(kTestHarnesses + "/proven_beside_refuted.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    const PropertyResult* parity = find(*report, "parity-follows-the-count");
    ASSERT_NE(parity, nullptr);
    EXPECT_EQ(parity->status, reports::ProofStatus::proven);
    const PropertyResult* seven = find(*report, "never-seven");
    ASSERT_NE(seven, nullptr);
    EXPECT_EQ(seven->status, reports::ProofStatus::refuted);
    ASSERT_TRUE(seven->counterexample.has_value());
    EXPECT_EQ(seven->counterexample->replay, "CW_REPLAY_VALUES={7} never-seven");
    const auto loop = std::find_if(
        report->properties.begin(), report->properties.end(), [](const PropertyResult& result) {
            return llvm::StringRef(result.property).starts_with("loop-bound ");
        });
    ASSERT_NE(loop, report->properties.end());
    EXPECT_EQ(loop->status, reports::ProofStatus::proven);
}

// Reads at a symbolic index of an init loop's stores take the newest word of every index, whether
// the words follow the index (addresses) or not (squares).
TEST(Verifier, SymbolicReadOfAnInitLoopsWordsFindsTheNewestOfEach) {
    auto report = verify_harness(kTestHarnesses + "/init_loop_table.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    for (const char* property : {"entries-read-back-newest-first", "squares-read-back"}) {
        const PropertyResult* result = find(*report, property);
        ASSERT_NE(result, nullptr) << property;
        EXPECT_EQ(result->status, reports::ProofStatus::proven) << property;
    }
    const PropertyResult* null_entry = find(*report, "no-entry-is-null");
    ASSERT_NE(null_entry, nullptr);
    EXPECT_EQ(null_entry->status, reports::ProofStatus::refuted);
    ASSERT_TRUE(null_entry->counterexample.has_value());
    EXPECT_EQ(null_entry->counterexample->inputs,
              (std::map<std::string, std::string>{{"nondet#0 (init_loop_table.cpp:29)", "29"}}));
}

// The adders the solver makes of the products of a term by numerals: one per bit set in the
// numeral, or in its negation plus one for the negation; a power of two is a shift and none.
unsigned adders_of_products(const z3::expr& root) {
    unsigned most = 0;
    std::vector<z3::expr> stack{root};
    std::set<unsigned> seen;
    while (!stack.empty()) {
        const z3::expr e = stack.back();
        stack.pop_back();
        if (!e.is_app() || !seen.insert(e.id()).second) {
            continue;
        }
        for (unsigned i = 0; i < e.num_args(); ++i) {
            stack.push_back(e.arg(i));
            uint64_t factor = 0;
            if (e.decl().decl_kind() == Z3_OP_BMUL && e.arg(i).is_numeral_u64(factor)) {
                const uint64_t mask = (uint64_t{1} << e.get_sort().bv_size()) - 1;
                const unsigned adders = std::min(llvm::popcount(factor & mask),
                                                 1 + llvm::popcount((0 - factor) & mask));
                most = std::max(most, adders <= 1 ? 0u : adders);
            }
        }
    }
    return most;
}

// The entries' words in init_loop_table.cpp follow the index only where they are addresses: the
// read there is one case, the address a shift of the index. The squares and any two neighbouring
// words, which fit a line of some slope too, stay a case each: a product by such a slope is an
// adder per bit set of it once the solver bit-blasts it, many more than the cases it replaces.
TEST(Verifier, SymbolicReadOfAnInitLoopsWordsMultipliesOnlyByShifts) {
    const VerifyOptions options = options_without_heap();
    const std::string harness = kTestHarnesses + "/init_loop_table.cpp";
    auto program = compile_and_link(options.clang, options.target, {harness}, options.include_dirs);
    ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
    auto bounds = read_loop_bounds({harness}, options.include_dirs, options.target);
    ASSERT_TRUE(static_cast<bool>(bounds)) << llvm::toString(bounds.takeError());
    z3::context z3;
    auto encoding = encode(z3, *program->module, options.entry, *bounds);
    ASSERT_TRUE(static_cast<bool>(encoding)) << llvm::toString(encoding.takeError());
    ASSERT_EQ(encoding->assertions.size(), 3u + 1u); // and no-undefined-arithmetic-or-control
    for (const AssertionSite& site : encoding->assertions) {
        EXPECT_EQ(adders_of_products(site.holds), 0u) << site.property;
    }
}

// A read at an address with a few values is read at each of them: it still sees a store at a
// symbolic address exactly where the two meet, never reads a value its guard excludes, and agrees
// with a read whose address has too many values for that.
TEST(Verifier, SymbolicReadWithFewValuesSeesTheStoresWhereTheyMeet) {
    auto report = verify_harness(kTestHarnesses + "/few_values_read.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    for (const char* property :
         {"few-values-read-back", "excluded-value-is-not-read", "many-values-read-back"}) {
        const PropertyResult* result = find(*report, property);
        ASSERT_NE(result, nullptr) << property;
        EXPECT_EQ(result->status, reports::ProofStatus::proven) << property;
    }
    const PropertyResult* stored = find(*report, "store-is-never-read");
    ASSERT_NE(stored, nullptr);
    EXPECT_EQ(stored->status, reports::ProofStatus::refuted);
    ASSERT_TRUE(stored->counterexample.has_value());
    // The one way to read the stored word: both addresses at entry 5 (the third input, read
    // after the assertion, may be anything).
    const std::map<std::string, std::string>& inputs = stored->counterexample->inputs;
    EXPECT_EQ(inputs.at("nondet#0 (few_values_read.cpp:21)"), "5");
    EXPECT_EQ(inputs.at("nondet#1 (few_values_read.cpp:25)"), "5");
}

TEST(Verifier, UnreachableAssertionIsVacuousNotProven) {
    auto report = verify_harness(kTestHarnesses + "/vacuous.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    ASSERT_EQ(report->properties.size(), 3u);
    const PropertyResult* unreachable = find(*report, "unreachable-assertion");
    ASSERT_NE(unreachable, nullptr);
    EXPECT_EQ(unreachable->status, reports::ProofStatus::vacuous);
    EXPECT_EQ(unreachable->reason, "no input reaches the assertion at vacuous.cpp:10");
    const PropertyResult* reachable = find(*report, "reachable-assertion");
    ASSERT_NE(reachable, nullptr);
    EXPECT_EQ(reachable->status, reports::ProofStatus::proven);
}

TEST(Verifier, AnUnreachedAssertionIsVacuousBesideAReachedNamesake) {
    auto report = verify_harness(kTestHarnesses + "/vacuous_namesake.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    const PropertyResult* property = find(*report, "sum-of-squares-misses-three-mod-four");
    ASSERT_NE(property, nullptr);
    EXPECT_EQ(property->status, reports::ProofStatus::vacuous);
    EXPECT_EQ(property->reason, "no input reaches the assertion at vacuous_namesake.cpp:11");
    EXPECT_EQ(property->where.line, 11u);
}

TEST(Verifier, ContradictoryAssumptionsMakeEveryPropertyVacuous) {
    auto report = verify_harness(kTestHarnesses + "/contradiction.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    ASSERT_EQ(report->properties.size(), 2u);
    for (const PropertyResult& result : report->properties) {
        EXPECT_EQ(result.status, reports::ProofStatus::vacuous) << result.property;
        EXPECT_EQ(result.reason, "the harness's assumptions contradict each other");
    }
    EXPECT_EQ(report->properties[1].property, kNoUndefinedBehaviour);
}

TEST(Verifier, UnsupportedInstructionIsAnErrorNamingItAndItsLine) {
    auto report = verify_harness(kTestHarnesses + "/unsupported_float.cpp", options_without_heap());
    ASSERT_FALSE(static_cast<bool>(report));
    const std::string message = llvm::toString(report.takeError());
    EXPECT_NE(message.find("unsupported_float.cpp: unsupported_float.cpp:6: error: unsupported "
                           "cast 'uitofp' in cw_harness"),
              std::string::npos)
        << message;
}

TEST(Verifier, CallThroughAPointerGoesToTheFunctionItHolds) {
    auto report = verify_harness(kTestHarnesses + "/indirect_calls.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    for (const char* name :
         {"calls-the-function-the-pointer-holds", "both-functions-at-least-double"}) {
        const PropertyResult* result = find(*report, name);
        ASSERT_NE(result, nullptr) << name;
        EXPECT_EQ(result->status, reports::ProofStatus::proven) << name << ": " << result->reason;
    }
    const PropertyResult* doubles = find(*report, "every-function-doubles");
    ASSERT_NE(doubles, nullptr);
    EXPECT_EQ(doubles->status, reports::ProofStatus::refuted);
    ASSERT_TRUE(doubles->counterexample.has_value());
    EXPECT_EQ(doubles->counterexample->inputs.at("nondet#0 (indirect_calls.cpp:19)"), "1");
}

TEST(Verifier, CallThroughAPointerToNoFunctionIsAnError) {
    auto report =
        verify_harness(kTestHarnesses + "/indirect_call_to_nowhere.cpp", options_without_heap());
    ASSERT_FALSE(static_cast<bool>(report));
    const std::string message = llvm::toString(report.takeError());
    EXPECT_NE(message.find("indirect_call_to_nowhere.cpp:9: error: unsupported indirect call to "
                           "no function of the module"),
              std::string::npos)
        << message;
}

TEST(Verifier, LoopRunningPastItsBoundRefutesTheBound) {
    auto report =
        verify_harness(kTestHarnesses + "/loop_bound_exceeded.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    const PropertyResult* bound =
        find(*report, "loop-bound " + kTestHarnesses + "/loop_bound_exceeded.cpp:11 <= 4");
    ASSERT_NE(bound, nullptr);
    EXPECT_EQ(bound->status, reports::ProofStatus::refuted);
    ASSERT_TRUE(bound->counterexample.has_value());
    EXPECT_EQ(bound->counterexample->inputs.at("nondet#0 (loop_bound_exceeded.cpp:19)"), "5");
}

TEST(Verifier, SignedOverflowForSomeInputIsRefutedNamingItsLine) {
    auto report =
        verify_harness(kTestHarnesses + "/ub_signed_overflow.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    // With wrapping arithmetic the property holds: alone, it would hide the overflow.
    const PropertyResult* asserted = find(*report, "increment-is-undone-by-decrement");
    ASSERT_NE(asserted, nullptr);
    EXPECT_EQ(asserted->status, reports::ProofStatus::proven);
    const PropertyResult* defined = find(*report, kNoUndefinedBehaviour);
    ASSERT_NE(defined, nullptr);
    EXPECT_EQ(defined->status, reports::ProofStatus::refuted);
    EXPECT_EQ(defined->reason, "add nsw overflows at ub_signed_overflow.cpp:8");
    EXPECT_EQ(defined->where.file, "ub_signed_overflow.cpp");
    EXPECT_EQ(defined->where.line, 8u);
    ASSERT_TRUE(defined->counterexample.has_value());
    EXPECT_EQ(defined->counterexample->inputs.at("nondet#0 (ub_signed_overflow.cpp:13)"),
              "2147483647");
    EXPECT_EQ(defined->counterexample->path,
              (std::vector<reports::SourceLocation>{{"ub_signed_overflow.cpp", 13},
                                                    {"ub_signed_overflow.cpp", 8},
                                                    {"ub_signed_overflow.cpp", 14},
                                                    {"ub_signed_overflow.cpp", 15}}));
}

TEST(Verifier, OverflowExcludedByAnAssumptionIsProvenFree) {
    auto report =
        verify_harness(kTestHarnesses + "/ub_overflow_assumed_away.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    const PropertyResult* defined = find(*report, kNoUndefinedBehaviour);
    ASSERT_NE(defined, nullptr);
    EXPECT_EQ(defined->status, reports::ProofStatus::proven) << defined->reason;
}

TEST(Verifier, DivisionByAPossiblyZeroDivisorIsRefuted) {
    auto report =
        verify_harness(kTestHarnesses + "/ub_division_by_zero.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    const PropertyResult* asserted = find(*report, "remainder-at-most-dividend");
    ASSERT_NE(asserted, nullptr);
    EXPECT_EQ(asserted->status, reports::ProofStatus::proven);
    const PropertyResult* defined = find(*report, kNoUndefinedBehaviour);
    ASSERT_NE(defined, nullptr);
    EXPECT_EQ(defined->status, reports::ProofStatus::refuted);
    EXPECT_EQ(defined->reason, "urem by zero at ub_division_by_zero.cpp:7");
    ASSERT_TRUE(defined->counterexample.has_value());
    EXPECT_EQ(defined->counterexample->inputs.at("nondet#1 (ub_division_by_zero.cpp:13)"), "0");
}

TEST(Verifier, ReachedUnreachableIsRefuted) {
    auto report =
        verify_harness(kTestHarnesses + "/ub_unreachable_reached.cpp", options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    // Clang folded the assertion to true on the strength of the unreachable.
    const PropertyResult* asserted = find(*report, "input-at-most-twenty");
    ASSERT_NE(asserted, nullptr);
    EXPECT_EQ(asserted->status, reports::ProofStatus::proven);
    const PropertyResult* defined = find(*report, kNoUndefinedBehaviour);
    ASSERT_NE(defined, nullptr);
    EXPECT_EQ(defined->status, reports::ProofStatus::refuted);
    EXPECT_EQ(defined->reason, "unreachable reached at ub_unreachable_reached.cpp:11");
    ASSERT_TRUE(defined->counterexample.has_value());
    EXPECT_GT(
        std::stoul(defined->counterexample->inputs.at("nondet#0 (ub_unreachable_reached.cpp:8)")),
        20u);
}

TEST(Verifier, UnreachableAfterACallThatNeverReturnsIsNotUndefined) {
    auto report = verify_harness(kTestHarnesses + "/ub_unreachable_after_no_return.cpp",
                                 options_without_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    const PropertyResult* defined = find(*report, kNoUndefinedBehaviour);
    ASSERT_NE(defined, nullptr);
    EXPECT_EQ(defined->status, reports::ProofStatus::proven) << defined->reason;
}

// Every property of the harness proven: its cw_assert names in order,
// no-undefined-arithmetic-or-control, then one loop bound per loop it ran (their lines follow
// heap.cpp, so only their number is pinned here).
void expect_all_proven(const std::string& harness, const std::vector<std::string>& asserted,
                       size_t loops) {
    auto report = verify_harness(kHeapHarnesses + "/" + harness, options_with_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    std::vector<std::string> names;
    size_t bounds = 0;
    for (const PropertyResult& result : report->properties) {
        EXPECT_EQ(result.status, reports::ProofStatus::proven)
            << result.property << ": " << result.reason;
        if (result.property.rfind("loop-bound " + std::string(CLOCKWORK_VERIFY_HEAP_SOURCE) + ":",
                                  0) == 0) {
            ++bounds;
        } else {
            names.push_back(result.property);
        }
    }
    EXPECT_EQ(names, asserted);
    EXPECT_EQ(bounds, loops);
}

TEST(Verifier, SizeMappingIsProvenForEveryRequest) {
    expect_all_proven("size_mapping.cpp",
                      {"size-max-gets-null", "unservable-request-gets-null",
                       "refusal-counts-only-a-nonzero-request",
                       "servable-request-succeeds-on-empty-heap",
                       "block-size-computed-without-wrapping", "block-holds-request-and-header",
                       "block-size-is-aligned", "waste-within-documented-bound",
                       "allocation-is-counted", kNoUndefinedBehaviour},
                      2);
}

TEST(Verifier, AlignedRoundTripsHoldTheRequestKeepTheHeapAndFreeBack) {
    expect_all_proven("aligned_round_trips.cpp",
                      {"aligned-request-is-served", "aligned-pointer-inside-arena-aligned",
                       "aligned-block-holds-the-request", "aligned-request-is-the-peak",
                       "aligned-gives-back-head-and-tail", "aligned-counts-only-the-block",
                       "aligned-keeps-the-invariant", "aligned-pointer-frees",
                       "aligned-merges-back", kNoUndefinedBehaviour,
                       "loop-bound " + kHeapHarnesses + "/aligned_round_trips.cpp:92 <= 2",
                       "loop-bound " + kHeapHarnesses + "/aligned_round_trips.cpp:94 <= 4",
                       "loop-bound " + kHeapHarnesses + "/aligned_round_trips.cpp:96 <= 4"},
                      10);
}

TEST(Verifier, AlignedEdgesRefuseAndCountAndServeTheLargestRequest) {
    expect_all_proven(
        "aligned_edges.cpp",
        {"aligned-zero-gets-null-uncounted", "aligned-odd-alignment-gets-null-uncounted",
         "aligned-too-large-is-refused-and-counted", "aligned-largest-request-is-served",
         "aligned-largest-block-holds-the-request", "aligned-largest-keeps-the-invariant",
         "aligned-largest-frees-back", kNoUndefinedBehaviour,
         "loop-bound " + kHeapHarnesses + "/aligned_edges.cpp:74 <= 2",
         "loop-bound " + kHeapHarnesses + "/aligned_edges.cpp:76 <= 3"},
        10);
}

TEST(Verifier, AlignedBesideAHoleServesByClassAndGivesTheTailBack) {
    expect_all_proven("aligned_from_a_hole.cpp",
                      {"hole-request-is-served", "hole-block-holds-the-request",
                       "hole-serves-exactly-what-fits-its-class",
                       "hole-block-takes-the-lowest-place", "hole-keeps-the-invariant",
                       "hole-pointer-frees", "hole-and-rest-come-back",
                       "hole-alone-refuses-what-it-cannot-hold", kNoUndefinedBehaviour,
                       "loop-bound " + kHeapHarnesses + "/aligned_from_a_hole.cpp:120 <= 2",
                       "loop-bound " + kHeapHarnesses + "/aligned_from_a_hole.cpp:122 <= 6",
                       "loop-bound " + kHeapHarnesses + "/aligned_from_a_hole.cpp:126 <= 4"},
                      10);
}

TEST(Verifier, LockedHeapRunsEveryCallInsideTheLockAndKeepsItsPromises) {
    expect_all_proven("locked_sequences.cpp",
                      {"lock-is-never-nested", "lock-is-held-when-released",
                       "every-call-runs-inside-the-lock", "locked-refusal-is-counted-once",
                       "locked-blocks-are-served", "locked-heap-keeps-the-invariant",
                       "locked-reallocate-grows", "locked-reallocate-shrinks-in-place",
                       "locked-aligned-is-served-aligned", "locked-free-succeeds",
                       "locked-frees-merge-back", "locked-full-heap-refuses",
                       "locked-full-heap-refusal-is-counted-once", kNoUndefinedBehaviour,
                       "loop-bound " + kHeapHarnesses + "/locked_sequences.cpp:154 <= 2",
                       "loop-bound " + kHeapHarnesses + "/locked_sequences.cpp:156 <= 2",
                       "loop-bound " + kHeapHarnesses + "/locked_sequences.cpp:83 <= 3",
                       "loop-bound " + kHeapHarnesses + "/locked_sequences.cpp:116 <= 3",
                       "loop-bound " + kHeapHarnesses + "/locked_sequences.cpp:130 <= 32"},
                      11);
}

TEST(Verifier, ReallocateTakesEachPathAndWithValidationRefusesBadPointers) {
    expect_all_proven(
        "reallocate_paths.cpp",
        {"reallocate-grows-into-the-free-next-block", "reallocate-keeps-the-invariant",
         "reallocate-shrinks-leaving-a-free-tail", "reallocate-moves-keeping-the-contents",
         "reallocate-refuses-too-large-keeping-the-block", "reallocate-to-zero-frees",
         "reallocate-of-null-allocates", "reallocate-frees-merge-back",
         "reallocate-shrinks-into-the-free-next-block", "reallocate-moves-into-a-hole-it-fills",
         "reallocate-that-finds-no-block-keeps-the-block",
         "reallocate-moves-merging-the-old-block-forward", "reallocate-refuses-an-invalid-pointer",
         kNoUndefinedBehaviour, "loop-bound " + kHeapHarnesses + "/reallocate_paths.cpp:252 <= 24"},
        11);
}

TEST(Verifier, InitRefusesBadArenasAndMakesAnEmptyWellFormedHeap) {
    expect_all_proven("init_arguments.cpp",
                      {"small-arena-is-refused", "arena-from-the-minimum-is-accepted",
                       "init-spans-the-usable-arena", "init-makes-an-empty-heap",
                       "init-sets-the-fast-path-limits", "init-leaves-a-well-formed-heap",
                       "init-writes-no-free-block-payload", "init-serves-its-largest-request",
                       "misaligned-arena-is-refused", "null-options-are-accepted",
                       "null-options-are-the-defaults", kNoUndefinedBehaviour,
                       "loop-bound " + kHeapHarnesses + "/init_arguments.cpp:115 <= 2",
                       "loop-bound " + kHeapHarnesses + "/init_arguments.cpp:120 <= 5"},
                      10);
}

TEST(Verifier, ReleaseSequencesKeepTheInvariantAndMergeBack) {
    expect_all_proven("release_sequences.cpp",
                      {"sequence-blocks-are-served", "release-path-keeps-the-invariant",
                       "release-path-counts-bytes", "release-path-counts-peaks-and-refusals",
                       "release-path-refuses-zero-and-size-max", "reallocate-grows",
                       "reallocate-shrinks-in-place", "release-free-succeeds",
                       "frees-merge-back-into-one-block", kNoUndefinedBehaviour,
                       "loop-bound " + kHeapHarnesses + "/release_sequences.cpp:103 <= 2",
                       "loop-bound " + kHeapHarnesses + "/release_sequences.cpp:105 <= 6",
                       "loop-bound " + kHeapHarnesses + "/release_sequences.cpp:48 <= 3",
                       "loop-bound " + kHeapHarnesses + "/release_sequences.cpp:86 <= 3"},
                      7);
}

TEST(Verifier, BitmapWordsLoseOnlyTheBitsOfEmptiedClassesAndWords) {
    expect_all_proven("bitmap_words.cpp",
                      {"bitmap-words-serve-the-request", "bitmap-words-agree-with-the-lists",
                       "bitmap-words-free", kNoUndefinedBehaviour,
                       "loop-bound " + kHeapHarnesses + "/bitmap_words.cpp:139 <= 2",
                       "loop-bound " + kHeapHarnesses + "/bitmap_words.cpp:142 <= 2"},
                      10);
}

// Property 3, the inductive step: on every heap of up to four blocks that symbolic_heap.h builds,
// the operation keeps it well-formed by the same check, with every loop bound proven, and the
// report carries the scope. Each harness is one query (docs/verifier.md, Limits);
// options_with_heap leaves margin for a machine running other tests beside it.
void expect_inductive_step(const std::string& harness, const std::vector<std::string>& properties) {
    auto report = verify_harness(kHeapHarnesses + "/" + harness, options_with_heap());
    ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    EXPECT_EQ(report->scope_blocks, 4u);
    std::vector<std::string> asserted;
    for (const PropertyResult& result : report->properties) {
        EXPECT_EQ(result.status, reports::ProofStatus::proven)
            << result.property << ": " << result.reason;
        if (!llvm::StringRef(result.property).starts_with("loop-bound ")) {
            asserted.push_back(result.property);
        }
    }
    EXPECT_EQ(asserted, properties);
}

TEST(Verifier, FreeKeepsEveryHeapOfUpToFourBlocksWellFormed) {
    expect_inductive_step("invariant_free.cpp",
                          {"free-keeps-blocks-tiling", "free-keeps-free-blocks-apart",
                           "free-keeps-free-blocks-listed", "free-keeps-lists-sound",
                           "free-keeps-bitmaps", "free-keeps-statistics",
                           "free-of-a-used-block-succeeds", "free-uncounts-the-block",
                           kNoUndefinedBehaviour});
}

TEST(Verifier, AllocateKeepsEveryHeapOfUpToFourBlocksWellFormed) {
    expect_inductive_step("invariant_allocate.cpp",
                          {"allocate-keeps-blocks-tiling", "allocate-keeps-free-blocks-apart",
                           "allocate-keeps-free-blocks-listed", "allocate-keeps-lists-sound",
                           "allocate-keeps-bitmaps", "allocate-keeps-statistics",
                           "allocate-succeeds-exactly-when-a-class-fits",
                           "allocate-carves-from-a-free-block",
                           "allocate-splits-off-every-rest-that-holds-a-block",
                           "allocate-returns-a-used-block-that-fits", "allocate-counts-the-block",
                           "failed-allocate-changes-no-block", kNoUndefinedBehaviour});
}

// reallocate_step.h splits the requests in two harnesses that together cover every size_t.
TEST(Verifier, ReallocateInPlaceKeepsEveryHeapOfUpToFourBlocksWellFormed) {
    expect_inductive_step(
        "invariant_reallocate_in_place.cpp",
        {"reallocate-keeps-blocks-tiling", "reallocate-keeps-free-blocks-apart",
         "reallocate-keeps-free-blocks-listed", "reallocate-keeps-lists-sound",
         "reallocate-keeps-bitmaps", "reallocate-keeps-statistics",
         "reallocate-of-a-used-block-reports-ok", "reallocate-returns-a-used-block-that-fits",
         "reallocate-returns-an-aligned-block-of-the-heap", "failed-reallocate-keeps-the-block",
         "reallocate-to-zero-frees-the-block", kNoUndefinedBehaviour});
}

TEST(Verifier, ReallocateLargerKeepsEveryHeapOfUpToFourBlocksWellFormed) {
    expect_inductive_step("invariant_reallocate_larger.cpp",
                          {"reallocate-keeps-blocks-tiling", "reallocate-keeps-free-blocks-apart",
                           "reallocate-keeps-free-blocks-listed", "reallocate-keeps-lists-sound",
                           "reallocate-keeps-bitmaps", "reallocate-keeps-statistics",
                           "reallocate-of-a-used-block-reports-ok",
                           "reallocate-returns-a-used-block-that-fits",
                           "reallocate-returns-an-aligned-block-of-the-heap",
                           "failed-reallocate-keeps-the-block", kNoUndefinedBehaviour});
}

TEST(Verifier, AllocatedPointersStayInsideTheArenaAligned) {
    expect_all_proven("pointer_bounds.cpp",
                      {"pointer-inside-arena", "pointer-aligned", kNoUndefinedBehaviour}, 2);
}

TEST(Verifier, AlignedAllocationsStayInsideTheArenaAlignedForEveryPowerOfTwo) {
    expect_all_proven("aligned_pointer_bounds.cpp",
                      {"aligned-refuses-non-power-of-two", "aligned-pointer-inside-arena",
                       "aligned-pointer-aligned", kNoUndefinedBehaviour},
                      2);
}

TEST(Verifier, ValidatedFreeRefusesEveryPointerThatIsNotLiveWithItsStatus) {
    expect_all_proven("free_validation.cpp",
                      {"small-request-succeeds", "invalid-pointer-gets-the-status-of-its-kind",
                       "invalid-pointer-changes-only-the-refusal-count",
                       "free-of-allocated-pointer-succeeds", "free-restores-the-statistics",
                       "double-free-is-refused", "double-free-changes-only-the-refusal-count",
                       "free-of-non-live-pointer-is-refused", kNoUndefinedBehaviour,
                       "loop-bound " + kHeapHarnesses + "/free_validation.cpp:24 <= 512"},
                      3);
}

} // namespace
} // namespace clockwork::verifier
