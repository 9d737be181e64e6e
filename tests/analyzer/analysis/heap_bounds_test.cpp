// The heap's entry points as they ship, on every target: each has a bound, every loop in it has
// a bound from the source, and the release configuration (no validation, no lock, so the checked
// paths never run) is cheaper than the full one.
#include "analysis_test_support.hpp"

#include <clockwork/analyzer/analysis.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace clockwork;

class HeapBounds : public ::testing::TestWithParam<std::string> {
  protected:
    llvm::Expected<reports::Bound> bound(const std::string& function,
                                         const analyzer::AnalysisOptions& options) {
        const std::string directory = std::string(CLOCKWORK_TARGETS_DIR) + "/" + GetParam();
        return test::analyze_function(directory + "/clockwork_heap.elf", GetParam(), directory,
                                      function, options);
    }
};

analyzer::AnalysisOptions full_configuration() {
    analyzer::AnalysisOptions options;
    options.indirect_call_cost = 0; // the lock callbacks, charged by the caller's own bound
    return options;
}

TEST_P(HeapBounds, EveryEntryPointHasABoundAndEveryLoopAnAnnotatedOne) {
    for (const char* function : {"cw_heap_allocate", "cw_heap_free", "cw_heap_reallocate",
                                 "cw_heap_allocate_aligned", "cw_heap_largest_free_block"}) {
        auto result = bound(function, full_configuration());
        ASSERT_TRUE(static_cast<bool>(result))
            << function << ": " << llvm::toString(result.takeError());
        EXPECT_GT(result->value, 0u) << function;
        EXPECT_FALSE(result->worst_path.empty()) << function;
        for (const reports::LoopBound& loop : result->loops) {
            EXPECT_NE(loop.provenance, reports::LoopBoundProvenance::proven) << function;
            EXPECT_GT(loop.bound, 0u) << function;
        }
    }
}

TEST_P(HeapBounds, ReallocateCopyLoopCarriesTheLargestAllocation) {
    auto result = bound("cw_heap_reallocate", full_configuration());
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    bool annotated = false;
    for (const reports::LoopBound& loop : result->loops) {
        annotated = annotated || loop.provenance == reports::LoopBoundProvenance::annotated;
    }
    EXPECT_TRUE(annotated) << "the copy loop's CW_LOOP_BOUND must reach the bound";
}

TEST_P(HeapBounds, ReleaseConfigurationExcludesTheCheckedPath) {
    auto full = bound("cw_heap_allocate", full_configuration());
    ASSERT_TRUE(static_cast<bool>(full)) << llvm::toString(full.takeError());
    analyzer::AnalysisOptions release = full_configuration();
    release.never_called = {"cw_heap_checked_allocate"};
    auto fast = bound("cw_heap_allocate", release);
    ASSERT_TRUE(static_cast<bool>(fast)) << llvm::toString(fast.takeError());
    EXPECT_LT(fast->value, full->value);
    ASSERT_FALSE(fast->assumptions.empty());
    EXPECT_NE(fast->assumptions.front().subject.find("checked_allocate"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(EveryTarget, HeapBounds,
                         ::testing::Values("cortex-m4", "rv32imc", "avr", "x86-64"),
                         clockwork::test::TargetTestName{});

} // namespace
