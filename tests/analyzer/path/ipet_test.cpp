// Worst-case bounds of small CFGs, each worked out by hand in the comment above it; every one
// must also be reproduced by the longest-path cross-check.
#include "problem_builder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace clockwork::analyzer::path {
namespace {

using testing::error_text;
using ::testing::HasSubstr;
using testing::loop_with_diamond_body;
using testing::ProblemBuilder;

Solution solve_checked(const Problem& problem) {
    auto solution = solve(problem);
    if (!solution) {
        ADD_FAILURE() << llvm::toString(solution.takeError());
        return {};
    }
    EXPECT_TRUE(solution->dag_checked);
    EXPECT_TRUE(solution->dag_exact);
    EXPECT_EQ(solution->dag_bound, solution->bound);
    return *solution;
}

// 0 (5) -> 1 (7) -> 2 (11): 5 + 7 + 11 = 23.
TEST(Ipet, StraightLineBoundIsSumOfBlocks) {
    ProblemBuilder b({5, 7, 11});
    b.edge(0, 1);
    b.edge(1, 2);
    b.exits({2});
    const Solution solution = solve_checked(b.problem());
    EXPECT_EQ(solution.bound, 23U);
    EXPECT_EQ(solution.node_counts, (std::vector<uint64_t>{1, 1, 1}));
    EXPECT_EQ(solution.edge_counts, (std::vector<uint64_t>{1, 1}));
}

// 0 (2) -> {1 (10) | 2 (3)} -> 3 (1): max(2 + 10 + 1, 2 + 3 + 1) = 13, through block 1.
TEST(Ipet, DiamondTakesCostlierArm) {
    ProblemBuilder b({2, 10, 3, 1});
    b.edge(0, 1);
    b.edge(0, 2);
    b.edge(1, 3);
    b.edge(2, 3);
    b.exits({3});
    const Solution solution = solve_checked(b.problem());
    EXPECT_EQ(solution.bound, 13U);
    EXPECT_EQ(solution.node_counts, (std::vector<uint64_t>{1, 1, 0, 1}));
    EXPECT_EQ(solution.edge_counts, (std::vector<uint64_t>{1, 0, 1, 0}));
}

TEST(Ipet, LoopOfTenWithDiamondBodyPaysCostlierArmEachIteration) {
    const Solution solution = solve_checked(loop_with_diamond_body());
    EXPECT_EQ(solution.bound, 147U);
    EXPECT_EQ(solution.node_counts, (std::vector<uint64_t>{1, 11, 10, 10, 0, 10, 1}));
    EXPECT_EQ(solution.edge_counts, (std::vector<uint64_t>{1, 10, 10, 0, 10, 0, 10, 1}));
}

// 0 (1) -> outer header 1 (2) -> 2 (3) -> inner header 3 (4) <-> inner body 4 (5);
// 3 -> outer latch 5 (6) -> 1; 1 -> exit 6 (7). Outer 4 per entry, inner 3 per entry.
// Outer header 5 times; blocks 2 and 5 four times; the inner loop is entered 4 times, its
// header runs 4 times per entry (16) and its body 3 times per entry (12).
// 1 + 5*2 + 4*3 + 16*4 + 12*5 + 4*6 + 7 = 178.
TEST(Ipet, NestedLoopsMultiplyPerEntryBounds) {
    ProblemBuilder b({1, 2, 3, 4, 5, 6, 7});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 3);
    b.edge(3, 4);
    b.edge(4, 3);
    b.edge(3, 5);
    b.edge(5, 1);
    b.edge(1, 6);
    b.exits({6});
    b.natural_loop(3, {3, 4}, 3, "inner");
    b.natural_loop(1, {1, 2, 3, 4, 5}, 4, "outer");
    const Solution solution = solve_checked(b.problem());
    EXPECT_EQ(solution.bound, 178U);
    EXPECT_EQ(solution.node_counts, (std::vector<uint64_t>{1, 5, 4, 16, 12, 4, 1}));
    EXPECT_EQ(solution.edge_counts, (std::vector<uint64_t>{1, 4, 4, 12, 12, 4, 4, 1}));
}

