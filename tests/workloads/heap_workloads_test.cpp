// The adversarial and search workloads on the shipped heap images: they reach the analyzer's
// bound for cw_heap_allocate and cw_heap_free (computed here, never written down: the heap's
// numbers change with its code), and every witness they store replays to the cost it claims.
#include "../analyzer/analysis/analysis_test_support.hpp"

#include <clockwork/analyzer/analysis.hpp>
#include <clockwork/runner/machine.hpp>
#include <clockwork/workloads/adversarial_workload.hpp>
#include <clockwork/workloads/heap_session.hpp>
#include <clockwork/workloads/random_workload.hpp>
#include <clockwork/workloads/search_workload.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace clockwork;

std::string directory_of(const std::string& target) {
    return std::string(CLOCKWORK_TARGETS_DIR) + "/" + target;
}

std::unique_ptr<runner::Machine> load(const std::string& target) {
    auto machine = runner::Machine::load(directory_of(target) + "/clockwork_heap.elf", target);
    EXPECT_TRUE(static_cast<bool>(machine)) << llvm::toString(machine.takeError());
    return machine ? std::move(*machine) : nullptr;
}

// The release configuration: no validation, no lock, so the checked paths never run.
uint64_t bound_of(const std::string& target, const std::string& function,
                  reports::Metric metric = reports::Metric::instructions) {
    analyzer::AnalysisOptions options;
    options.metric = metric;
    options.never_called = {"cw_heap_checked_allocate", "cw_heap_checked_free"};
    auto bound = test::analyze_function(directory_of(target) + "/clockwork_heap.elf", target,
                                        directory_of(target), function, options);
    EXPECT_TRUE(static_cast<bool>(bound)) << llvm::toString(bound.takeError());
    return bound ? bound->value : 0;
}

const reports::Measurement* find(const workloads::WorkloadResult& result,
                                 const std::string& function,
                                 reports::Metric metric = reports::Metric::instructions) {
    for (const reports::Measurement& m : result.measurements) {
        if (m.function == function && m.metric == metric) {
            return &m;
        }
    }
    return nullptr;
}

const reports::Witness* witness_of(const workloads::WorkloadResult& result,
                                   const reports::Measurement& measurement) {
    for (const reports::Witness& w : result.witnesses) {
        if (w.id == measurement.witness) {
            return &w;
        }
    }
    return nullptr;
}

void expect_replays(runner::Machine& machine, const reports::Witness& witness) {
    auto replay = workloads::replay_witness(machine, witness);
    ASSERT_TRUE(static_cast<bool>(replay)) << llvm::toString(replay.takeError());
    EXPECT_EQ(replay->function, witness.function) << witness.id;
    EXPECT_EQ(replay->cost.instructions, witness.cost) << witness.id;
}

class AdversarialWorkload : public ::testing::TestWithParam<std::string> {};

// On avr the cycle bound as well: the sequences drive the longest path, whatever it costs.
TEST_P(AdversarialWorkload, ReachesTheAllocateAndFreeBounds) {
    const std::string target = GetParam();
    auto machine = load(target);
    ASSERT_NE(machine, nullptr);
    auto result = workloads::run_adversarial(*machine, {});
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    std::vector<reports::Metric> metrics{reports::Metric::instructions};
    if (target == "avr") {
        metrics.push_back(reports::Metric::cycles);
    }
    for (const std::string function : {"cw_heap_allocate", "cw_heap_free"}) {
        for (reports::Metric metric : metrics) {
            const reports::Measurement* measured = find(*result, function, metric);
            ASSERT_NE(measured, nullptr) << function;
            EXPECT_EQ(measured->highest, bound_of(target, function, metric))
                << function << (metric == reports::Metric::cycles ? " cycles" : "");
            EXPECT_EQ(measured->workload, "adversarial");
        }
    }
}

INSTANTIATE_TEST_SUITE_P(EveryTarget, AdversarialWorkload,
                         ::testing::Values("cortex-m4", "rv32imc", "avr", "x86-64"),
                         clockwork::test::TargetTestName{});

class HeapWorkloads : public ::testing::TestWithParam<std::string> {};
class HeapSearch : public ::testing::TestWithParam<std::string> {};

TEST_P(HeapWorkloads, EveryAdversarialWitnessReplaysToItsCost) {
    auto machine = load(GetParam());
    ASSERT_NE(machine, nullptr);
    auto result = workloads::run_adversarial(*machine, {});
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    // allocate, free and reallocate: each measured, each with its witness.
    ASSERT_EQ(result->witnesses.size(), 3u);
    for (const reports::Witness& witness : result->witnesses) {
        EXPECT_EQ(witness.operations.front(), "init 65536");
        expect_replays(*machine, witness);
    }
}

TEST_P(HeapSearch, ReachesTheFreeBoundAndItsWitnessReplays) {
    const std::string target = GetParam();
    auto machine = load(target);
    ASSERT_NE(machine, nullptr);
    workloads::SearchWorkload workload;
    workload.function = "cw_heap_free";
    workload.search.seed = 3;
    workload.search.executions = 3000;
    workload.search.max_records = 24;
    workload.search.goal = bound_of(target, "cw_heap_free");
    auto result = workloads::run_search(*machine, workload);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    EXPECT_TRUE(result->search.goal_reached);
    const reports::Measurement* measured = find(result->workload, "cw_heap_free");
    ASSERT_NE(measured, nullptr);
    EXPECT_EQ(measured->highest, *workload.search.goal);
    EXPECT_EQ(measured->workload, "search");
    const reports::Witness* witness = witness_of(result->workload, *measured);
    ASSERT_NE(witness, nullptr);
    EXPECT_EQ(witness->id, target + "/cw_heap_free/instructions/search-seed-3");
    expect_replays(*machine, *witness);
}

