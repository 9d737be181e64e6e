#include "translation_unit.hpp"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>
#include <utility>

#ifndef CLOCKWORK_CLANG_RESOURCE_DIR
#error "CLOCKWORK_CLANG_RESOURCE_DIR must name Clang's resource directory"
#endif

namespace clockwork::analyzer::source {

llvm::StringRef rule_name(Rule rule) {
    switch (rule) {
    case Rule::recursion:
        return "recursion";
    case Rule::function_pointer_call:
        return "function-pointer-call";
    case Rule::variable_length_array:
        return "variable-length-array";
    case Rule::dynamic_allocation:
        return "dynamic-allocation";
    case Rule::setjmp:
        return "setjmp";
    case Rule::inline_assembly:
        return "inline-assembly";
    }
    return "unknown";
}

namespace {

using detail::Problem;
using detail::TranslationUnitFacts;

class Consumer : public clang::ASTConsumer {
  public:
    Consumer(std::unique_ptr<detail::PreprocessorFacts> preprocessor,
             std::vector<TranslationUnitFacts>& out)
        : preprocessor_(std::move(preprocessor)), out_(out) {}

    void HandleTranslationUnit(clang::ASTContext& context) override {
        // A unit with compile errors fails the whole run; its AST is not worth reading.
        if (context.getDiagnostics().hasErrorOccurred()) {
            return;
        }
        detail::TranslationUnitView view(context);
        TranslationUnitFacts facts;
        detail::collect_loops_and_rules(view, *preprocessor_, facts);
        detail::collect_recursion(view, facts.facts.breaches);
        out_.push_back(std::move(facts));
    }

  private:
    std::unique_ptr<detail::PreprocessorFacts> preprocessor_;
    std::vector<TranslationUnitFacts>& out_;
};

class CollectAction : public clang::ASTFrontendAction {
  public:
    explicit CollectAction(std::vector<TranslationUnitFacts>& out) : out_(out) {}

  protected:
    std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& compiler,
                                                          llvm::StringRef) override {
        // The consumer owns the facts: it outlives the parse that fills them.
        auto preprocessor = std::make_unique<detail::PreprocessorFacts>();
        detail::watch_preprocessor(compiler.getPreprocessor(), *preprocessor);
        return std::make_unique<Consumer>(std::move(preprocessor), out_);
    }

  private:
    std::vector<TranslationUnitFacts>& out_;
};

class CollectActionFactory : public clang::tooling::FrontendActionFactory {
  public:
    explicit CollectActionFactory(std::vector<TranslationUnitFacts>& out) : out_(out) {}
    std::unique_ptr<clang::FrontendAction> create() override {
        return std::make_unique<CollectAction>(out_);
    }

  private:
    std::vector<TranslationUnitFacts>& out_;
};

// Keeps compile errors for the error value; warnings are the build's business, not ours.
class CompileErrors : public clang::DiagnosticConsumer {
  public:
    void HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                          const clang::Diagnostic& info) override {
        clang::DiagnosticConsumer::HandleDiagnostic(level, info);
        if (level < clang::DiagnosticsEngine::Error) {
            return;
        }
        llvm::SmallString<256> text;
        info.FormatDiagnostic(text);
        std::string where;
        if (info.hasSourceManager() && info.getLocation().isValid()) {
            const clang::SourceManager& sources = info.getSourceManager();
            const clang::PresumedLoc presumed =
                sources.getPresumedLoc(sources.getExpansionLoc(info.getLocation()));
            if (presumed.isValid()) {
                where =
                    (llvm::Twine(presumed.getFilename()) + ":" + llvm::Twine(presumed.getLine()) +
                     ":" + llvm::Twine(presumed.getColumn()) + ": ")
                        .str();
            }
        }
        messages.push_back(where + "error: " + text.str().str());
    }

    std::vector<std::string> messages;
};

// The builtin headers (stddef.h, stdint.h) must be those of the Clang that parses: libTooling
// would look for them next to this program instead.
clang::tooling::ArgumentsAdjuster resource_dir_adjuster() {
    return [](const clang::tooling::CommandLineArguments& arguments, llvm::StringRef) {
        for (const std::string& argument : arguments) {
            if (llvm::StringRef(argument).starts_with("-resource-dir")) {
                return arguments;
            }
        }
        return clang::tooling::getInsertArgumentAdjuster(
            {"-resource-dir", CLOCKWORK_CLANG_RESOURCE_DIR},
            clang::tooling::ArgumentInsertPosition::BEGIN)(arguments, "");
    };
}

llvm::Expected<std::vector<std::string>> absolute_sources(llvm::ArrayRef<std::string> sources) {
    if (sources.empty()) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "no source files to read; name at least one");
    }
    std::vector<std::string> paths;
    for (const std::string& source : sources) {
        llvm::SmallString<256> path(source);
        if (std::error_code error = llvm::sys::fs::make_absolute(path)) {
            return llvm::createStringError(error, source + ": " + error.message() +
                                                      "; pass an absolute path");
        }
        llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
        if (!llvm::sys::fs::is_regular_file(path)) {
            return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                           std::string(path) +
                                               ": no such source file; check the path");
        }
        paths.emplace_back(path);
    }
    return paths;
}

template <class T>
auto position_key(const T& item) {
    return std::tie(item.file, item.line, item.column);
}

// One loop per source position: several compile commands for one file (a library built twice)
// and a header included by several sources give the same loop again.
void merge_loop(LoopFact& kept, const LoopFact& again) {
    kept.bounded = kept.bounded && again.bounded;
    kept.min = std::min(kept.min, again.min);
    kept.max = std::max(kept.max, again.max);
    if (kept.linkage_name.empty()) {
        kept.linkage_name = again.linkage_name;
    }
}

