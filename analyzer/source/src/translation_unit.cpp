#include "translation_unit.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/Basic/FileManager.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <utility>

namespace clockwork::analyzer::source::detail {
namespace {

clang::PrintingPolicy naming_policy(const clang::ASTContext& context) {
    clang::PrintingPolicy policy = context.getPrintingPolicy();
    // "(lambda)" rather than "(lambda at /path:line:col)": names stay stable when code moves.
    policy.AnonymousTagLocations = false;
    return policy;
}

} // namespace

TranslationUnitView::TranslationUnitView(clang::ASTContext& context)
    : context_(context), mangler_(context), policy_(naming_policy(context)) {}

const clang::SourceManager& TranslationUnitView::sources() const {
    return context_.getSourceManager();
}

bool TranslationUnitView::in_scope(clang::SourceLocation location) const {
    if (location.isInvalid()) {
        return false;
    }
    const clang::SourceManager& sources = this->sources();
    const clang::SourceLocation expansion = sources.getExpansionLoc(location);
    return sources.getFileEntryRefForID(sources.getFileID(expansion)).has_value() &&
           !sources.isInSystemHeader(expansion);
}

SourcePosition TranslationUnitView::position(clang::SourceLocation location) {
    const clang::SourceManager& sources = this->sources();
    const clang::PresumedLoc presumed = sources.getPresumedLoc(sources.getExpansionLoc(location));
    if (presumed.isInvalid()) {
        return {};
    }
    auto [entry, inserted] = absolute_paths_.try_emplace(presumed.getFilename());
    if (inserted) {
        llvm::SmallString<256> path(presumed.getFilename());
        sources.getFileManager().makeAbsolutePath(path);
        llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
        entry->second = std::string(path);
    }
    return {entry->second, presumed.getLine(), presumed.getColumn()};
}

Problem TranslationUnitView::problem(clang::SourceLocation location, std::string message) {
    SourcePosition where = position(location);
    return {std::move(where.file), where.line, where.column, std::move(message)};
}

std::string TranslationUnitView::function_name(const clang::FunctionDecl* function) const {
    if (function == nullptr) {
        return {};
    }
    // A lambda is named after where it is written: "f::(lambda)", not "f(int)::(anonymous
    // class)::operator()".
    if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(function);
        method != nullptr && method->getParent()->isLambda()) {
        const clang::DeclContext* context = method->getParent()->getDeclContext();
        std::string outer;
        if (const auto* enclosing = llvm::dyn_cast<clang::FunctionDecl>(context)) {
            outer = function_name(enclosing);
        } else if (const auto* named = llvm::dyn_cast<clang::NamedDecl>(context)) {
            outer = named->getQualifiedNameAsString();
        }
        return outer.empty() ? "(lambda)" : outer + "::(lambda)";
    }
    std::string name;
    llvm::raw_string_ostream stream(name);
    function->printQualifiedName(stream, policy_);
    return name;
}

std::string TranslationUnitView::linkage_name(const clang::FunctionDecl* function) {
    if (function == nullptr || function->isDependentContext()) {
        return {};
    }
    return mangler_.getName(function);
}

std::string TranslationUnitView::spelling(clang::SourceRange range) const {
    const clang::SourceManager& sources = this->sources();
    const clang::SourceLocation begin = sources.getSpellingLoc(range.getBegin());
    const clang::SourceLocation end = sources.getSpellingLoc(range.getEnd());
    if (sources.getFileID(begin) != sources.getFileID(end)) {
        return text(range);
    }
    return clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(begin, end), sources,
                                       context_.getLangOpts())
        .str();
}

std::string TranslationUnitView::text(clang::SourceRange range) const {
    const clang::SourceManager& sources = this->sources();
    return clang::Lexer::getSourceText(sources.getExpansionRange(range), sources,
                                       context_.getLangOpts())
        .str();
}

} // namespace clockwork::analyzer::source::detail
