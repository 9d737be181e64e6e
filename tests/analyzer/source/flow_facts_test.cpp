#include <clockwork/analyzer/source/flow_facts.hpp>

#include <gtest/gtest.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <sstream>
#include <string>
#include <vector>

namespace {

using clockwork::analyzer::source::BoundSyntax;
using clockwork::analyzer::source::collect_flow_facts;
using clockwork::analyzer::source::collect_flow_facts_with_args;
using clockwork::analyzer::source::FlowFacts;
using clockwork::analyzer::source::LoopFact;
using clockwork::analyzer::source::Rule;
using clockwork::analyzer::source::rule_name;
using clockwork::analyzer::source::RuleBreach;

std::string input(const std::string& name) {
    return std::string(CLOCKWORK_TEST_INPUTS) + "/" + name;
}

const std::vector<std::string> kCxxArgs = {"-std=c++20", "-ffreestanding", "-I",
                                           std::string(CLOCKWORK_SOURCE_DIR) + "/alloc/include"};
const std::vector<std::string> kCArgs = {"-std=c99", "-ffreestanding", "-I",
                                         std::string(CLOCKWORK_SOURCE_DIR) + "/alloc/include"};

std::string describe(const FlowFacts& facts) {
    std::ostringstream out;
    for (const LoopFact& loop : facts.loops) {
        out << loop.file << ":" << loop.loop_line << ":" << loop.loop_column << " ["
            << loop.first_line << "-" << loop.last_line << "] " << loop.function << " ("
            << loop.linkage_name << ") depth " << loop.depth << ": ";
        if (loop.bounded) {
            out << (loop.syntax == BoundSyntax::cw_loop_bound ? "CW_LOOP_BOUND" : "pragma")
                << " at line " << loop.bound_line << ", " << loop.min << ".." << loop.max;
        } else {
            out << "unbounded";
        }
        out << "\n";
    }
    for (const RuleBreach& breach : facts.breaches) {
        out << breach.file << ":" << breach.line << ":" << breach.column << " "
            << rule_name(breach.rule).str() << " in " << breach.function << ": " << breach.message
            << "\n";
    }
    return out.str();
}

FlowFacts collect(const std::string& name, const std::vector<std::string>& args) {
    llvm::Expected<FlowFacts> facts = collect_flow_facts_with_args({input(name)}, args);
    if (!facts) {
        ADD_FAILURE() << llvm::toString(facts.takeError());
        return {};
    }
    return std::move(*facts);
}

std::string collect_error(const std::string& name, const std::vector<std::string>& args) {
    llvm::Expected<FlowFacts> facts = collect_flow_facts_with_args({input(name)}, args);
    if (facts) {
        ADD_FAILURE() << name << " gave no error:\n" << describe(*facts);
        return {};
    }
    return llvm::toString(facts.takeError());
}

const LoopFact* loop_at(const FlowFacts& facts, unsigned line) {
    for (const LoopFact& loop : facts.loops) {
        if (loop.loop_line == line) {
            return &loop;
        }
    }
    return nullptr;
}

struct ExpectedLoop {
    unsigned line, column, first_line, last_line;
    const char* function;
    unsigned depth;
    bool bounded;
    BoundSyntax syntax;
    unsigned bound_line;
    uint64_t min, max;
};

void expect_loops(const FlowFacts& facts, const std::string& file,
                  const std::vector<ExpectedLoop>& expected) {
    ASSERT_EQ(facts.loops.size(), expected.size()) << describe(facts);
    for (size_t i = 0; i < expected.size(); ++i) {
        const LoopFact& loop = facts.loops[i];
        const ExpectedLoop& want = expected[i];
        SCOPED_TRACE("loop at line " + std::to_string(want.line));
        EXPECT_EQ(loop.file, file);
        EXPECT_EQ(loop.loop_line, want.line);
        EXPECT_EQ(loop.loop_column, want.column);
        EXPECT_EQ(loop.first_line, want.first_line);
        EXPECT_EQ(loop.last_line, want.last_line);
        EXPECT_EQ(loop.function, want.function);
        EXPECT_EQ(loop.depth, want.depth);
        EXPECT_EQ(loop.bounded, want.bounded);
        if (want.bounded) {
            EXPECT_EQ(loop.syntax, want.syntax);
        }
        EXPECT_EQ(loop.bound_line, want.bound_line);
        EXPECT_EQ(loop.min, want.min);
        EXPECT_EQ(loop.max, want.max);
    }
}

constexpr BoundSyntax kMacro = BoundSyntax::cw_loop_bound;
constexpr BoundSyntax kPragma = BoundSyntax::pragma_loopbound;

TEST(FlowFacts, ReadsEveryLoopOfACxxFileWithItsBound) {
    const FlowFacts facts = collect("loops.cpp", kCxxArgs);
    expect_loops(facts, input("loops.cpp"),
                 {
                     {9, 5, 9, 15, "sum_grid", 0, true, kMacro, 10, 0, 4},
                     {11, 9, 11, 14, "sum_grid", 1, true, kMacro, 12, 0, 8},
                     {22, 5, 22, 27, "sum_pragma", 0, true, kPragma, 21, 0, 10},
                     {24, 9, 24, 26, "sum_pragma", 1, true, kPragma, 23, 1, 3},
                     {33, 5, 33, 37, "count_bits", 0, true, kMacro, 34, 0, 32},
                     {43, 5, 43, 47, "digits", 0, true, kMacro, 44, 0, 10},
                     {52, 5, 52, 54, "collatz", 0, false, kMacro, 0, 0, 0},
                     // The template's bound is its largest instantiation's: fill<3> and fill<7>.
                     {60, 5, 60, 63, "fill", 0, true, kMacro, 61, 0, 7},
                     {73, 5, 73, 76, "range_sum", 0, true, kMacro, 74, 0, 5},
                     {81, 5, 81, 91, "twice_twice", 0, true, kMacro, 82, 0, 2},
                     // A lambda is a function of its own: its loop is outermost there.
                     {84, 13, 84, 87, "twice_twice::(lambda)", 0, true, kMacro, 85, 0, 2},
                     // A macro that writes the pragma and the loop: both are at the macro's use.
                     {99, 5, 99, 101, "sum_four", 0, true, kPragma, 99, 4, 4},
                 });
}

TEST(FlowFacts, NamesTheSymbolOfTheEnclosingFunction) {
    const FlowFacts facts = collect("loops.cpp", kCxxArgs);
    ASSERT_NE(loop_at(facts, 9), nullptr);
    EXPECT_EQ(loop_at(facts, 9)->linkage_name, "_Z8sum_gridPA8_Ki");
    ASSERT_NE(loop_at(facts, 60), nullptr);
    EXPECT_EQ(loop_at(facts, 60)->linkage_name, "_Z4fillILj3EEjPj");
}

TEST(FlowFacts, ReadsACFileWithEnumeratorAndMacroBounds) {
    const FlowFacts facts = collect("loops.c", kCArgs);
    expect_loops(facts, input("loops.c"),
                 {
                     {9, 5, 9, 19, "find", 0, true, kMacro, 10, 0, 6},
                     {13, 9, 13, 15, "find", 1, true, kPragma, 12, 0, 3},
                     {24, 5, 24, 25, "spin", 0, false, kMacro, 0, 0, 0},
                 });
    ASSERT_NE(loop_at(facts, 9), nullptr);
    EXPECT_EQ(loop_at(facts, 9)->linkage_name, "find");
    EXPECT_TRUE(facts.breaches.empty()) << describe(facts);
}

TEST(FlowFacts, AnnotationThatIsNotFirstInTheBodyIsAnError) {
    EXPECT_EQ(collect_error("misplaced_bound.cpp", kCxxArgs),
              input("misplaced_bound.cpp") +
                  ":7:9: CW_LOOP_BOUND must be the first statement of a loop body; move it to "
                  "the top of the body of the loop it bounds");
}

TEST(FlowFacts, MalformedPragmaIsAnError) {
    EXPECT_EQ(collect_error("malformed_pragma.c", kCArgs),
              input("malformed_pragma.c") +
                  ":3:1: malformed loopbound pragma: expected `loopbound min A max B` with "
                  "integers A <= B; write it as `#pragma loopbound min 0 max 16` (or "
                  "_Pragma(\"loopbound min 0 max 16\")) just before the loop");
}

TEST(FlowFacts, PragmaNotBeforeALoopAndLoopWithTwoBoundsAreErrors) {
    EXPECT_EQ(collect_error("misplaced_pragma.cpp", kCxxArgs),
              input("misplaced_pragma.cpp") +
                  ":5:1: loopbound pragma is not followed by a loop; put it on the line just "
                  "before the for, while or do it bounds\n" +
                  input("misplaced_pragma.cpp") +
                  ":11:5: loop has two bounds, CW_LOOP_BOUND and a loopbound pragma; keep one of "
                  "them");
}

TEST(FlowFacts, NonConstantBoundIsAnError) {
    // In C the annotation's sizeof of a run-time size is a VLA type, so the compiler accepts it.
    EXPECT_EQ(collect_error("nonconstant_bound.c", kCArgs),
              input("nonconstant_bound.c") +
                  ":5:9: CW_LOOP_BOUND(n) is not an integer constant; use a literal, an "
                  "enumerator or a constexpr constant");
}

struct ExpectedBreach {
    unsigned line, column;
    Rule rule;
    const char* function;
};

void expect_breaches(const FlowFacts& facts, const std::string& file,
                     const std::vector<ExpectedBreach>& expected) {
    ASSERT_EQ(facts.breaches.size(), expected.size()) << describe(facts);
    for (size_t i = 0; i < expected.size(); ++i) {
        const RuleBreach& breach = facts.breaches[i];
        const ExpectedBreach& want = expected[i];
        SCOPED_TRACE("breach at line " + std::to_string(want.line));
        EXPECT_EQ(breach.file, file);
        EXPECT_EQ(breach.line, want.line);
        EXPECT_EQ(breach.column, want.column);
        EXPECT_EQ(rule_name(breach.rule), rule_name(want.rule));
        EXPECT_EQ(breach.function, want.function);
        EXPECT_FALSE(breach.message.empty());
    }
}

TEST(FlowFacts, ReportsEachRuleBreachOfACxxFile) {
    const FlowFacts facts = collect("rules.cpp", kCxxArgs);
    expect_breaches(facts, input("rules.cpp"),
                    {
                        {9, 29, Rule::recursion, "factorial"},
                        {14, 28, Rule::recursion, "is_even"},
                        {17, 29, Rule::recursion, "is_odd"},
                        {26, 5, Rule::function_pointer_call, "signal"},
                        // square.area() is not here: Square is final.
                        {39, 12, Rule::function_pointer_call, "measure"},
                        {43, 9, Rule::variable_length_array, "scratch"},
                        {49, 14, Rule::dynamic_allocation, "make"},
                        {54, 5, Rule::dynamic_allocation, "destroy"},
                        {58, 15, Rule::dynamic_allocation, "raw"},
                        {59, 5, Rule::dynamic_allocation, "raw"},
                        // Placement new in in_place() allocates nothing.
                        {68, 5, Rule::inline_assembly, "pause"},
                    });
    EXPECT_NE(facts.breaches[3].message.find("`callbacks.notify`"), std::string::npos)
        << facts.breaches[3].message;
    EXPECT_NE(facts.breaches[1].message.find("functions in the cycle: is_even, is_odd"),
              std::string::npos)
        << facts.breaches[1].message;
}

TEST(FlowFacts, ReportsSetjmpAndRecursionOfUncalledStaticFunctionsInC) {
    const FlowFacts facts = collect("rules.c", kCArgs);
    expect_breaches(facts, input("rules.c"),
                    {
                        {10, 9, Rule::setjmp, "guarded"},
                        {13, 12, Rule::function_pointer_call, "guarded"},
                        {17, 5, Rule::setjmp, "fail"},
                        {22, 20, Rule::recursion, "pong"},
                        {25, 20, Rule::recursion, "ping"},
                    });
}

TEST(FlowFacts, ReadsSeveralSourcesAtOnce) {
    llvm::Expected<FlowFacts> facts =
        collect_flow_facts_with_args({input("loops.cpp"), input("rules.cpp")}, kCxxArgs);
    ASSERT_TRUE(static_cast<bool>(facts)) << llvm::toString(facts.takeError());
    EXPECT_EQ(facts->loops.size(), 12u) << describe(*facts);
    EXPECT_EQ(facts->breaches.size(), 11u) << describe(*facts);
}

class TemporaryDirectory {
  public:
    TemporaryDirectory() {
        if (llvm::sys::fs::createUniqueDirectory("clockwork-source-test", path_)) {
            ADD_FAILURE() << "cannot create a temporary directory";
        }
    }
    ~TemporaryDirectory() { llvm::sys::fs::remove_directories(path_); }
    std::string path() const { return std::string(path_); }
    void write(const std::string& name, const std::string& text) const {
        std::error_code error;
        llvm::raw_fd_ostream out(path() + "/" + name, error);
        ASSERT_FALSE(error) << error.message();
        out << text;
    }

