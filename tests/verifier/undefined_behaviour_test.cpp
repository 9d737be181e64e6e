// no-undefined-arithmetic-or-control, one LLVM condition at a time, on IR written by hand: Clang
// keeps a flag only where it believes it holds, so a flag that a harness input breaks is easiest to
// write directly. Each case is refuted for some input and proven once an assumption rules
// that input out; conditions that fold away must leave no site at all.
#include <clockwork/verifier/check.hpp>

#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/SourceMgr.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <ostream>
#include <string>

namespace clockwork::verifier {
namespace {

// %x and %y are inputs; `body` runs between reading them and returning.
std::string harness_ir(const std::string& body, const std::string& definitions = "") {
    return R"(
target datalayout = "e-m:e-p:32:32-i64:64-n32-S128"
target triple = "riscv32-unknown-unknown-elf"

declare i32 @cw_nondet_u32()
declare void @cw_assume(i1)
declare i32 @llvm.ctlz.i32(i32, i1)
declare i32 @llvm.cttz.i32(i32, i1)
declare void @llvm.assume(i1)
)" + definitions +
           R"(
define void @cw_harness() {
entry:
  %x = call i32 @cw_nondet_u32()
  %y = call i32 @cw_nondet_u32()
)" + body + R"(
  ret void
}
)";
}

struct Verdict {
    reports::ProofStatus status = reports::ProofStatus::unknown;
    std::string reason;
    size_t sites = 0; // conditions besides the entry's, which always holds
    std::map<std::string, std::string> inputs;
};

Verdict check(const std::string& ir) {
    llvm::LLVMContext context;
    llvm::SMDiagnostic diagnostic;
    std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(ir, diagnostic, context);
    Verdict verdict;
    EXPECT_NE(module, nullptr) << diagnostic.getMessage().str() << "\n" << ir;
    if (module == nullptr) {
        return verdict;
    }
    z3::context z3;
    auto encoding = encode(z3, *module, "cw_harness", {});
    EXPECT_TRUE(static_cast<bool>(encoding)) << llvm::toString(encoding.takeError());
    if (!encoding) {
        return verdict;
    }
    verdict.sites = static_cast<size_t>(std::count_if(
        encoding->assertions.begin(), encoding->assertions.end(), [](const AssertionSite& site) {
            return site.property == kNoUndefinedBehaviour && !site.violation.empty();
        }));
    CheckOptions options;
    options.timeout_ms = 30000;
    for (const PropertyResult& result : check_properties(z3, *encoding, options)) {
        if (result.property == kNoUndefinedBehaviour) {
            verdict.status = result.status;
            verdict.reason = result.reason;
            if (result.counterexample) {
                verdict.inputs = result.counterexample->inputs;
            }
        }
    }
    return verdict;
}

const std::string kWhere = " at function cw_harness (no debug line)";

struct Case {
    const char* name;
    std::string body;          // the instruction under test, on %x and %y
    std::string rules_out;     // defines %safe: an i1 under which the condition never holds
    std::string reason;        // what the refutation names
    std::string definitions{}; // functions the body calls
};

void PrintTo(const Case& c, std::ostream* out) {
    *out << c.name;
}

class EachCondition : public testing::TestWithParam<Case> {};

TEST_P(EachCondition, IsRefutedForSomeInputAndProvenWhenAssumedAway) {
    const Case& c = GetParam();
    const Verdict refuted = check(harness_ir(c.body, c.definitions));
    EXPECT_EQ(refuted.status, reports::ProofStatus::refuted) << refuted.reason;
    EXPECT_EQ(refuted.reason, c.reason + kWhere);
    EXPECT_EQ(refuted.sites, 1u);

    const Verdict proven = check(
        harness_ir(c.rules_out + "\n  call void @cw_assume(i1 %safe)\n" + c.body, c.definitions));
    EXPECT_EQ(proven.status, reports::ProofStatus::proven) << proven.reason;
}

