#include "translation_unit.hpp"

#include <clang/Basic/SourceManager.h>
#include <clang/Lex/MacroInfo.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Pragma.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Lex/Token.h>

#include <memory>

namespace clockwork::analyzer::source::detail {
namespace {

class LoopBoundWatcher : public clang::PPCallbacks {
  public:
    explicit LoopBoundWatcher(PreprocessorFacts& facts) : facts_(facts) {}

    void MacroExpands(const clang::Token& name, const clang::MacroDefinition&, clang::SourceRange,
                      const clang::MacroArgs*) override {
        const clang::IdentifierInfo* identifier = name.getIdentifierInfo();
        if (identifier != nullptr && identifier->getName() == kLoopBoundMacro) {
            facts_.loop_bound_expansions.insert(name.getLocation());
        }
    }

  private:
    PreprocessorFacts& facts_;
};

// `#pragma loopbound min A max B` and `_Pragma("loopbound min A max B")`, as TACLeBench writes
// them for aiT, OTAWA and Platin. Macros expand in the arguments, so a named constant works.
class LoopboundPragmaHandler : public clang::PragmaHandler {
  public:
    explicit LoopboundPragmaHandler(PreprocessorFacts& facts)
        : clang::PragmaHandler("loopbound"), facts_(facts) {}

    void HandlePragma(clang::Preprocessor& preprocessor, clang::PragmaIntroducer introducer,
                      clang::Token&) override {
        const clang::SourceManager& sources = preprocessor.getSourceManager();
        const clang::SourceLocation location = sources.getExpansionLoc(introducer.Loc);
        clang::Token token;
        preprocessor.Lex(token);
        LoopboundPragma pragma{location, 0, 0};
        const bool well_formed =
            keyword(preprocessor, token, "min") && number(preprocessor, token, pragma.min) &&
            keyword(preprocessor, token, "max") && number(preprocessor, token, pragma.max) &&
            token.is(clang::tok::eod) && pragma.min <= pragma.max;
        while (token.isNot(clang::tok::eod) && token.isNot(clang::tok::eof)) {
            preprocessor.Lex(token);
        }
        if (sources.isInSystemHeader(location)) {
            return;
        }
        if (well_formed) {
            facts_.pragmas.push_back(pragma);
        } else {
            facts_.problems.push_back(
                {location, "malformed loopbound pragma: expected `loopbound min A max B` with "
                           "integers A <= B; write it as `#pragma loopbound min 0 max 16` (or "
                           "_Pragma(\"loopbound min 0 max 16\")) just before the loop"});
        }
    }

  private:
    static bool keyword(clang::Preprocessor& preprocessor, clang::Token& token,
                        llvm::StringRef word) {
        if (!token.is(clang::tok::identifier) || token.getIdentifierInfo()->getName() != word) {
            return false;
        }
        preprocessor.Lex(token);
        return true;
    }

    // Parsed here rather than with NumericLiteralParser, which would report a bad literal as a
    // compile error instead of naming the pragma.
    static bool number(clang::Preprocessor& preprocessor, clang::Token& token, uint64_t& value) {
        if (!token.is(clang::tok::numeric_constant)) {
            return false;
        }
        if (llvm::StringRef(preprocessor.getSpelling(token)).getAsInteger(0, value)) {
            return false;
        }
        preprocessor.Lex(token);
        return true;
    }

    PreprocessorFacts& facts_;
};

} // namespace

void watch_preprocessor(clang::Preprocessor& preprocessor, PreprocessorFacts& facts) {
    preprocessor.addPPCallbacks(std::make_unique<LoopBoundWatcher>(facts));
    preprocessor.AddPragmaHandler(new LoopboundPragmaHandler(facts));
}

} // namespace clockwork::analyzer::source::detail
