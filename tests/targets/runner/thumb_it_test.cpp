// Unicorn 2.0.1 does not report a Thumb instruction inside an IT block whose condition fails,
// yet the Cortex-M4 issues it (it takes its cycle and occupies its slot). The runner tracks IT
// blocks itself and adds those instructions back; these tests pin down that the correction is
// what makes the worst-case counts exact.
#include "runner_test_support.hpp"

#include <gtest/gtest.h>

namespace clockwork::runner {
namespace {

using testing::arg;
using testing::call;
using testing::load_flow;
using testing::put_ints;

// Failed IT-block instructions on each worst path (cortex-m4/flow.elf):
//   nested        it lt; bxlt lr (0x66/0x68) at entry with n > 0                       1
//   pragma        it eq; addeq (0xb6/0xb8) once per element, none equal to 7          5
//   early_return  itt mi; movmi; bxmi (0xc6) and itt mi; mvnmi; bxmi (0xda), a,b >= 0  4
//   search        it eq; bxeq lr (0x10a/0x10c) once per element, key absent           6
//   callee        it lt; bxlt lr (0x11e/0x120), x > 10                                 1
//   caller        two callee calls                                                     2
TEST(ThumbItBlocks, FailedConditionsOnWorstPathsAreCounted) {
    auto machine = load_flow("cortex-m4");
    ASSERT_NE(machine, nullptr);
    struct Case {
        const char* function;
        std::vector<int> array;
        std::vector<int64_t> args;
        uint64_t instructions;
        uint64_t failed;
    };
    const Case cases[] = {
        {"cw_test_nested", {}, {4, 3}, 96, 1},
        {"cw_test_pragma", {3, 3, 3, 3, 3}, {5}, 35, 5},
        {"cw_test_early_return", {}, {1, 2}, 20, 4},
        {"cw_test_search", {100, 101, 102, 103, 104, 105}, {6, 99}, 48, 6},
        {"cw_test_callee", {}, {11}, 10, 1},
        {"cw_test_caller", {}, {11}, 29, 2},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.function);
        std::vector<uint64_t> args;
        if (!c.array.empty()) {
            args.push_back(put_ints(*machine, c.array));
        }
        for (int64_t value : c.args) {
            args.push_back(arg(value));
        }
        const CallResult result = call(*machine, c.function, args);
        EXPECT_EQ(result.cost.instructions, c.instructions);
        EXPECT_EQ(result.cost.it_condition_failed, c.failed);
        // What the code hook alone reports is short of the exact count by exactly these.
        EXPECT_EQ(result.cost.instructions - result.cost.it_condition_failed,
                  c.instructions - c.failed);
        EXPECT_LT(result.cost.instructions - result.cost.it_condition_failed, c.instructions);
    }
}

// With every element equal to 7 each addeq executes; with none, each fails. The core issues
// the same 35 instructions either way; only the hook's view differs (35 against 30).
TEST(ThumbItBlocks, PragmaCostsTheSameWhetherAddeqPassesOrFails) {
    auto machine = load_flow("cortex-m4");
    ASSERT_NE(machine, nullptr);
    const uint64_t sevens = put_ints(*machine, {7, 7, 7, 7, 7});
    const CallResult passing = call(*machine, "cw_test_pragma", {sevens, 5});
    EXPECT_EQ(passing.as_int(), 5);
    EXPECT_EQ(passing.cost.instructions, 35U);
    EXPECT_EQ(passing.cost.it_condition_failed, 0U);

    const uint64_t threes = put_ints(*machine, {3, 3, 3, 3, 3});
    const CallResult failing = call(*machine, "cw_test_pragma", {threes, 5});
    EXPECT_EQ(failing.as_int(), 0);
    EXPECT_EQ(failing.cost.instructions, 35U);
    EXPECT_EQ(failing.cost.it_condition_failed, 5U);
    EXPECT_EQ(failing.cost.instructions - failing.cost.it_condition_failed, 30U);
}

// Key at the last element: five failed bxeq, then one that executes and returns from inside
// the IT block: 4 + 5 x 7 + 4 = 43.
TEST(ThumbItBlocks, ReturnFromInsideAnItBlockEndsTheBlock) {
    auto machine = load_flow("cortex-m4");
    ASSERT_NE(machine, nullptr);
    const uint64_t values = put_ints(*machine, {100, 101, 102, 103, 104, 105});
    const CallResult result = call(*machine, "cw_test_search", {values, 6, 105});
    EXPECT_EQ(result.as_int(), 5);
    EXPECT_EQ(result.cost.instructions, 43U);
    EXPECT_EQ(result.cost.it_condition_failed, 5U);

    // x <= 10: cmp; it lt; bxlt lr taken: 3 instructions, none failed.
    const CallResult short_path = call(*machine, "cw_test_callee", {arg(5)});
    EXPECT_EQ(short_path.cost.instructions, 3U);
    EXPECT_EQ(short_path.cost.it_condition_failed, 0U);
}

// Calls stopped by the budget inside IT blocks (a single `it lt; bxlt`, and the two-instruction
// `itt mi; movmi; bxmi` of early_return with a < 0) leave neither the core's ITSTATE nor the
// runner's IT tracking behind: the next calls count exactly.
TEST(ThumbItBlocks, CallStoppedInsideAnItBlockLeavesNoState) {
    auto machine = load_flow("cortex-m4");
    ASSERT_NE(machine, nullptr);
    struct Stop {
        const char* function;
        int64_t first;
        uint64_t budget; // short of the 3 (callee) and 4 (early_return) the call needs
    };
    for (const Stop& stop : {Stop{"cw_test_callee", 5, 2}, Stop{"cw_test_early_return", -1, 2},
                             Stop{"cw_test_early_return", -1, 3}}) {
        SCOPED_TRACE(std::string(stop.function) + " budget " + std::to_string(stop.budget));
        machine->set_instruction_budget(stop.budget);
        auto stopped = machine->call(stop.function, {arg(stop.first), 0});
        ASSERT_FALSE(static_cast<bool>(stopped));
        llvm::consumeError(stopped.takeError());

        machine->set_instruction_budget(1000);
        EXPECT_EQ(call(*machine, "cw_test_straight", {1, 2}).cost.instructions, 8U);
        const CallResult callee = call(*machine, "cw_test_callee", {arg(11)});
        EXPECT_EQ(callee.cost.instructions, 10U);
        EXPECT_EQ(callee.cost.it_condition_failed, 1U);
    }
}

} // namespace
} // namespace clockwork::runner