const Case kCases[] = {
    {"AddNuw", "  %r = add nuw i32 %x, 1", "  %safe = icmp ult i32 %x, 100", "add nuw overflows"},
    {"AddNsw", "  %r = add nsw i32 %x, 1", "  %safe = icmp slt i32 %x, 100", "add nsw overflows"},
    {"SubNuw", "  %r = sub nuw i32 %x, %y", "  %safe = icmp uge i32 %x, %y", "sub nuw overflows"},
    {"SubNsw", "  %r = sub nsw i32 %x, 1", "  %safe = icmp sgt i32 %x, -100", "sub nsw overflows"},
    {"MulNuw", "  %r = mul nuw i32 %x, 3", "  %safe = icmp ult i32 %x, 1000", "mul nuw overflows"},
    {"MulNsw", "  %r = mul nsw i32 %x, 3", "  %safe = icmp ult i32 %x, 1000", "mul nsw overflows"},
    {"ShlNuw", "  %r = shl nuw i32 %x, 4", "  %safe = icmp ult i32 %x, 268435456",
     "shl nuw overflows"},
    {"ShlNsw", "  %r = shl nsw i32 %x, 4", "  %safe = icmp ult i32 %x, 134217728",
     "shl nsw overflows"},
    {"ShlByTheWidth", "  %r = shl i32 1, %y", "  %safe = icmp ult i32 %y, 32", "shl by 32 or more"},
    {"LshrByTheWidth", "  %r = lshr i32 %x, %y", "  %safe = icmp ult i32 %y, 32",
     "lshr by 32 or more"},
    {"AshrByTheWidth", "  %r = ashr i32 %x, %y", "  %safe = icmp ult i32 %y, 32",
     "ashr by 32 or more"},
    {"LshrExact", "  %r = lshr exact i32 %x, 2",
     "  %low = and i32 %x, 3\n  %safe = icmp eq i32 %low, 0", "lshr exact shifts out a set bit"},
    {"AshrExact", "  %r = ashr exact i32 %x, 2",
     "  %low = and i32 %x, 3\n  %safe = icmp eq i32 %low, 0", "ashr exact shifts out a set bit"},
    {"UdivByZero", "  %r = udiv i32 %x, %y", "  %safe = icmp ne i32 %y, 0", "udiv by zero"},
    {"UremByZero", "  %r = urem i32 %x, %y", "  %safe = icmp ne i32 %y, 0", "urem by zero"},
    {"SdivOverflow", "  %r = sdiv i32 %x, -1", "  %safe = icmp ne i32 %x, -2147483648",
     "sdiv overflows (INT_MIN / -1)"},
    {"SremOverflow", "  %r = srem i32 %x, -1", "  %safe = icmp ne i32 %x, -2147483648",
     "srem overflows (INT_MIN / -1)"},
    {"UdivExact", "  %r = udiv exact i32 %x, 4",
     "  %low = and i32 %x, 3\n  %safe = icmp eq i32 %low, 0", "udiv exact has a remainder"},
    {"SdivExact", "  %r = sdiv exact i32 %x, 4",
     "  %low = and i32 %x, 3\n  %safe = icmp eq i32 %low, 0", "sdiv exact has a remainder"},
    {"OrDisjoint", "  %r = or disjoint i32 %x, 1",
     "  %low = and i32 %x, 1\n  %safe = icmp eq i32 %low, 0",
     "or disjoint operands share a set bit"},
    {"TruncNuw", "  %r = trunc nuw i32 %x to i8", "  %safe = icmp ult i32 %x, 256",
     "trunc nuw drops a set bit"},
    {"TruncNsw", "  %r = trunc nsw i32 %x to i8",
     "  %up = add i32 %x, 128\n  %safe = icmp ult i32 %up, 256", "trunc nsw changes the value"},
    {"ZextNneg", "  %r = zext nneg i32 %x to i64", "  %safe = icmp sge i32 %x, 0",
     "zext nneg of a negative value"},
    {"CtlzOfZero", "  %r = call i32 @llvm.ctlz.i32(i32 %x, i1 true)", "  %safe = icmp ne i32 %x, 0",
     "llvm.ctlz of zero (is_zero_poison)"},
    {"CttzOfZero", "  %r = call i32 @llvm.cttz.i32(i32 %x, i1 true)", "  %safe = icmp ne i32 %x, 0",
     "llvm.cttz of zero (is_zero_poison)"},
    {"LoadOutsideRange",
     "  %slot = alloca i32\n  store i32 %x, ptr %slot\n  %r = load i32, ptr %slot, !range !0",
     "  %safe = icmp ult i32 %x, 10", "load outside its !range", "!0 = !{i32 0, i32 10}\n"},
    {"CallResultOutsideRange", "  %r = call i32 @identity(i32 %x)", "  %safe = icmp ult i32 %x, 10",
     "result of identity outside its range attribute",
     "define range(i32 0, 10) i32 @identity(i32 %a) {\n  ret i32 %a\n}\n"},
    {"FalseAssume", "  %c = icmp ult i32 %x, 5\n  call void @llvm.assume(i1 %c)",
     "  %safe = icmp ult i32 %x, 5", "llvm.assume of a false condition"},
    {"ReachedUnreachable",
     "  %big = icmp ugt i32 %x, 20\n  br i1 %big, label %bad, label %fine\nbad:\n  "
     "unreachable\nfine:",
     "  %safe = icmp ule i32 %x, 20", "unreachable reached"},
    // The poison is never used: conservative, the broken promise alone counts.
    {"UnusedPoison", "  %unused = add nsw i32 %x, 1", "  %safe = icmp slt i32 %x, 0",
     "add nsw overflows"},
};

