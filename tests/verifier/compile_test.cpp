// The compile step: each source compiled by Clang once per contents and flags in a process,
// never a stale compile of a source that has changed since.
#include <clockwork/verifier/compile.hpp>

#include <llvm/IR/Constants.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace clockwork::verifier {
namespace {

void write(const std::string& path, const std::string& text) {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    ASSERT_FALSE(ec) << ec.message();
    out << text;
}

// The constant `answer` returns in the linked module, when it returns one.
std::optional<int64_t> answer_of(const std::string& source) {
    auto program = compile_and_link(CLOCKWORK_VERIFY_CLANG, "cortex-m4", {source}, {});
    if (!program) {
        ADD_FAILURE() << llvm::toString(program.takeError());
        return std::nullopt;
    }
    const llvm::Function* answer = program->module->getFunction("answer");
    if (answer == nullptr || answer->empty()) {
        return std::nullopt;
    }
    for (const llvm::Instruction& instruction : answer->getEntryBlock()) {
        if (const auto* ret = llvm::dyn_cast<llvm::ReturnInst>(&instruction)) {
            if (const auto* value = llvm::dyn_cast<llvm::ConstantInt>(ret->getReturnValue())) {
                return value->getSExtValue();
            }
        }
    }
    return std::nullopt;
}

class CompileTest : public ::testing::Test {
  protected:
    void SetUp() override {
        llvm::SmallString<128> path;
        ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("clockwork-compile-test", "cpp", path));
        source_ = path.str().str();
    }
    void TearDown() override { llvm::sys::fs::remove(source_); }
    std::string source_;
};

TEST_F(CompileTest, SourceRewrittenBetweenCompilesIsCompiledAgain) {
    write(source_, "extern \"C\" int answer() { return 41; }\n");
    EXPECT_EQ(answer_of(source_), 41);
    write(source_, "extern \"C\" int answer() { return 42; }\n");
    EXPECT_EQ(answer_of(source_), 42);
}

TEST_F(CompileTest, SameSourceTwiceGivesTheSameIr) {
    write(source_, "extern \"C\" int answer(int x) { return x * 3; }\n");
    auto first = compile_and_link(CLOCKWORK_VERIFY_CLANG, "rv32imc", {source_}, {});
    ASSERT_TRUE(static_cast<bool>(first)) << llvm::toString(first.takeError());
    auto second = compile_and_link(CLOCKWORK_VERIFY_CLANG, "rv32imc", {source_}, {});
    ASSERT_TRUE(static_cast<bool>(second)) << llvm::toString(second.takeError());
    EXPECT_EQ(first->ir_sha256, second->ir_sha256);
    EXPECT_NE(first->module.get(), second->module.get());
    // Another target's flags are another compile.
    auto other = compile_and_link(CLOCKWORK_VERIFY_CLANG, "cortex-m4", {source_}, {});
    ASSERT_TRUE(static_cast<bool>(other)) << llvm::toString(other.takeError());
    EXPECT_NE(other->module->getTargetTriple(), first->module->getTargetTriple());
}

TEST_F(CompileTest, SourceThatNoLongerCompilesIsAnErrorNotItsEarlierBitcode) {
    write(source_, "extern \"C\" int answer() { return 7; }\n");
    EXPECT_EQ(answer_of(source_), 7);
    write(source_, "extern \"C\" int answer() { return missing; }\n");
    auto program = compile_and_link(CLOCKWORK_VERIFY_CLANG, "cortex-m4", {source_}, {});
    ASSERT_FALSE(static_cast<bool>(program));
    const std::string message = llvm::toString(program.takeError());
    EXPECT_NE(message.find(source_ + ": error:"), std::string::npos) << message;
    EXPECT_NE(message.find("missing"), std::string::npos) << message;
}

} // namespace
} // namespace clockwork::verifier