// 0 (1) -> header 1 (2) <-> 2 (10), bound 5; 1 -> header 3 (3) <-> 4 (20), bound 7; 3 -> 5 (1).
// 1 + 6*2 + 5*10 + 8*3 + 7*20 + 1 = 228.
TEST(Ipet, TwoLoopsInSequenceEachUseTheirOwnBound) {
    ProblemBuilder b({1, 2, 10, 3, 20, 1});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 1);
    b.edge(1, 3);
    b.edge(3, 4);
    b.edge(4, 3);
    b.edge(3, 5);
    b.exits({5});
    b.natural_loop(1, {1, 2}, 5);
    b.natural_loop(3, {3, 4}, 7);
    const Solution solution = solve_checked(b.problem());
    EXPECT_EQ(solution.bound, 228U);
    EXPECT_EQ(solution.node_counts, (std::vector<uint64_t>{1, 6, 5, 8, 7, 1}));
}

// 0 (1) -> header 1 (2) -> 2 (3) -> 3 (4) -> latch 4 (1) -> 1, bound 10; 1 -> exit 6 (1);
// break 3 -> 5 (50) -> 6. Leaving by the header: 1 + 11*2 + 10*(3 + 4 + 1) + 1 = 104.
// Ten full iterations, then the break in the eleventh (the body runs once more than the latch):
// 1 + 11*2 + 11*3 + 11*4 + 10*1 + 50 + 1 = 161.
TEST(Ipet, LoopWithBreakBreaksAfterTheLastBackEdge) {
    ProblemBuilder b({1, 2, 3, 4, 1, 50, 1});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 3);
    b.edge(3, 4);
    b.edge(4, 1);
    b.edge(3, 5);
    b.edge(1, 6);
    b.edge(5, 6);
    b.exits({6});
    b.natural_loop(1, {1, 2, 3, 4}, 10);
    const Solution solution = solve_checked(b.problem());
    EXPECT_EQ(solution.bound, 161U);
    EXPECT_EQ(solution.node_counts, (std::vector<uint64_t>{1, 11, 11, 11, 10, 1, 1}));
    EXPECT_EQ(solution.edge_counts, (std::vector<uint64_t>{1, 11, 11, 10, 10, 1, 0, 1}));
}

// 0 (1) -> 1 (10) -> 3 (1) and 0 -> 2 (8) -> 3. Without edge costs the arm of 10 wins:
// 1 + 10 + 1 = 12 against 10. A taken-branch cost of 4 on 0 -> 2 makes it 1 + 4 + 8 + 1 = 14.
ProblemBuilder diamond_with_branch_cost(uint64_t taken_cost) {
    ProblemBuilder b({1, 10, 8, 1});
    b.edge(0, 1);
    b.edge(0, 2, taken_cost);
    b.edge(1, 3);
    b.edge(2, 3);
    b.exits({3});
    return b;
}

TEST(Ipet, TakenBranchCostChangesWhichArmWins) {
    ProblemBuilder free_branch = diamond_with_branch_cost(0);
    const Solution without = solve_checked(free_branch.problem());
    EXPECT_EQ(without.bound, 12U);
    EXPECT_EQ(without.node_counts, (std::vector<uint64_t>{1, 1, 0, 1}));

    ProblemBuilder costly_branch = diamond_with_branch_cost(4);
    const Solution with = solve_checked(costly_branch.problem());
    EXPECT_EQ(with.bound, 14U);
    EXPECT_EQ(with.node_counts, (std::vector<uint64_t>{1, 0, 1, 1}));
    EXPECT_EQ(with.edge_counts, (std::vector<uint64_t>{0, 1, 0, 1}));
}

// 0 (1) returns early through 1 (early) or goes on through 2 (3) to return at 3 (4).
// Early cost 5: max(1 + 5, 1 + 3 + 4) = 8 at block 3; early cost 9: 1 + 9 = 10 at block 1.
TEST(Ipet, TwoReturnBlocksTakeTheCostlierReturn) {
    for (const auto& [early_cost, bound, counts] :
         {std::tuple{5U, 8U, std::vector<uint64_t>{1, 0, 1, 1}},
          std::tuple{9U, 10U, std::vector<uint64_t>{1, 1, 0, 0}}}) {
        ProblemBuilder b({1, early_cost, 3, 4});
        b.edge(0, 1);
        b.edge(0, 2);
        b.edge(2, 3);
        b.exits({1, 3});
        const Solution solution = solve_checked(b.problem());
        EXPECT_EQ(solution.bound, bound);
        EXPECT_EQ(solution.node_counts, counts);
    }
}