TEST_P(HeapSearch, ReachesTheAllocateBoundAndItsWitnessReplays) {
    const std::string target = GetParam();
    auto machine = load(target);
    ASSERT_NE(machine, nullptr);
    workloads::SearchWorkload workload;
    workload.search.seed = 3;
    workload.search.executions = 3000;
    workload.search.max_records = 24;
    workload.search.goal = bound_of(target, "cw_heap_allocate");
    auto result = workloads::run_search(*machine, workload);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    EXPECT_TRUE(result->search.goal_reached);
    const reports::Measurement* measured = find(result->workload, "cw_heap_allocate");
    ASSERT_NE(measured, nullptr);
    EXPECT_EQ(measured->highest, *workload.search.goal);
    const reports::Witness* witness = witness_of(result->workload, *measured);
    ASSERT_NE(witness, nullptr);
    expect_replays(*machine, *witness);
}

TEST_P(HeapWorkloads, RandomWorkloadWitnessesReplayOnTheDefaultHeap) {
    auto machine = load(GetParam());
    ASSERT_NE(machine, nullptr);
    workloads::RandomWorkload workload;
    workload.calls = 2000;
    auto result = workloads::run_random(*machine, workload);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    ASSERT_EQ(result->witnesses.size(), 2u);
    for (const reports::Witness& witness : result->witnesses) {
        expect_replays(*machine, witness);
    }
}

INSTANTIATE_TEST_SUITE_P(EveryTarget, HeapSearch,
                         ::testing::Values("cortex-m4", "rv32imc", "avr", "x86-64"),
                         clockwork::test::TargetTestName{});

INSTANTIATE_TEST_SUITE_P(Targets, HeapWorkloads, ::testing::Values("cortex-m4", "rv32imc"),
                         clockwork::test::TargetTestName{});

TEST(WitnessReplay, NamesAnOperationOnABlockThatIsNotLive) {
    auto machine = load("cortex-m4");
    ASSERT_NE(machine, nullptr);
    reports::Witness witness;
    witness.id = "w";
    witness.operations = {"init 4096", "allocate 24", "free #0", "free #0"};
    auto replay = workloads::replay_witness(*machine, witness);
    ASSERT_FALSE(static_cast<bool>(replay));
    EXPECT_EQ(llvm::toString(replay.takeError()),
              "witness w, operation 3: 'free #0': block #0 is not live");
}

TEST(WitnessReplay, NamesAnOperationItCannotRead) {
    auto machine = load("cortex-m4");
    ASSERT_NE(machine, nullptr);
    reports::Witness witness;
    witness.id = "w";
    witness.operations = {"allocate 24", "release #0"};
    auto replay = workloads::replay_witness(*machine, witness);
    ASSERT_FALSE(static_cast<bool>(replay));
    EXPECT_EQ(llvm::toString(replay.takeError()),
              "witness w, operation 1: 'release #0': unknown operation (use allocate, "
              "allocate_aligned, free, reallocate)");
}

TEST(WitnessReplay, AReallocateToZeroFreesTheBlock) {
    auto machine = load("cortex-m4");
    ASSERT_NE(machine, nullptr);
    reports::Witness witness;
    witness.id = "w";
    witness.operations = {"init 4096", "allocate_aligned 40 64", "reallocate #0 100",
                          "reallocate #0 0", "free #0"};
    auto replay = workloads::replay_witness(*machine, witness);
    ASSERT_FALSE(static_cast<bool>(replay));
    EXPECT_EQ(llvm::toString(replay.takeError()),
              "witness w, operation 4: 'free #0': block #0 is not live");
    witness.operations.pop_back();
    auto freed = workloads::replay_witness(*machine, witness);
    ASSERT_TRUE(static_cast<bool>(freed)) << llvm::toString(freed.takeError());
    EXPECT_EQ(freed->function, "cw_heap_reallocate");
}

TEST(WitnessReplay, GivesTheCostOfTheLastOperation) {
    auto machine = load("cortex-m4");
    ASSERT_NE(machine, nullptr);
    reports::Witness witness;
    witness.operations = {"init 4096", "allocate 24", "allocate 100", "free #0"};
    auto replay = workloads::replay_witness(*machine, witness);
    ASSERT_TRUE(static_cast<bool>(replay)) << llvm::toString(replay.takeError());
    EXPECT_EQ(replay->function, "cw_heap_free");
    // The same free measured directly on a fresh heap.
    auto session = workloads::HeapSession::start(*machine, {4096, false});
    ASSERT_TRUE(static_cast<bool>(session)) << llvm::toString(session.takeError());
    for (const char* text : {"allocate 24", "allocate 100"}) {
        auto operation = workloads::parse_operation(text);
        ASSERT_TRUE(operation && session->apply(*operation));
    }
    auto call = session->apply({workloads::HeapOperation::Kind::free, 0, 0, 0});
    ASSERT_TRUE(static_cast<bool>(call)) << llvm::toString(call.takeError());
    EXPECT_EQ(replay->cost.instructions, call->cost.instructions);
}

} // namespace
