// The analyzer's instruction bounds of tests/analyzer/programs/flow.c on every target, against
// worst cases derived by hand from each target's disassembly and confirmed by execution
// (Unicorn for cortex-m4, rv32imc and x86-64, with the Thumb IT instructions whose condition
// fails added back; simavr for avr), over every input the loop bounds allow.
#include "analysis_test_support.hpp"

#include <clockwork/analyzer/analysis.hpp>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

namespace {

using namespace clockwork;

struct Expected {
    const char* function;
    uint64_t cortex_m4, rv32imc, avr, x86_64;
};

// cw_test_search leaves its loop from the middle (a return). Its header holds both the loop's
// return test and body code, so the analysis cannot tell whether the header runs once more than
// the body; it counts the steps from the header into the body against the bound, which allows
// one more run of the header alone: the bound is that header run above the real worst case,
// 48 / 35 / 99 / 37 (docs/annotations.md).
constexpr Expected kExpected[] = {
    {"cw_test_straight", 8, 6, 7, 5},    {"cw_test_diamond", 13, 9, 12, 7},
    {"cw_test_loop", 37, 38, 112, 39},   {"cw_test_nested", 96, 66, 124, 89},
    {"cw_test_pragma", 35, 36, 113, 42}, {"cw_test_early_return", 20, 11, 17, 10},
    {"cw_test_search", 50, 38, 107, 40}, {"cw_test_callee", 10, 7, 8, 6},
    {"cw_test_caller", 29, 26, 30, 20},
};

constexpr uint64_t kSearchWorstCase[] = {48, 35, 99, 37};

uint64_t expected_for(const Expected& row, const std::string& target) {
    if (target == "cortex-m4")
        return row.cortex_m4;
    if (target == "rv32imc")
        return row.rv32imc;
    if (target == "avr")
        return row.avr;
    return row.x86_64;
}

// flow.c's image for a target, and its flow facts read from the build's compile command.
struct FlowProgram {
    std::unique_ptr<analyzer::binary::Program> program;
    analyzer::FlowFactsProvider facts;
};

FlowProgram load_flow(const std::string& target_name) {
    const std::string directory = std::string(CLOCKWORK_FLOW_PROGRAMS) + "/" + target_name;
    auto program = analyzer::binary::Program::load(directory + "/flow.elf",
                                                   *analyzer::binary::find_target(target_name));
    if (!program) {
        ADD_FAILURE() << llvm::toString(program.takeError());
        return {};
    }
    return {std::move(*program), [directory] {
                return analyzer::source::collect_flow_facts(directory,
                                                            {std::string(CLOCKWORK_FLOW_SOURCE)});
            }};
}

class FlowBounds : public ::testing::TestWithParam<std::string> {};

TEST_P(FlowBounds, InstructionBoundEqualsTheWorstCaseOnEveryFunction) {
    const std::string target_name = GetParam();
    const FlowProgram flow = load_flow(target_name);
    ASSERT_NE(flow.program, nullptr);
    auto analyzer = analyzer::Analyzer::create(*flow.program, flow.facts, {});
    ASSERT_TRUE(static_cast<bool>(analyzer)) << llvm::toString(analyzer.takeError());
    for (const Expected& row : kExpected) {
        auto bound = (*analyzer)->analyze(row.function);
        ASSERT_TRUE(static_cast<bool>(bound)) << llvm::toString(bound.takeError());
        EXPECT_EQ(bound->value, expected_for(row, target_name))
            << row.function << " on " << target_name;
    }
}

TEST_P(FlowBounds, LoopLeftFromItsMiddleIsBoundedSoundly) {
    const std::string target_name = GetParam();
    const FlowProgram flow = load_flow(target_name);
    ASSERT_NE(flow.program, nullptr);
    auto analyzer = analyzer::Analyzer::create(*flow.program, flow.facts, {});
    ASSERT_TRUE(static_cast<bool>(analyzer));
    auto bound = (*analyzer)->analyze("cw_test_search");
    ASSERT_TRUE(static_cast<bool>(bound)) << llvm::toString(bound.takeError());
    const size_t index = target_name == "cortex-m4" ? 0
                         : target_name == "rv32imc" ? 1
                         : target_name == "avr"     ? 2
                                                    : 3;
    EXPECT_GE(bound->value, kSearchWorstCase[index]);
    ASSERT_EQ(bound->loops.size(), 1u);
    EXPECT_EQ(bound->loops[0].bound, 6u);
    EXPECT_EQ(bound->loops[0].provenance, reports::LoopBoundProvenance::annotated);
}

TEST(FlowBoundsLoops, NestedLoopBoundsCarryTheirSourceLocations) {
    const FlowProgram flow = load_flow("cortex-m4");
    ASSERT_NE(flow.program, nullptr);
    auto analyzer = analyzer::Analyzer::create(*flow.program, flow.facts, {});
    ASSERT_TRUE(static_cast<bool>(analyzer));
    auto bound = (*analyzer)->analyze("cw_test_nested");
    ASSERT_TRUE(static_cast<bool>(bound)) << llvm::toString(bound.takeError());
    std::map<unsigned, uint64_t> by_line;
    for (const auto& loop : bound->loops) {
        by_line[loop.location.line] = loop.bound;
    }
    EXPECT_EQ(by_line, (std::map<unsigned, uint64_t>{{37, 4}, {39, 3}}));
    EXPECT_FALSE(bound->worst_path.empty());
    EXPECT_EQ(bound->assumptions.size(), 2u); // one per annotated loop
}

// A bound the verifier proved is marked proven, matched by its annotation's file and line; a
// proof of a larger bound, or of a file of the same name elsewhere, proves nothing.
TEST(FlowBoundsLoops, VerifiedAnnotationIsMarkedProven) {
    const FlowProgram flow = load_flow("cortex-m4");
    ASSERT_NE(flow.program, nullptr);
    const auto loop_of = [&](uint64_t proven_bound) {
        analyzer::AnalysisOptions options;
        options.proven_loop_bounds = {
            {CLOCKWORK_FLOW_SOURCE, 30, proven_bound, "loop-bound flow.c:30 <= 8"}};
        auto analyzer = analyzer::Analyzer::create(*flow.program, flow.facts, options);
        EXPECT_TRUE(static_cast<bool>(analyzer));
        auto bound = (*analyzer)->analyze("cw_test_loop");
        EXPECT_TRUE(static_cast<bool>(bound)) << llvm::toString(bound.takeError());
        EXPECT_EQ(bound->loops.size(), 1u);
        EXPECT_EQ(bound->assumptions.size(), 1u);
        return std::make_pair(bound->loops.at(0), bound->assumptions.at(0));
    };
    const auto [proven, proven_note] = loop_of(8);
    EXPECT_TRUE(proven.proven);
    EXPECT_NE(proven_note.source.find("proven by clockwork verify (loop-bound flow.c:30 <= 8)"),
              std::string::npos)
        << proven_note.source;
    const auto [assumed, assumed_note] = loop_of(9);
    EXPECT_FALSE(assumed.proven);
    EXPECT_EQ(assumed_note.source.find("proven"), std::string::npos) << assumed_note.source;
}

INSTANTIATE_TEST_SUITE_P(EveryTarget, FlowBounds,
                         ::testing::Values("cortex-m4", "rv32imc", "avr", "x86-64"),
                         clockwork::test::TargetTestName{});

} // namespace