// The entry block heads a loop (no prologue): the call is its one entry.
// Header 0 (2) <-> 1 (3), bound 4; 0 -> exit 2 (1): 5*2 + 4*3 + 1 = 23.
TEST(Ipet, EntryBlockThatHeadsALoopCountsAsOneEntry) {
    ProblemBuilder b({2, 3, 1});
    b.edge(0, 1);
    b.edge(1, 0);
    b.edge(0, 2);
    b.exits({2});
    b.natural_loop(0, {0, 1}, 4);
    const Solution solution = solve_checked(b.problem());
    EXPECT_EQ(solution.bound, 23U);
    EXPECT_EQ(solution.node_counts, (std::vector<uint64_t>{5, 4, 1}));
}

// 0 (1) -> header 1 (2) -> 2 (3) -> 1, bound 5; 1 -> exit 4 (1); 2 -> return 3 (100).
// Five iterations, then return from the sixth: 1 + 6*2 + 6*3 + 100 = 131 (against 29 when the
// loop runs out normally).
TEST(Ipet, ReturnFromInsideLoopAfterTheLastIteration) {
    ProblemBuilder b({1, 2, 3, 100, 1});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 1);
    b.edge(1, 4);
    b.edge(2, 3);
    b.exits({3, 4});
    b.natural_loop(1, {1, 2}, 5);
    const Solution solution = solve_checked(b.problem());
    EXPECT_EQ(solution.bound, 131U);
    EXPECT_EQ(solution.node_counts, (std::vector<uint64_t>{1, 6, 6, 1, 0}));
}

// The same loop bounded by its body runs (the edges from the header into the body, at most 5
// per entry) rather than its back edges: the header runs at most 5 times before the return,
// 1 + 5 x 2 + 5 x 3 + 100 = 126, and this form is as exact per entry as the back edges.
TEST(Ipet, BodyRunsCountedFromTheHeaderStopALoopLeftFromItsMiddle) {
    ProblemBuilder b({1, 2, 3, 100, 1});
    const uint32_t enter = b.edge(0, 1);
    const uint32_t into_body = b.edge(1, 2);
    b.edge(2, 1);
    b.edge(1, 4);
    b.edge(2, 3);
    b.exits({3, 4});
    b.problem().loops.push_back({1, {1, 2}, {enter}, {into_body}, 5, "loop"});
    const Solution solution = solve_checked(b.problem());
    EXPECT_EQ(solution.bound, 126U);
    EXPECT_EQ(solution.node_counts, (std::vector<uint64_t>{1, 5, 5, 1, 0}));
}

// Unreachable code may loop forever without a bound: it is not part of any call.
// 0 (1) -> 1 (2) exit; 2 (1000) <-> 3 (1000) is unreachable.
TEST(Ipet, UnreachableCycleNeedsNoBoundAndCostsNothing) {
    ProblemBuilder b({1, 2, 1000, 1000});
    b.edge(0, 1);
    b.edge(2, 3);
    b.edge(3, 2);
    b.edge(3, 1);
    b.exits({1});
    const Solution solution = solve_checked(b.problem());
    EXPECT_EQ(solution.bound, 3U);
    EXPECT_EQ(solution.node_counts, (std::vector<uint64_t>{1, 1, 0, 0}));
}

// Costs near 2^64 stay exact: 2^63 + (2^62 - 1) + 2 = 13835058055282163713.
TEST(Ipet, BoundAbove32BitsIsExact) {
    ProblemBuilder b({uint64_t{1} << 63, (uint64_t{1} << 62) - 1});
    b.edge(0, 1, 2);
    b.exits({1});
    const Solution solution = solve_checked(b.problem());
    EXPECT_EQ(solution.bound, 13835058055282163713ULL);
}

// 0 (1) -> header 1 (2^40) <-> 2 (1), bound 2^33; 1 -> 3 (1). Header: (2^33 + 1) * 2^40 alone
// exceeds 2^64.
TEST(Ipet, BoundAbove64BitsIsAnError) {
    ProblemBuilder b({1, uint64_t{1} << 40, 1, 1});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 1);
    b.edge(1, 3);
    b.exits({3});
    b.natural_loop(1, {1, 2}, uint64_t{1} << 33);
    EXPECT_THAT(error_text(solve(b.problem())), HasSubstr("does not fit in 64 bits"));
}

