#include <clockwork/reports/evidence_json.hpp>

#include <gtest/gtest.h>

#include <string>

namespace clockwork::reports {
namespace {

Evidence sample() {
    Evidence e;
    e.tools = {"0.1.0", "19.1.7", "4.8.12"};
    e.inputs = {{"elf", "build/targets/cortex-m4/clockwork_heap.elf", "ab12"},
                {"config", "clockwork.json", "cd34"}};
    Bound b;
    b.target = "cortex-m4";
    b.function = "cw_heap_free";
    b.metric = Metric::instructions;
    b.value = 101;
    b.worst_path = {{0x828, 1, 6, {"heap.cpp", 620}}, {0x800, 1, 14, {"heap.cpp", 300}}};
    b.loops = {
        {"copy_words", 0x500, {"heap.cpp", 330}, 4194304, LoopBoundProvenance::annotated, false}};
    b.timing_model = {{"wait_states", "0", "clockwork.json"}};
    b.assumptions = {{"loop at heap.cpp:330", "at most 4194304 iterations", "CW_LOOP_BOUND"}};
    Bound a = b;
    a.function = "cw_heap_allocate";
    a.value = 107;
    e.bounds = {b, a};
    Proof p;
    p.property = "free_preserves_invariants";
    p.harness = "free_harness.cpp";
    p.target = "rv32imc";
    p.status = ProofStatus::refuted;
    p.scope_blocks = 4;
    p.counterexample = Counterexample{{{"n", "24"}}, {{"heap.cpp", 10}}, "allocate 24; free #0"};
    e.proofs = {p};
    e.measurements = {
        {"cortex-m4", "cw_heap_free", Metric::instructions, "search", 1000, 40, 101, "w1"}};
    e.witnesses = {{"w1", "cortex-m4", "cw_heap_free", "search", 101, {"allocate 24", "free #0"}}};
    e.cross_checks = {{"cortex-m4", "cw_heap_free", Metric::instructions, 101, 101, true, 1.0}};
    e.budgets = {{"cortex-m4", "cw_heap_free", Metric::instructions, 120, 101, true}};
    e.verdict = Verdict::unsound;
    return e;
}

TEST(EvidenceJson, RoundTripGivesTheSameEvidence) {
    Evidence e = sample();
    const auto parsed = parse_evidence(to_canonical_json(e));
    ASSERT_TRUE(std::holds_alternative<Evidence>(parsed)) << std::get<ParseError>(parsed).message;
    canonicalize(e);
    EXPECT_EQ(std::get<Evidence>(parsed), e);
}

TEST(EvidenceJson, ProducerOrderDoesNotChangeTheBytes) {
    Evidence forward = sample();
    Evidence backward = sample();
    std::swap(backward.bounds[0], backward.bounds[1]);
    std::swap(backward.inputs[0], backward.inputs[1]);
    std::swap(backward.bounds[1].worst_path[0], backward.bounds[1].worst_path[1]);
    EXPECT_EQ(to_canonical_json(forward), to_canonical_json(backward));
}

TEST(EvidenceJson, BoundsAreOrderedByTargetFunctionMetric) {
    const std::string text = to_canonical_json(sample());
    EXPECT_LT(text.find("\"cw_heap_allocate\""), text.find("\"cw_heap_free\""));
    EXPECT_EQ(text.find("\"schema\": \"clockwork.evidence/1\"") != std::string::npos, true);
    EXPECT_EQ(text.back(), '\n');
}

TEST(EvidenceJson, AllocatorRoundTripsAndOrdersRecordsOfOneTarget) {
    Evidence e = sample();
    Bound halffit = e.bounds[0];
    halffit.allocator = "heap-halffit";
    halffit.value = 70;
    e.bounds[0].allocator = "heap";
    e.bounds = {halffit, e.bounds[0]};
    e.cross_checks[0].allocator = "heap-halffit";
    const auto parsed = parse_evidence(to_canonical_json(e));
    ASSERT_TRUE(std::holds_alternative<Evidence>(parsed)) << std::get<ParseError>(parsed).message;
    const Evidence& back = std::get<Evidence>(parsed);
    ASSERT_EQ(back.bounds.size(), 2u);
    EXPECT_EQ(back.bounds[0].allocator, "heap");
    EXPECT_EQ(back.bounds[1].allocator, "heap-halffit");
    EXPECT_EQ(back.bounds[1].value, 70u);
    EXPECT_EQ(back.cross_checks[0].allocator, "heap-halffit");
}

TEST(EvidenceJson, DocumentWithoutAllocatorKeysReadsAsNoAllocator) {
    std::string text = to_canonical_json(sample());
    size_t removed = 0;
    for (size_t at = text.find("\"allocator\": \"\","); at != std::string::npos;
         at = text.find("\"allocator\": \"\",")) {
        text.erase(at, std::string("\"allocator\": \"\",").size());
        ++removed;
    }
    EXPECT_GT(removed, 0u);
    const auto parsed = parse_evidence(text);
    ASSERT_TRUE(std::holds_alternative<Evidence>(parsed)) << std::get<ParseError>(parsed).message;
    EXPECT_EQ(std::get<Evidence>(parsed).bounds[0].allocator, "");
}

// The verifier's Z3 parameters are written where its proofs are, and only there.
TEST(EvidenceJson, Z3ParametersRoundTripAndAreAbsentWithoutProofsOfTheVerifier) {
    EXPECT_EQ(to_canonical_json(sample()).find("z3_parameters"), std::string::npos);
    Evidence e = sample();
    e.tools.z3_parameters = "tactic simplify; ackermannize_bv; qfbv, 60 s of solver work";
    const auto parsed = parse_evidence(to_canonical_json(e));
    ASSERT_TRUE(std::holds_alternative<Evidence>(parsed)) << std::get<ParseError>(parsed).message;
    EXPECT_EQ(std::get<Evidence>(parsed).tools.z3_parameters, e.tools.z3_parameters);
}

TEST(EvidenceJson, VerifierCompileLinesRoundTripAndAreAbsentWithoutProofsOfTheVerifier) {
    EXPECT_EQ(to_canonical_json(sample()).find("verifier_compile"), std::string::npos);
    Evidence e = sample();
    e.tools.verifier_compile = {{"rv32imc", "clang++ --target=riscv32-unknown-elf -O2"},
                                {"cortex-m4", "clang++ --target=thumbv7em-none-eabi -O2"}};
    const auto parsed = parse_evidence(to_canonical_json(e));
    ASSERT_TRUE(std::holds_alternative<Evidence>(parsed)) << std::get<ParseError>(parsed).message;
    EXPECT_EQ(std::get<Evidence>(parsed).tools.verifier_compile, e.tools.verifier_compile);
}

// Durations stay out of the Evidence; beside it, they are sorted like everything else.
TEST(EvidenceJson, RunInfoHoldsTheSecondsByStep) {
    RunInfo run;
    run.seconds = {{"total", 1.5}, {"rv32imc a.cpp p", 0.25}};
    EXPECT_EQ(run_info_json(run), "{\n  \"schema\": \"clockwork.run/1\",\n  \"seconds\": {\n"
                                  "    \"rv32imc a.cpp p\": 0.25,\n    \"total\": 1.5\n  }\n}\n");
}

TEST(EvidenceJson, MissingKeyNamesItsPointer) {
    std::string text = to_canonical_json(sample());
    const std::string key = "\"highest_measured\": 101,";
    text.erase(text.find(key), key.size());
    const auto parsed = parse_evidence(text);
    ASSERT_TRUE(std::holds_alternative<ParseError>(parsed));
    const std::string& message = std::get<ParseError>(parsed).message;
    EXPECT_NE(message.find("/cross_checks/0"), std::string::npos) << message;
    EXPECT_NE(message.find("highest_measured"), std::string::npos) << message;
}

TEST(EvidenceJson, UnknownMetricIsRefusedWithItsPointer) {
    std::string text = to_canonical_json(sample());
    text.replace(text.find("\"instructions\""), 14, "\"seconds\"");
    const auto parsed = parse_evidence(text);
    ASSERT_TRUE(std::holds_alternative<ParseError>(parsed));
    EXPECT_EQ(std::get<ParseError>(parsed).message,
              "/bounds/0/metric: '\"seconds\"' is not one of instructions, cycles");
}

TEST(EvidenceJson, OtherDocumentsAreNotEvidence) {
    const auto parsed = parse_evidence("{\"schema\": \"something/2\"}");
    ASSERT_TRUE(std::holds_alternative<ParseError>(parsed));
    EXPECT_EQ(std::get<ParseError>(parsed).message,
              "/schema: not a Clockwork Evidence document (expected \"clockwork.evidence/1\")");
    EXPECT_TRUE(std::holds_alternative<ParseError>(parse_evidence("not json")));
}

TEST(Verdict, UnsoundCrossCheckOutranksBudget) {
    Evidence e = sample();
    e.proofs.clear();
    e.cross_checks[0].sound = false;
    e.budgets[0].within = false;
    EXPECT_EQ(decide_verdict(e), Verdict::unsound);
    EXPECT_EQ(exit_code(decide_verdict(e)), 2);
}

TEST(Verdict, RefutedOrVacuousProofIsUnsound) {
    Evidence e = sample();
    EXPECT_EQ(decide_verdict(e), Verdict::unsound);
    e.proofs[0].status = ProofStatus::vacuous;
    EXPECT_EQ(decide_verdict(e), Verdict::unsound);
    e.proofs[0].status = ProofStatus::unknown;
    EXPECT_EQ(decide_verdict(e), Verdict::pass);
}

TEST(Verdict, BudgetExceededGivesExitOne) {
    Evidence e = sample();
    e.proofs.clear();
    e.budgets[0].within = false;
    EXPECT_EQ(decide_verdict(e), Verdict::budget_exceeded);
    EXPECT_EQ(exit_code(Verdict::budget_exceeded), 1);
    EXPECT_EQ(exit_code(Verdict::pass), 0);
    EXPECT_EQ(exit_code(Verdict::error), 3);
}

} // namespace
} // namespace clockwork::reports