  private:
    llvm::SmallString<128> path_;
};

TEST(FlowFacts, ReadsCompileCommandsFromADatabase) {
    const TemporaryDirectory build;
    build.write("compile_commands.json",
                "[{\"directory\": \"" + build.path() + "\", \"file\": \"" + input("loops.c") +
                    "\", \"arguments\": [\"clang-19\", \"-std=c99\", \"-I" +
                    std::string(CLOCKWORK_SOURCE_DIR) + "/alloc/include\", \"-c\", \"" +
                    input("loops.c") + "\", \"-o\", \"loops.o\"]}]");
    llvm::Expected<FlowFacts> facts = collect_flow_facts(build.path(), {input("loops.c")});
    ASSERT_TRUE(static_cast<bool>(facts)) << llvm::toString(facts.takeError());
    EXPECT_EQ(facts->loops.size(), 3u) << describe(*facts);

    const std::string missing =
        llvm::toString(collect_flow_facts(build.path(), {input("loops.cpp")}).takeError());
    EXPECT_EQ(missing, input("loops.cpp") + ": no compile command in " + build.path() +
                           "/compile_commands.json; add the file to a target of that build");
}

TEST(FlowFacts, MissingDatabaseSaysHowToMakeOne) {
    const TemporaryDirectory empty;
    const std::string error =
        llvm::toString(collect_flow_facts(empty.path(), {input("loops.c")}).takeError());
    EXPECT_NE(error.find(empty.path() + "/compile_commands.json: "), std::string::npos) << error;
    EXPECT_NE(error.find("; configure the build with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON"),
              std::string::npos)
        << error;
}

TEST(FlowFacts, CompileErrorsAreReportedWithTheirPosition) {
    const TemporaryDirectory directory;
    directory.write("broken.c", "int f(void) { return missing; }\n");
    const std::string source = directory.path() + "/broken.c";
    llvm::Expected<FlowFacts> facts = collect_flow_facts_with_args({source}, kCArgs);
    ASSERT_FALSE(static_cast<bool>(facts));
    EXPECT_EQ(llvm::toString(facts.takeError()),
              "could not parse " + source + ":\n" + source +
                  ":1:22: error: use of undeclared identifier 'missing'\n"
                  "fix the code, or the compile command that the analysis reads it with");
}

} // namespace