llvm::Expected<FlowFacts> merge(std::vector<TranslationUnitFacts>& units) {
    std::vector<Problem> problems;
    std::map<std::tuple<std::string, unsigned, unsigned>, LoopFact> loops;
    std::map<std::tuple<std::string, unsigned, unsigned, Rule>, RuleBreach> breaches;
    for (TranslationUnitFacts& unit : units) {
        for (Problem& problem : unit.problems) {
            problems.push_back(std::move(problem));
        }
        for (LoopFact& loop : unit.facts.loops) {
            auto key = std::make_tuple(loop.file, loop.loop_line, loop.loop_column);
            const auto found = loops.find(key);
            if (found == loops.end()) {
                loops.emplace(std::move(key), std::move(loop));
            } else {
                merge_loop(found->second, loop);
            }
        }
        for (RuleBreach& breach : unit.facts.breaches) {
            auto key = std::make_tuple(breach.file, breach.line, breach.column, breach.rule);
            const auto found = breaches.find(key);
            if (found == breaches.end()) {
                breaches.emplace(std::move(key), std::move(breach));
            } else if (found->second.linkage_name.empty()) {
                found->second.linkage_name = breach.linkage_name;
            }
        }
    }
    if (!problems.empty()) {
        std::sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
            return std::tie(a.file, a.line, a.column, a.message) <
                   std::tie(b.file, b.line, b.column, b.message);
        });
        std::vector<std::string> lines;
        for (const Problem& problem : problems) {
            std::string line = problem.file + ":" + std::to_string(problem.line) + ":" +
                               std::to_string(problem.column) + ": " + problem.message;
            if (lines.empty() || lines.back() != line) {
                lines.push_back(std::move(line));
            }
        }
        return llvm::createStringError(llvm::inconvertibleErrorCode(), llvm::join(lines, "\n"));
    }
    FlowFacts facts;
    for (auto& entry : loops) {
        facts.loops.push_back(std::move(entry.second));
    }
    for (auto& entry : breaches) {
        facts.breaches.push_back(std::move(entry.second));
    }
    return facts;
}

llvm::Expected<FlowFacts> run(const clang::tooling::CompilationDatabase& database,
                              const std::vector<std::string>& sources) {
    // A physical file system of its own: the tool then changes its working directory for each
    // compile command, not the process's.
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> file_system(
        llvm::vfs::createPhysicalFileSystem().release());
    std::vector<TranslationUnitFacts> units;
    std::vector<std::string> failures;
    // One tool per source: given several, ClangTool reports its progress on stderr.
    for (const std::string& source : sources) {
        clang::tooling::ClangTool tool(
            database, {source}, std::make_shared<clang::PCHContainerOperations>(), file_system);
        CompileErrors errors;
        tool.setDiagnosticConsumer(&errors);
        tool.setPrintErrorMessage(false);
        tool.appendArgumentsAdjuster(resource_dir_adjuster());
        // Warnings are the build's business (and -Werror must not turn them into failures
        // here); without carets Clang prints no "N warnings generated" either.
        tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
            {"-w", "-fno-caret-diagnostics"}, clang::tooling::ArgumentInsertPosition::END));
        CollectActionFactory factory(units);
        if (tool.run(&factory) != 0 || !errors.messages.empty()) {
            std::string failure = "could not parse " + source + ":";
            for (const std::string& error : errors.messages) {
                failure += "\n" + error;
            }
            failures.push_back(std::move(failure));
        }
    }
    if (!failures.empty()) {
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            llvm::join(failures, "\n") +
                "\nfix the code, or the compile command that the analysis reads it with");
    }
    return merge(units);
}

} // namespace

llvm::Expected<FlowFacts> collect_flow_facts(llvm::StringRef compile_commands_dir,
                                             llvm::ArrayRef<std::string> sources) {
    llvm::Expected<std::vector<std::string>> paths = absolute_sources(sources);
    if (!paths) {
        return paths.takeError();
    }
    llvm::SmallString<256> database_path(compile_commands_dir);
    llvm::sys::path::append(database_path, "compile_commands.json");
    std::string load_error;
    std::unique_ptr<clang::tooling::JSONCompilationDatabase> database =
        clang::tooling::JSONCompilationDatabase::loadFromFile(
            database_path, load_error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
    if (database == nullptr) {
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            std::string(database_path) + ": " + load_error +
                "; configure the build with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON");
    }
    for (const std::string& path : *paths) {
        if (database->getCompileCommands(path).empty()) {
            return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                           path + ": no compile command in " +
                                               std::string(database_path) +
                                               "; add the file to a target of that build");
        }
    }
    return run(*database, *paths);
}

llvm::Expected<FlowFacts> collect_flow_facts_with_args(llvm::ArrayRef<std::string> sources,
                                                       llvm::ArrayRef<std::string> compiler_args) {
    llvm::Expected<std::vector<std::string>> paths = absolute_sources(sources);
    if (!paths) {
        return paths.takeError();
    }
    llvm::SmallString<256> directory;
    if (std::error_code error = llvm::sys::fs::current_path(directory)) {
        return llvm::createStringError(error, "cannot read the current directory: " +
                                                  error.message() + "; run from an existing one");
    }
    const clang::tooling::FixedCompilationDatabase database(directory, compiler_args);
    return run(database, *paths);
}

} // namespace clockwork::analyzer::source
