// The worst-case search on a function whose worst input is one 16-bit value in 65536
// (rare_input.c): guided by the measured count, it reaches the exact maximum well within a
// budget at which random sampling does not, and that maximum is the analyzer's bound.
#include "../analyzer/analysis/analysis_test_support.hpp"

#include <clockwork/runner/machine.hpp>
#include <clockwork/workloads/worst_case_search.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace clockwork;
using workloads::SearchOptions;
using workloads::SearchStrategy;

// A sixteenth of the input space: random sampling finds the worst input with probability
// 1 - (1 - 2^-16)^4096, about 6%, and not with the seed used here.
constexpr uint64_t kBudget = 4096;
constexpr uint16_t kRareInput = 0x3CA5;

std::string directory_of(const std::string& target) {
    return std::string(CLOCKWORK_RARE_PROGRAMS) + "/" + target;
}

// Instructions of cw_test_rare by stage, counted by hand from its disassembly (llvm-objdump -d
// of rare_input.elf), from the first instruction up to and including the return. The stages
// are computed without branches; then the code returns at once (no stage) or runs the loop.
//   cortex-m4: 12 to the IT-predicated bxeq (issued whether or not it returns); else 5 more
//              (lsls, add.w, rsbs, mov.w, and the alignment nop), 6 per round, the bx:
//              18 + 6 * rounds.
//   rv32imc:   10 to the beqz, the beqz, the ret when no stage; else 6 more (li, slli, slli,
//              add, li, li), 7 per round, sub and ret: 19 + 7 * rounds.
struct Costs {
    uint64_t no_stage;  // low byte not 0xA5: no round
    uint64_t one_stage; // low byte 0xA5, high byte not 0x3C: 8 rounds
    uint64_t worst;     // 0x3CA5: 16 rounds
};

Costs costs_of(const std::string& target) {
    if (target == "cortex-m4") {
        return {12, 18 + 6 * 8, 18 + 6 * 16}; // 12, 66, 114
    }
    return {12, 19 + 7 * 8, 19 + 7 * 16}; // 12, 75, 131
}

uint16_t input_of(llvm::ArrayRef<uint8_t> bytes) {
    return static_cast<uint16_t>(bytes[0] | (bytes[1] << 8));
}

class RareInputSearch : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        auto loaded =
            runner::Machine::load(directory_of(GetParam()) + "/rare_input.elf", GetParam());
        ASSERT_TRUE(static_cast<bool>(loaded)) << llvm::toString(loaded.takeError());
        machine = std::move(*loaded);
    }

    llvm::Expected<workloads::SearchResult> search(SearchOptions options) {
        options.record_bytes = 2;
        options.min_records = 1;
        options.max_records = 1;
        return workloads::search_worst_case(
            options, [&](llvm::ArrayRef<uint8_t> input) -> llvm::Expected<workloads::Evaluation> {
                auto call = machine->call("cw_test_rare", {input_of(input)});
                if (!call) {
                    return call.takeError();
                }
                return workloads::Evaluation{call->cost.instructions, {}};
            });
    }

    std::unique_ptr<runner::Machine> machine;
};

TEST_P(RareInputSearch, EachStageCostsMoreThanTheOneBefore) {
    const Costs costs = costs_of(GetParam());
    for (auto [input, expected] : {std::pair<uint64_t, uint64_t>{0x0000, costs.no_stage},
                                   {0x3C00, costs.no_stage},
                                   {0x00A5, costs.one_stage},
                                   {0x3DA5, costs.one_stage},
                                   {0x3CA4, costs.no_stage},
                                   {0x3CA5, costs.worst},
                                   {0x13CA5, costs.worst}}) {
        auto call = machine->call("cw_test_rare", {input});
        ASSERT_TRUE(static_cast<bool>(call)) << llvm::toString(call.takeError());
        EXPECT_EQ(call->cost.instructions, expected) << "input 0x" << std::hex << input;
    }
}

