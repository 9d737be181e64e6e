// One translation unit's share of the flow facts: what the preprocessor sees (annotations are
// macros and pragmas), what the AST shows (loops, calls, declarations), and the positions both
// resolve to.
#pragma once

#include <clockwork/analyzer/source/flow_facts.hpp>

#include <clang/AST/Mangle.h>
#include <clang/AST/PrettyPrinter.h>
#include <clang/Basic/SourceLocation.h>
#include <llvm/ADT/DenseSet.h>
#include <llvm/ADT/StringMap.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class FunctionDecl;
class Preprocessor;
class SourceManager;
} // namespace clang

namespace clockwork::analyzer::source::detail {

inline constexpr llvm::StringLiteral kLoopBoundMacro = "CW_LOOP_BOUND";

struct LoopboundPragma {
    clang::SourceLocation location; // the #pragma or _Pragma
    uint64_t min = 0;
    uint64_t max = 0;
};

struct LocatedProblem {
    clang::SourceLocation location;
    std::string message;
};

// Filled while the preprocessor runs, read once the AST is complete.
struct PreprocessorFacts {
    // The macro-name token of every CW_LOOP_BOUND expansion: the AST finds its statement by it.
    llvm::DenseSet<clang::SourceLocation> loop_bound_expansions;
    std::vector<LoopboundPragma> pragmas;
    std::vector<LocatedProblem> problems;
};

// Registers the CW_LOOP_BOUND watcher and the "loopbound" pragma handler; the preprocessor owns
// both, and `facts` must outlive it.
void watch_preprocessor(clang::Preprocessor& preprocessor, PreprocessorFacts& facts);

struct Problem {
    std::string file;
    unsigned line = 0;
    unsigned column = 0;
    std::string message;
};

struct TranslationUnitFacts {
    FlowFacts facts;
    std::vector<Problem> problems;
};

struct SourcePosition {
    std::string file;
    unsigned line = 0;
    unsigned column = 0;
};

// Positions, scope and names as every part of the collection reports them.
class TranslationUnitView {
  public:
    explicit TranslationUnitView(clang::ASTContext& context);

    clang::ASTContext& context() const { return context_; }
    const clang::SourceManager& sources() const;

    // In a file that is not a system header (after macro expansion).
    bool in_scope(clang::SourceLocation location) const;
    SourcePosition position(clang::SourceLocation location);
    Problem problem(clang::SourceLocation location, std::string message);

    std::string function_name(const clang::FunctionDecl* function) const;
    std::string linkage_name(const clang::FunctionDecl* function);
    // The code as written, for messages: at the macro's use, or where the tokens are spelled
    // (a macro argument inside the macro's expansion).
    std::string text(clang::SourceRange range) const;
    std::string spelling(clang::SourceRange range) const;

  private:
    clang::ASTContext& context_;
    clang::ASTNameGenerator mangler_;
    clang::PrintingPolicy policy_;
    llvm::StringMap<std::string> absolute_paths_;
};

// Loops with their bounds, and every breach but recursion.
void collect_loops_and_rules(TranslationUnitView& view, const PreprocessorFacts& preprocessor,
                             TranslationUnitFacts& out);

// Calls inside a cycle of the translation unit's call graph.
void collect_recursion(TranslationUnitView& view, std::vector<RuleBreach>& breaches);

} // namespace clockwork::analyzer::source::detail
