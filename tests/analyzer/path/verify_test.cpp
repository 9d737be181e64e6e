// verify_optimum must catch every way a claimed optimum can be wrong, as it stands between
// Z3's answer and the bound the analyzer reports.
#include "problem_builder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace clockwork::analyzer::path {
namespace {

using testing::error_text;
using ::testing::HasSubstr;
using testing::loop_with_diamond_body;
using testing::ProblemBuilder;
using ::testing::StartsWith;

Solution optimum() {
    Solution solution;
    solution.bound = 147;
    solution.node_counts = {1, 11, 10, 10, 0, 10, 1};
    solution.edge_counts = {1, 10, 10, 0, 10, 0, 10, 1};
    return solution;
}

TEST(VerifyOptimum, AcceptsTheTrueOptimum) {
    EXPECT_EQ(error_text(verify_optimum(loop_with_diamond_body(), optimum())), "success");
}

// Every iteration through the cheaper arm (5 instead of 8): a real path, 147 - 10*3 = 117.
TEST(VerifyOptimum, BoundTooLowWithConsistentCountsIsNotMaximal) {
    Solution cheaper;
    cheaper.bound = 117;
    cheaper.node_counts = {1, 11, 10, 0, 10, 10, 1};
    cheaper.edge_counts = {1, 10, 0, 10, 0, 10, 10, 1};
    EXPECT_THAT(error_text(verify_optimum(loop_with_diamond_body(), cheaper)),
                StartsWith("the claimed bound 117 is not the maximum: counts costing "));
}

TEST(VerifyOptimum, BoundTooLowForItsCountsIsCaught) {
    Solution claimed = optimum();
    claimed.bound = 146;
    EXPECT_EQ(error_text(verify_optimum(loop_with_diamond_body(), claimed)),
              "the claimed counts cost 147, not the claimed bound 146");
}

TEST(VerifyOptimum, BoundTooHighWithConsistentCountsIsCaught) {
    Solution claimed = optimum();
    claimed.bound = 148;
    EXPECT_EQ(error_text(verify_optimum(loop_with_diamond_body(), claimed)),
              "the claimed counts cost 147, not the claimed bound 148");
}

TEST(VerifyOptimum, FlowConservationViolationIsCaught) {
    Solution claimed = optimum();
    claimed.node_counts[3] = 11;
    claimed.bound += 8;
    EXPECT_EQ(error_text(verify_optimum(loop_with_diamond_body(), claimed)),
              "flow conservation fails at block 3: it executes 11 times but is entered 10 times "
              "(0 from the call)");
}

TEST(VerifyOptimum, OutflowViolationIsCaught) {
    Solution claimed = optimum();
    claimed.edge_counts[4] = 9; // 3 -> 5
    EXPECT_EQ(error_text(verify_optimum(loop_with_diamond_body(), claimed)),
              "flow conservation fails at block 3: it executes 10 times but its outgoing edges "
              "are taken 9 times, and it does not return");
}

// Eleven iterations, each one consistent with flow conservation: 147 + 2 + 12 = 161.
TEST(VerifyOptimum, LoopBoundViolationIsCaught) {
    Solution claimed;
    claimed.bound = 161;
    claimed.node_counts = {1, 12, 11, 11, 0, 11, 1};
    claimed.edge_counts = {1, 11, 11, 0, 11, 0, 11, 1};
    EXPECT_EQ(error_text(verify_optimum(loop_with_diamond_body(), claimed)),
              "loop at heap.cpp:312 (header 0x1a4): its counted edges are taken 11 times, more "
              "than 10 per entry x 1 entries");
}

TEST(VerifyOptimum, MissingCallEntryIsCaught) {
    Solution claimed;
    claimed.bound = 0;
    claimed.node_counts.assign(7, 0);
    claimed.edge_counts.assign(8, 0);
    EXPECT_EQ(error_text(verify_optimum(loop_with_diamond_body(), claimed)),
              "flow conservation fails at block 0: it executes 0 times but is entered 1 times (1 "
              "from the call)");
}

// 0 (1) returns at 1 (5) or at 2 (3).
TEST(VerifyOptimum, TakingBothReturnsAtOnceIsCaught) {
    ProblemBuilder b({1, 5, 3});
    b.edge(0, 1);
    b.edge(0, 2);
    b.exits({1, 2});
    Solution claimed;
    claimed.bound = 9;
    claimed.node_counts = {1, 1, 1};
    claimed.edge_counts = {1, 1};
    EXPECT_THAT(error_text(verify_optimum(b.problem(), claimed)),
                HasSubstr("flow conservation fails at block 0: it executes 1 times but its "
                          "outgoing edges are taken 2 times"));
}

TEST(VerifyOptimum, WrongSizesAreCaught) {
    Solution claimed = optimum();
    claimed.edge_counts.pop_back();
    EXPECT_EQ(error_text(verify_optimum(loop_with_diamond_body(), claimed)),
              "the claimed solution has 7 block counts and 7 edge counts for a graph of 7 blocks "
              "and 8 edges");
}

// A count near 2^64 must not wrap around into a consistent-looking sum.
TEST(VerifyOptimum, OverflowingCountsAreCaught) {
    Solution claimed = optimum();
    claimed.edge_counts[6] = ~uint64_t{0};
    EXPECT_EQ(error_text(verify_optimum(loop_with_diamond_body(), claimed)),
              "the claimed counts overflow 64 bits in the edges of block 1");
}

TEST(VerifyOptimum, CountsOffEveryReturnPathAreCaught) {
    ProblemBuilder b({1, 2, 7});
    b.edge(0, 1);
    b.edge(2, 2);
    b.exits({1});
    Solution claimed;
    claimed.bound = 10;
    claimed.node_counts = {1, 1, 1};
    claimed.edge_counts = {1, 1};
    EXPECT_EQ(error_text(verify_optimum(b.problem(), claimed)),
              "edge 1 (2->2) lies on no path from the entry to an exit, yet is taken 1 times");
}

} // namespace
} // namespace clockwork::analyzer::path