INSTANTIATE_TEST_SUITE_P(NoUndefinedBehaviour, EachCondition, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(NoUndefinedBehaviour, CounterexampleInputBreaksTheCondition) {
    const Verdict verdict = check(harness_ir("  %r = udiv i32 %x, %y"));
    ASSERT_EQ(verdict.status, reports::ProofStatus::refuted);
    EXPECT_EQ(verdict.inputs.at("nondet#1 (:0)"), "0");
}

TEST(NoUndefinedBehaviour, ConditionsThatFoldAwayLeaveNoSite) {
    // Numeral operands; a numeral shift amount below the width; a shift amount and a divisor
    // that are one of a few numerals (a merged phi), none of which breaks anything; a count
    // that may not be zero-poison; a range attribute on ctlz covering all it returns.
    const Verdict verdict = check(harness_ir(R"(  %a = add nsw i32 2147483646, 1
  %b = shl i32 %x, 31
  %small = icmp ult i32 %x, 5
  %amount = select i1 %small, i32 3, i32 17
  %c = shl i32 %y, %amount
  %d = udiv i32 %y, %amount
  %e = call i32 @llvm.ctlz.i32(i32 %x, i1 false)
  %f = call range(i32 0, 33) i32 @llvm.cttz.i32(i32 %x, i1 false))"));
    EXPECT_EQ(verdict.sites, 0u);
    EXPECT_EQ(verdict.status, reports::ProofStatus::proven) << verdict.reason;
}

TEST(NoUndefinedBehaviour, UnreachableAfterACallThatNeverReturnsIsNoSite) {
    const Verdict verdict = check(harness_ir(
        R"(  %big = icmp ugt i32 %x, 20
  br i1 %big, label %stop, label %fine
stop:
  call void @give_up()
  unreachable
fine:)",
        "define void @give_up() {\n  call void @cw_assume(i1 false)\n  unreachable\n}\n"));
    EXPECT_EQ(verdict.sites, 0u);
    EXPECT_EQ(verdict.status, reports::ProofStatus::proven) << verdict.reason;
}

TEST(NoUndefinedBehaviour, ContradictoryAssumptionsMakeItVacuous) {
    const Verdict verdict = check(harness_ir(R"(  %lt = icmp ult i32 %x, 3
  call void @cw_assume(i1 %lt)
  %gt = icmp ugt i32 %x, 5
  call void @cw_assume(i1 %gt)
  %r = add nsw i32 %x, 1)"));
    EXPECT_EQ(verdict.status, reports::ProofStatus::vacuous);
}

} // namespace
} // namespace clockwork::verifier