// ---- Errors on bad input -------------------------------------------------------------------

TEST(IpetErrors, CycleWithoutLoopConstraintHasNoBound) {
    ProblemBuilder b({1, 1, 1, 1});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 1);
    b.edge(2, 3);
    b.exits({3});
    EXPECT_EQ(error_text(solve(b.problem())),
              "blocks 1, 2 form a cycle with no bound: no loop constraint covers it; note: add a "
              "LoopConstraint for this loop (header, body, entry edges, back edges as counted "
              "edges)");
}

TEST(IpetErrors, SelfLoopWithoutLoopConstraintHasNoBound) {
    ProblemBuilder b({1, 1, 1});
    b.edge(0, 1);
    b.edge(1, 1);
    b.edge(1, 2);
    b.exits({2});
    EXPECT_THAT(error_text(solve(b.problem())),
                HasSubstr("block 1 forms a cycle with no bound: no loop constraint covers it"));
}

// An inner loop 2 <-> 3 inside a bounded outer loop, with no constraint of its own.
TEST(IpetErrors, InnerCycleWithoutItsOwnConstraintHasNoBound) {
    ProblemBuilder b({1, 1, 1, 1, 1});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 3);
    b.edge(3, 2);
    b.edge(3, 1);
    b.edge(1, 4);
    b.exits({4});
    b.natural_loop(1, {1, 2, 3}, 4, "loop at outer.c:7");
    EXPECT_THAT(error_text(solve(b.problem())),
                HasSubstr("blocks 2, 3 form a cycle with no bound inside loop at outer.c:7, which "
                          "takes none of its counted edges"));
}

TEST(IpetErrors, CountedEdgeIndexOutOfRange) {
    ProblemBuilder b({1, 1, 1});
    b.edge(0, 1);
    b.edge(1, 1);
    b.edge(1, 2);
    b.exits({2});
    b.natural_loop(1, {1}, 3, "loop at a.c:3");
    b.problem().loops[0].counted_edges = {9};
    EXPECT_EQ(error_text(solve(b.problem())),
              "loop at a.c:3: counted edge index 9 does not exist (the graph has 3 edges); note: "
              "use indices into Graph::edges");
}

TEST(IpetErrors, EdgeToMissingBlock) {
    ProblemBuilder b({1, 1, 1});
    b.edge(0, 1);
    b.edge(1, 7);
    b.exits({2});
    EXPECT_EQ(error_text(solve(b.problem())),
              "edge 1 goes from block 1 to block 7, but the graph has only 3 blocks; note: edges "
              "must name blocks 0 to 2");
}

TEST(IpetErrors, EntryOutOfRange) {
    ProblemBuilder b({1});
    b.exits({0});
    b.problem().graph.entry = 4;
    EXPECT_THAT(error_text(solve(b.problem())), HasSubstr("entry block 4 does not exist"));
}

TEST(IpetErrors, NoExitGiven) {
    ProblemBuilder b({1});
    EXPECT_THAT(error_text(solve(b.problem())), HasSubstr("the graph has no exit block"));
}

TEST(IpetErrors, NoExitReachable) {
    ProblemBuilder b({1, 1, 1});
    b.edge(0, 1);
    b.exits({2});
    EXPECT_EQ(error_text(solve(b.problem())),
              "no exit block is reachable from the entry block 0; note: every path from the "
              "entry must end in a block listed in Graph::exits");
}

TEST(IpetErrors, LoopWithoutCountedEdges) {
    ProblemBuilder b({1, 1, 1});
    b.edge(0, 1);
    b.edge(1, 1);
    b.edge(1, 2);
    b.exits({2});
    b.natural_loop(1, {1}, 3);
    b.problem().loops[0].counted_edges.clear();
    EXPECT_EQ(error_text(solve(b.problem())),
              "loop with header block 1: no counted edges, so max_per_entry bounds nothing; note: "
              "list the loop's back edges in counted_edges");
}