TEST_P(RareInputSearch, GuidedSearchReachesTheRareWorstCaseWithinItsBudget) {
    SearchOptions options;
    options.seed = 7;
    options.executions = kBudget;
    auto result = search(options);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    EXPECT_EQ(result->best_cost, costs_of(GetParam()).worst);
    EXPECT_EQ(input_of(result->best_input), kRareInput);
    EXPECT_EQ(result->executions, kBudget); // no goal: the whole budget runs
    // The first input, then byte sweeps restarted on each new best: byte 0 to 0xA5 (at most 255
    // executions), byte 0 again without gain, byte 1 to 0x3C (255 each).
    EXPECT_LE(result->executions_to_best, 1u + 3 * 255);
}

TEST_P(RareInputSearch, RandomSamplingWithTheSameBudgetOnlyFindsTheFirstStage) {
    SearchOptions options;
    options.seed = 7;
    options.executions = kBudget;
    options.strategy = SearchStrategy::random;
    auto result = search(options);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    EXPECT_EQ(result->best_cost, costs_of(GetParam()).one_stage);
    EXPECT_EQ(result->executions, kBudget);
    EXPECT_FALSE(result->goal_reached);
}

TEST_P(RareInputSearch, SearchStopsAtTheAnalyzersBound) {
    const std::string target = GetParam();
    auto bound = test::analyze_function(directory_of(target) + "/rare_input.elf", target,
                                        directory_of(target), "cw_test_rare");
    ASSERT_TRUE(static_cast<bool>(bound)) << llvm::toString(bound.takeError());
    EXPECT_EQ(bound->value, costs_of(target).worst);
    SearchOptions options;
    options.seed = 7;
    options.executions = kBudget;
    options.goal = bound->value;
    auto result = search(options);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    EXPECT_TRUE(result->goal_reached);
    EXPECT_EQ(result->best_cost, bound->value);
    EXPECT_EQ(result->executions, result->executions_to_best);
}

TEST_P(RareInputSearch, AnInitialInputAtTheGoalEndsTheSearchAtOnce) {
    SearchOptions options;
    options.executions = kBudget;
    options.goal = costs_of(GetParam()).worst;
    options.initial_inputs = {{0x00, 0x00}, {0xA5, 0x3C}, {0x01, 0x02}};
    auto result = search(options);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    EXPECT_TRUE(result->goal_reached);
    EXPECT_EQ(result->executions, 2u);
    EXPECT_EQ(input_of(result->best_input), kRareInput);
}

TEST_P(RareInputSearch, TheSameSeedGivesTheSameSearch) {
    SearchOptions options;
    options.seed = 99;
    options.executions = 3000;
    auto first = search(options);
    auto second = search(options);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->best_input, second->best_input);
    EXPECT_EQ(first->executions_to_best, second->executions_to_best);
    EXPECT_EQ(first->corpus_size, second->corpus_size);
}

INSTANTIATE_TEST_SUITE_P(Targets, RareInputSearch, ::testing::Values("cortex-m4", "rv32imc"),
                         clockwork::test::TargetTestName{});

TEST(WorstCaseSearch, RefusesRecordsThatCannotHoldAnInput) {
    SearchOptions options;
    options.record_bytes = 0;
    auto result = workloads::search_worst_case(
        options, [](llvm::ArrayRef<uint8_t>) -> llvm::Expected<workloads::Evaluation> {
            return workloads::Evaluation{};
        });
    ASSERT_FALSE(static_cast<bool>(result));
    EXPECT_EQ(llvm::toString(result.takeError()),
              "the search needs records of at least one byte and 1 <= min_records <= "
              "max_records");
}

TEST(WorstCaseSearch, StopsAtTheFirstErrorOfItsCallback) {
    SearchOptions options;
    uint64_t calls = 0;
    auto result = workloads::search_worst_case(
        options, [&](llvm::ArrayRef<uint8_t>) -> llvm::Expected<workloads::Evaluation> {
            if (++calls == 5) {
                return llvm::createStringError(llvm::inconvertibleErrorCode(), "core fault");
            }
            return workloads::Evaluation{calls, {}};
        });
    ASSERT_FALSE(static_cast<bool>(result));
    EXPECT_EQ(llvm::toString(result.takeError()), "core fault");
    EXPECT_EQ(calls, 5u);
}

} // namespace
