// Merging the measurements of several workloads, as certify does: per target x function x
// metric the highest wins with its witness.
#include <clockwork/workloads/workload_tally.hpp>

#include <gtest/gtest.h>

namespace {

using namespace clockwork;

reports::Measurement measurement_of(const std::string& function, const std::string& workload,
                                    uint64_t calls, uint64_t lowest, uint64_t highest,
                                    const std::string& witness) {
    reports::Measurement m;
    m.target = "m4";
    m.function = function;
    m.metric = reports::Metric::instructions;
    m.workload = workload;
    m.calls = calls;
    m.lowest = lowest;
    m.highest = highest;
    m.witness = witness;
    return m;
}

reports::Witness witness_of(const std::string& id, const std::string& function,
                            const std::string& workload, uint64_t cost, size_t length) {
    reports::Witness w;
    w.id = id;
    w.target = "m4";
    w.function = function;
    w.workload = workload;
    w.cost = cost;
    w.operations.assign(length, "allocate 8");
    return w;
}

workloads::WorkloadResult result_of(const std::string& workload, uint64_t calls, uint64_t lowest,
                                    uint64_t highest, size_t witness_length) {
    workloads::WorkloadResult result;
    const std::string id = "m4/cw_heap_free/instructions/" + workload;
    result.measurements.push_back(
        measurement_of("cw_heap_free", workload, calls, lowest, highest, id));
    result.witnesses.push_back(witness_of(id, "cw_heap_free", workload, highest, witness_length));
    return result;
}

TEST(MergeHighest, TheHighestWinsWithItsWitnessAndCallsAddUp) {
    workloads::WorkloadResult merged = result_of("random", 100, 50, 90, 40);
    workloads::merge_highest(merged, result_of("adversarial", 7, 54, 94, 6));
    ASSERT_EQ(merged.measurements.size(), 1u);
    const reports::Measurement& m = merged.measurements[0];
    EXPECT_EQ(m.calls, 107u);
    EXPECT_EQ(m.lowest, 50u);
    EXPECT_EQ(m.highest, 94u);
    EXPECT_EQ(m.workload, "adversarial");
    ASSERT_EQ(merged.witnesses.size(), 1u);
    EXPECT_EQ(merged.witnesses[0].id, m.witness);
    EXPECT_EQ(merged.witnesses[0].cost, 94u);
}

TEST(MergeHighest, ALowerHighestKeepsTheFirstWitness) {
    workloads::WorkloadResult merged = result_of("adversarial", 7, 54, 94, 6);
    workloads::merge_highest(merged, result_of("search", 500, 40, 80, 3));
    ASSERT_EQ(merged.measurements.size(), 1u);
    EXPECT_EQ(merged.measurements[0].workload, "adversarial");
    EXPECT_EQ(merged.measurements[0].lowest, 40u);
    ASSERT_EQ(merged.witnesses.size(), 1u);
    EXPECT_EQ(merged.witnesses[0].workload, "adversarial");
}

TEST(MergeHighest, OnATieTheShorterWitnessWins) {
    workloads::WorkloadResult merged = result_of("random", 100, 50, 94, 4000);
    workloads::merge_highest(merged, result_of("adversarial", 7, 54, 94, 7));
    EXPECT_EQ(merged.measurements[0].workload, "adversarial");
    ASSERT_EQ(merged.witnesses.size(), 1u);
    EXPECT_EQ(merged.witnesses[0].operations.size(), 7u);
    workloads::merge_highest(merged, result_of("search", 10, 54, 94, 7));
    EXPECT_EQ(merged.measurements[0].workload, "adversarial");
}

TEST(MergeHighest, AFunctionMeasuredOnlyOnceIsAdded) {
    workloads::WorkloadResult merged = result_of("random", 100, 50, 94, 40);
    workloads::WorkloadResult other;
    other.measurements.push_back(
        measurement_of("cw_heap_reallocate", "adversarial", 3, 80, 396, "r"));
    other.witnesses.push_back(witness_of("r", "cw_heap_reallocate", "adversarial", 396, 1));
    workloads::merge_highest(merged, std::move(other));
    ASSERT_EQ(merged.measurements.size(), 2u);
    EXPECT_EQ(merged.measurements[1].function, "cw_heap_reallocate");
    EXPECT_EQ(merged.witnesses.size(), 2u);
}

} // namespace