// 0 -> 1 <-> 2, and 0 -> 2 jumps into the middle of the loop.
TEST(IpetErrors, SecondWayIntoTheLoopIsIrreducible) {
    ProblemBuilder b({1, 1, 1, 1});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 1);
    b.edge(0, 2);
    b.edge(1, 3);
    b.exits({3});
    b.natural_loop(1, {1, 2}, 3);
    EXPECT_THAT(error_text(solve(b.problem())),
                HasSubstr("edge 3 (0->2) enters the loop at block 2, not at its header 1: the CFG "
                          "is irreducible there"));
}

TEST(IpetErrors, UnlistedEntryEdgeWouldUndercountEntries) {
    ProblemBuilder b({1, 1, 1, 1});
    b.edge(0, 1);
    b.edge(0, 2);
    b.edge(2, 1);
    b.edge(1, 1);
    b.edge(1, 3);
    b.exits({3});
    b.natural_loop(1, {1}, 3);
    b.problem().loops[0].entry_edges = {0};
    EXPECT_THAT(error_text(solve(b.problem())),
                HasSubstr("edge 2 (2->1) enters the header from outside the loop but is not among "
                          "its entry_edges"));
}

TEST(IpetErrors, OverlappingLoopsAreRejected) {
    ProblemBuilder b({1, 1, 1, 1});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 1);
    b.edge(2, 3);
    b.edge(3, 2);
    b.exits({3});
    b.natural_loop(1, {1, 2}, 3, "first");
    b.natural_loop(2, {2, 3}, 3, "second");
    EXPECT_EQ(error_text(solve(b.problem())),
              "first and second overlap without one containing the other; note: natural loops "
              "are nested or disjoint");
}

// Every path must take the counted edge 1 -> 2 of a loop allowed 0 of them.
TEST(IpetErrors, BoundsThatNoPathSatisfiesAreInfeasible) {
    ProblemBuilder b({1, 1, 1, 1});
    const uint32_t enter = b.edge(0, 1);
    const uint32_t into_body = b.edge(1, 2);
    b.edge(2, 1);
    b.edge(2, 3);
    b.exits({3});
    b.problem().loops.push_back({1, {1, 2}, {enter}, {into_body}, 0, "guarded loop"});
    EXPECT_EQ(error_text(solve(b.problem())),
              "no path from the entry to an exit stays within the loop bounds; note: a loop whose "
              "max_per_entry is 0 cannot take its counted edges at all");
    EXPECT_EQ(error_text(longest_path_by_expansion(b.problem(), 1000)),
              "no path from the entry block 0 reaches an exit within the loop bounds; note: check "
              "Graph::exits and loops whose max_per_entry is 0");
}

// ---- The longest-path cross-check ----------------------------------------------------------

// The cross-check run on a problem whose loop bound was lowered to 9:
// 1 + 10*2 + 9*12 + 4 = 133.
TEST(IpetCrossCheck, DisagreementWithLongestPathIsAnError) {
    Options options;
    options.longest_path = [](const Problem& problem, uint64_t limit) {
        Problem altered = problem;
        altered.loops[0].max_per_entry -= 1;
        return longest_path_by_expansion(altered, limit);
    };
    EXPECT_EQ(error_text(solve(loop_with_diamond_body(), options)),
              "ILP bound 147 disagrees with longest-path bound 133; note: every loop counts "
              "exactly its back edges, so the two must be equal");
}

TEST(IpetCrossCheck, LongestPathErrorIsReported) {
    Options options;
    options.longest_path = [](const Problem&, uint64_t) -> llvm::Expected<std::optional<uint64_t>> {
        return llvm::createStringError(llvm::inconvertibleErrorCode(), "broken");
    };
    EXPECT_EQ(error_text(solve(loop_with_diamond_body(), options)),
              "the longest-path cross-check failed: broken");
}

// Blocks 0 and 6 have one state each; blocks 1 to 5 have 11 (iteration counter 0..10): 57.
TEST(IpetCrossCheck, SkippedAboveTheNodeLimit) {
    const Problem problem = loop_with_diamond_body();
    auto skipped = longest_path_by_expansion(problem, 56);
    ASSERT_TRUE(static_cast<bool>(skipped)) << llvm::toString(skipped.takeError());
    EXPECT_FALSE(skipped->has_value());
    auto expanded = longest_path_by_expansion(problem, 57);
    ASSERT_TRUE(static_cast<bool>(expanded)) << llvm::toString(expanded.takeError());
    EXPECT_EQ(expanded->value_or(0), 147U);

    Options options;
    options.dag_node_limit = 56;
    auto solution = solve(problem, options);
    ASSERT_TRUE(static_cast<bool>(solution)) << llvm::toString(solution.takeError());
    EXPECT_EQ(solution->bound, 147U);
    EXPECT_FALSE(solution->dag_checked);
}

