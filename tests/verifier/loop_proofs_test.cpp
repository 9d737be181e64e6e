// Loop bounds proven for every input by ScalarEvolution's counts and Z3: hand-made loops whose
// verdicts are known, and the heap's own annotations.
#include <clockwork/verifier/compile.hpp>
#include <clockwork/verifier/loop_proofs.hpp>

#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace clockwork::verifier {
namespace {

const std::string kLoops = CLOCKWORK_VERIFY_TEST_LOOPS;

VerifyOptions options_for(const std::string& source) {
    VerifyOptions options;
    options.clang = CLOCKWORK_VERIFY_CLANG;
    options.allocator_sources = {source};
    options.include_dirs = {CLOCKWORK_VERIFY_ALLOC_INCLUDE};
    options.check.timeout_ms = 30000;
    return options;
}

std::map<std::string, LoopBoundProof> prove(const VerifyOptions& options) {
    auto report = prove_allocator_loop_bounds(options);
    EXPECT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
    std::map<std::string, LoopBoundProof> by_property;
    if (report) {
        for (LoopBoundProof& proof : report->proofs) {
            by_property[proof.property] = std::move(proof);
        }
    }
    return by_property;
}

std::string property(const std::string& file, unsigned line, uint64_t bound) {
    return loop_bound_property(kLoops + "/" + file, line, bound);
}

TEST(LoopProofs, PropertyNamesTheAnnotationsResolvedPath) {
    // The folder's own "." must be gone, as the analyzer resolves a flow fact's file.
    EXPECT_EQ(loop_bound_property(kLoops + "/./bound_too_small.cpp", 13, 8),
              "loop-bound " + kLoops + "/bound_too_small.cpp:13 <= 8");
}

TEST(LoopProofs, CountsBoundedByTheArgumentsAreProvenForEveryInput) {
    const auto proofs = prove(options_for(kLoops + "/bounded_for_every_input.cpp"));
    ASSERT_EQ(proofs.size(), 3u);
    for (const auto& [line, bound] : {std::pair<unsigned, unsigned>{13, 16}, {21, 15}, {32, 100}}) {
        const std::string expected = property("bounded_for_every_input.cpp", line, bound);
        ASSERT_EQ(proofs.count(expected), 1u) << expected;
        const LoopBoundProof& proof = proofs.at(expected);
        EXPECT_EQ(proof.status, reports::ProofStatus::proven) << expected << ": " << proof.reason;
        ASSERT_EQ(proof.loops.size(), 1u);
        EXPECT_FALSE(proof.loops.front().count.empty());
    }
}

TEST(LoopProofs, BoundOneTooSmallIsRefutedWithTheArgumentThatExceedsIt) {
    const auto proofs = prove(options_for(kLoops + "/bound_too_small.cpp"));
    const std::string expected = property("bound_too_small.cpp", 13, 8);
    ASSERT_EQ(proofs.count(expected), 1u);
    const LoopBoundProof& proof = proofs.at(expected);
    EXPECT_EQ(proof.status, reports::ProofStatus::refuted) << proof.reason;
    ASSERT_TRUE(proof.counterexample.has_value());
    // The guard allows n <= 9 and only n = 9 runs the body 9 times.
    EXPECT_EQ(proof.counterexample->inputs.at("argument #1 of fill_below_nine"), "9");
    EXPECT_EQ(proof.counterexample->replay, "fill_below_nine(any, 9) runs 9 > 8 times");
}

TEST(LoopProofs, BoundTooSmallBehindACallThatMayNotReturnStaysUnknownNamingTheValues) {
    const auto proofs = prove(options_for(kLoops + "/bound_too_small.cpp"));
    const std::string expected = property("bound_too_small.cpp", 26, 8);
    ASSERT_EQ(proofs.count(expected), 1u);
    const LoopBoundProof& proof = proofs.at(expected);
    EXPECT_EQ(proof.status, reports::ProofStatus::unknown);
    EXPECT_FALSE(proof.counterexample.has_value());
    EXPECT_NE(proof.reason.find("runs 9 > 8 times when argument #0 of visit_below_nine = 9"),
              std::string::npos)
        << proof.reason;
    EXPECT_NE(proof.reason.find("not a counterexample: something in the loop (a call that may "
                                "not return) can stop it early"),
              std::string::npos)
        << proof.reason;
}

TEST(LoopProofs, ListWalkWithoutCountStaysUnknownWithTheReason) {
    const auto proofs = prove(options_for(kLoops + "/uncomputable_count.cpp"));
    const std::string expected = property("uncomputable_count.cpp", 15, 32);
    ASSERT_EQ(proofs.count(expected), 1u);
    const LoopBoundProof& proof = proofs.at(expected);
    EXPECT_EQ(proof.status, reports::ProofStatus::unknown);
    EXPECT_EQ(proof.reason,
              "ScalarEvolution computes no bound on the loop's back edges in sum_list");
    EXPECT_FALSE(proof.counterexample.has_value());
}

// The heap's annotations by the text of their bound, since their lines move with the source.
std::map<std::string, std::vector<unsigned>> heap_annotations() {
    std::map<std::string, std::vector<unsigned>> lines;
    auto text = llvm::MemoryBuffer::getFile(CLOCKWORK_VERIFY_HEAP_SOURCE);
    EXPECT_TRUE(static_cast<bool>(text));
    if (!text) {
        return lines;
    }
    llvm::StringRef rest = (*text)->getBuffer();
    for (unsigned line = 1; !rest.empty(); ++line) {
        auto [current, next] = rest.split('\n');
        const size_t at = current.find("CW_LOOP_BOUND(");
        if (at != llvm::StringRef::npos && !current.trim().starts_with("//")) {
            const llvm::StringRef argument = current.substr(at + 14).rsplit(")").first;
            lines[argument.str()].push_back(line);
        }
        rest = next;
    }
    return lines;
}

// On every target, on its own IR (size_t of 16, 32 or 64 bits): cw_heap_init's start-map, class
// and bitmap loops, the checker's walks, the copy, whose count is clamped, and the checker's
// set-bit loop, whose count of bits is.
class HeapLoopProofs : public testing::TestWithParam<const char*> {};

TEST_P(HeapLoopProofs, EveryHeapLoopBoundIsProvenForEveryInput) {
    VerifyOptions options = options_for(CLOCKWORK_VERIFY_HEAP_SOURCE);
    options.target = GetParam();
    options.include_dirs.push_back(
        llvm::sys::path::parent_path(CLOCKWORK_VERIFY_HEAP_SOURCE).str());
    const auto proofs = prove(options);
    size_t checked = 0;
    for (const auto& [argument, lines] : heap_annotations()) {
        for (const unsigned line : lines) {
            const LoopBoundProof* proof = nullptr;
            for (const auto& [name, candidate] : proofs) {
                if (candidate.where.line == line) {
                    proof = &candidate;
                }
            }
            ASSERT_NE(proof, nullptr) << "no IR loop for heap.cpp:" << line << " " << argument;
            EXPECT_EQ(proof->status, reports::ProofStatus::proven)
                << proof->property << ": " << proof->reason;
            EXPECT_EQ(proof->property.rfind("loop-bound /", 0), 0u) << proof->property;
            ++checked;
        }
    }
    EXPECT_EQ(checked, proofs.size());
    EXPECT_GE(checked, 11u);
}

INSTANTIATE_TEST_SUITE_P(EveryTarget, HeapLoopProofs,
                         testing::Values("rv32imc", "cortex-m4", "avr", "x86-64"),
                         [](const testing::TestParamInfo<const char*>& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

} // namespace
} // namespace clockwork::verifier
