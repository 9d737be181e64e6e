// One solver query, run in a process of its own that is killed at the time limit: its verdict,
// and for a satisfiable query a model of the formula in the asking context.
#include <clockwork/verifier/query.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

namespace {

using clockwork::verifier::describe_query_limit;
using clockwork::verifier::Query;
using clockwork::verifier::solve;
using clockwork::verifier::wall_clock_ms;

uint64_t value_in(const Query& query, const z3::expr& term) {
    uint64_t value = 0;
    EXPECT_TRUE(query.model->eval(term, true).is_numeral_u64(value)) << term;
    return value;
}

TEST(Query, ASatisfiableQueryComesBackWithAModelOfItsConstantsAndArrayReads) {
    z3::context z3;
    const z3::expr x = z3.bv_const("x", 32);
    const z3::expr large = z3.bool_const("large");
    const z3::expr memory = z3.constant("memory", z3.array_sort(z3.bv_sort(32), z3.bv_sort(32)));
    const z3::expr formula = x * 3 == 21 && z3::select(memory, x + 1) == 5 &&
                             z3::select(memory, x) == x + 100 && large == z3::ugt(x, 6);
    const Query query = solve(z3, 20000, formula);
    ASSERT_EQ(query.result, z3::sat);
    ASSERT_TRUE(query.model);
    EXPECT_EQ(value_in(query, x), 7u);
    EXPECT_EQ(value_in(query, z3::select(memory, z3.bv_val(8, 32))), 5u);
    EXPECT_EQ(value_in(query, z3::select(memory, z3.bv_val(7, 32))), 107u);
    EXPECT_TRUE(query.model->eval(large, true).is_true());
    EXPECT_TRUE(query.model->eval(formula, true).is_true());
}

TEST(Query, AnUnsatisfiableQueryIsUnsatWithoutAModel) {
    z3::context z3;
    const z3::expr x = z3.bv_const("x", 32);
    const Query query = solve(z3, 20000, x * 2 == 3);
    EXPECT_EQ(query.result, z3::unsat);
    EXPECT_FALSE(query.model);
}

// Factoring the product of the two largest 32-bit primes: bit-blasted, far beyond half a second
// of solver work. The limit is in Z3's resource units, so the reason names them.
TEST(Query, AQueryThatCannotFinishIsUnknownWithTheLimitAsReason) {
    z3::context z3;
    const z3::expr p = z3::zext(z3.bv_const("p", 32), 32);
    const z3::expr q = z3::zext(z3.bv_const("q", 32), 32);
    const z3::expr product = z3.bv_val(static_cast<uint64_t>(4294967291u) * 4294967279u, 64);
    const z3::expr one = z3.bv_val(1, 64);
    const Query query = solve(z3, 500, p * q == product && z3::ugt(p, one) && z3::ugt(q, one));
    EXPECT_EQ(query.result, z3::unknown);
    EXPECT_EQ(
        query.reason,
        "out of resources: no answer within 500 ms of solver work (1000000 Z3 resource units)");
}

// Z3 4.8.12 stops and deletes its timer threads before every fork, also one that another
// thread's check is using (`clockwork verify --mutants --jobs 2` corrupted its heap so): no
// query forks while another thread is inside a check on Z3's own time limit.
TEST(Query, NoQueryForksWhileAnotherThreadRunsATimedCheck) {
    std::promise<void> timed_check_started;
    std::promise<void> end_timed_check;
    std::thread timed([&] {
        const clockwork::verifier::TimedCheckScope scope;
        timed_check_started.set_value();
        end_timed_check.get_future().wait();
    });
    timed_check_started.get_future().wait();

    z3::context z3;
    const z3::expr x = z3.bv_const("x", 32);
    auto query = std::async(std::launch::async, [&] { return solve(z3, 20000, x * 3 == 21); });
    // A query this small answers in milliseconds once it may fork.
    EXPECT_EQ(query.wait_for(std::chrono::milliseconds(500)), std::future_status::timeout);
    end_timed_check.set_value();
    timed.join();
    const Query answer = query.get();
    EXPECT_EQ(answer.result, z3::sat);
    ASSERT_TRUE(answer.model);
    EXPECT_EQ(value_in(answer, x), 7u);
}

// The output names the limit in the units that decide it, and the clock's stop.
TEST(Query, ALimitIsDescribedInSolverWorkAndItsWallClockStop) {
    EXPECT_EQ(describe_query_limit(60000), "60 s of solver work per query (120000000 Z3 resource "
                                           "units, stopped at 240 s of wall clock)");
    EXPECT_EQ(describe_query_limit(500), "500 ms of solver work per query (1000000 Z3 resource "
                                         "units, stopped at 2 s of wall clock)");
    // Beyond what Z3's 32-bit parameters hold, the limits saturate rather than wrap.
    EXPECT_EQ(wall_clock_ms(4000000000u), 4294967295u);
}

} // namespace