TEST(IpetCrossCheck, LongestPathFindsUnboundedCycleOnItsOwn) {
    ProblemBuilder b({1, 1, 1, 1});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 1);
    b.edge(2, 3);
    b.exits({3});
    EXPECT_EQ(error_text(longest_path_by_expansion(b.problem(), 1000)),
              "blocks 1, 2 form a cycle that no loop bound breaks; note: add a LoopConstraint "
              "whose counted edges lie on the cycle");
}

// Outside per-entry normal form the summed ILP constraint is looser than the per-entry one.
// Outer loop 1..5 (bound 2 back edges: the inner loop is entered twice). Inner loop at header 2
// (cost 1) counts 2 -> 3 and 3 -> 4, at most 1 per entry; 4 (100) can only be reached by taking
// both. Per entry the longest path is 2 -> 3 -> 2 -> 5: header twice, twice: 4. The ILP may
// spend both entries' allowance in one: 2 -> 3 -> 4 once (100) plus the headers of the two
// entries: 102.
TEST(IpetCrossCheck, SummedConstraintMayExceedPerEntryOutsideNormalForm) {
    ProblemBuilder b({0, 0, 1, 0, 100, 0, 0});
    const uint32_t enter_outer = b.edge(0, 1);
    const uint32_t enter_inner = b.edge(1, 2);
    const uint32_t into_body = b.edge(2, 3);
    const uint32_t to_costly = b.edge(3, 4);
    b.edge(3, 2);
    b.edge(4, 5);
    b.edge(2, 5);
    const uint32_t outer_back = b.edge(5, 1);
    b.edge(1, 6);
    b.exits({6});
    b.problem().loops.push_back({2, {2, 3, 4}, {enter_inner}, {into_body, to_costly}, 1, ""});
    b.problem().loops.push_back({1, {1, 2, 3, 4, 5}, {enter_outer}, {outer_back}, 2, ""});
    auto solution = solve(b.problem());
    ASSERT_TRUE(static_cast<bool>(solution)) << llvm::toString(solution.takeError());
    EXPECT_EQ(solution->bound, 102U);
    EXPECT_TRUE(solution->dag_checked);
    EXPECT_FALSE(solution->dag_exact);
    EXPECT_EQ(solution->dag_bound, 4U);
}

// Header 1 (1) counts 1 -> 2 and 2 -> 3, at most once per entry; 3 (100) needs both.
// Paths: 0 -> 1 -> 4 (1); 0 -> 1 -> 2 -> 1 -> 4 (2); 0 -> 1 -> 2 -> 3 needs 2 counted edges.
// The LP relaxation sends half a unit through 3: 1 + 100/2 = 51. The integers give 2.
TEST(IpetCrossCheck, FractionalRelaxationFallsBackToIntegers) {
    ProblemBuilder b({0, 1, 0, 100, 0});
    const uint32_t enter = b.edge(0, 1);
    const uint32_t into_body = b.edge(1, 2);
    const uint32_t to_costly = b.edge(2, 3);
    b.edge(2, 1);
    b.edge(3, 4);
    b.edge(1, 4);
    b.exits({4});
    b.problem().loops.push_back({1, {1, 2, 3}, {enter}, {into_body, to_costly}, 1, ""});
    auto solution = solve(b.problem());
    ASSERT_TRUE(static_cast<bool>(solution)) << llvm::toString(solution.takeError());
    EXPECT_EQ(solution->bound, 2U);
    EXPECT_FALSE(solution->relaxation_integral);
    EXPECT_EQ(solution->node_counts, (std::vector<uint64_t>{1, 2, 1, 0, 1}));
    EXPECT_TRUE(solution->dag_checked);
    EXPECT_EQ(solution->dag_bound, 2U);
}

} // namespace
} // namespace clockwork::analyzer::path
