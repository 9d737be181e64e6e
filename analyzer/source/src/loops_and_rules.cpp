#include "translation_unit.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/Stmt.h>
#include <clang/AST/StmtCXX.h>
#include <clang/AST/TypeLoc.h>
#include <clang/Basic/SourceManager.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/StringSet.h>

#include <algorithm>
#include <climits>
#include <tuple>
#include <utility>

namespace clockwork::analyzer::source::detail {
namespace {

const clang::Stmt* loop_body(const clang::Stmt* loop) {
    if (const auto* s = llvm::dyn_cast<clang::ForStmt>(loop)) {
        return s->getBody();
    }
    if (const auto* s = llvm::dyn_cast<clang::WhileStmt>(loop)) {
        return s->getBody();
    }
    if (const auto* s = llvm::dyn_cast<clang::DoStmt>(loop)) {
        return s->getBody();
    }
    if (const auto* s = llvm::dyn_cast<clang::CXXForRangeStmt>(loop)) {
        return s->getBody();
    }
    return nullptr;
}

bool is_loop(const clang::Stmt* statement) {
    return loop_body(statement) != nullptr;
}

// A body that is a single statement is its own first statement: `for (;;) CW_LOOP_BOUND(4);`.
const clang::Stmt* first_statement(const clang::Stmt* body) {
    if (const auto* block = llvm::dyn_cast_or_null<clang::CompoundStmt>(body)) {
        return block->body_empty() ? nullptr : block->body_front();
    }
    return body;
}

// CW_LOOP_BOUND(n) is ((void)sizeof(char[(n) > 0 ? 1 : -1])). The array type's size expression
// survives only in its TypeLoc (a constant array type keeps the value, not the expression).
const clang::Expr* loop_bound_argument(const clang::Stmt* annotation) {
    const auto* expression = llvm::dyn_cast<clang::Expr>(annotation);
    if (expression == nullptr) {
        return nullptr;
    }
    const auto* size_of =
        llvm::dyn_cast<clang::UnaryExprOrTypeTraitExpr>(expression->IgnoreParenCasts());
    if (size_of == nullptr || size_of->getKind() != clang::UETT_SizeOf ||
        !size_of->isArgumentType()) {
        return nullptr;
    }
    const auto array = size_of->getArgumentTypeInfo()->getTypeLoc().getAs<clang::ArrayTypeLoc>();
    if (!array || array.getSizeExpr() == nullptr) {
        return nullptr;
    }
    const auto* choice =
        llvm::dyn_cast<clang::ConditionalOperator>(array.getSizeExpr()->IgnoreParenImpCasts());
    if (choice == nullptr) {
        return nullptr;
    }
    const auto* positive =
        llvm::dyn_cast<clang::BinaryOperator>(choice->getCond()->IgnoreParenImpCasts());
    if (positive == nullptr || positive->getOpcode() != clang::BO_GT) {
        return nullptr;
    }
    return positive->getLHS();
}

// A function of the C library (or its std:: alias), not a project function that happens to
// share the name.
bool is_library_function(const clang::FunctionDecl* function) {
    return function->isExternC() || function->isInStdNamespace() ||
           function->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

const llvm::StringSet<>& allocation_functions() {
    static const llvm::StringSet<> names{
        "malloc",   "calloc",         "realloc", "free",    "aligned_alloc", "reallocarray",
        "memalign", "posix_memalign", "valloc",  "pvalloc", "strdup",        "strndup"};
    return names;
}

const llvm::StringSet<>& jump_functions() {
    static const llvm::StringSet<> names{
        "setjmp",  "_setjmp",  "sigsetjmp",  "__sigsetjmp",       "__builtin_setjmp",
        "longjmp", "_longjmp", "siglongjmp", "__builtin_longjmp", "__longjmp_chk"};
    return names;
}

const llvm::StringSet<>& stack_allocation_functions() {
    static const llvm::StringSet<> names{"alloca", "_alloca", "__builtin_alloca",
                                         "__builtin_alloca_with_align"};
    return names;
}

bool is_allocation_operator(const clang::FunctionDecl* function) {
    switch (function->getOverloadedOperator()) {
    case clang::OO_New:
    case clang::OO_Array_New:
    case clang::OO_Delete:
    case clang::OO_Array_Delete:
        return !function->isReservedGlobalPlacementOperator();
    default:
        return false;
    }
}

struct LoopRecord {
    clang::SourceLocation keyword;
    clang::SourceRange range;
    std::string function;
    std::string linkage_name;
    unsigned depth = 0;
    clang::SourceLocation annotation; // CW_LOOP_BOUND's macro name; invalid: none
    bool annotation_evaluated = false;
    uint64_t annotation_max = 0;
    const LoopboundPragma* pragma = nullptr;
};

// A pragma binds to the statement that begins first after it; it must be a loop.
struct PragmaSlot {
    const LoopboundPragma* pragma = nullptr;
    clang::FileID file;
    unsigned offset = 0;
    unsigned next_offset = UINT_MAX;
    clang::SourceLocation next_loop;
};

class LoopsAndRules : public clang::RecursiveASTVisitor<LoopsAndRules> {
    using Base = clang::RecursiveASTVisitor<LoopsAndRules>;

  public:
    LoopsAndRules(TranslationUnitView& view, const PreprocessorFacts& preprocessor,
                  TranslationUnitFacts& out)
        : view_(view), sources_(view.sources()), preprocessor_(preprocessor), out_(out) {
        for (const LoopboundPragma& pragma : preprocessor.pragmas) {
            const auto [file, offset] = sources_.getDecomposedLoc(pragma.location);
            PragmaSlot slot;
            slot.pragma = &pragma;
            slot.file = file;
            slot.offset = offset;
            pragma_slots_.push_back(slot);
        }
        std::sort(pragma_slots_.begin(), pragma_slots_.end(),
                  [](const PragmaSlot& a, const PragmaSlot& b) {
                      return std::tie(a.file, a.offset) < std::tie(b.file, b.offset);
                  });
    }

    // Bounds that depend on a template parameter have a value only in an instantiation.
    bool shouldVisitTemplateInstantiations() const { return true; }

    bool TraverseDecl(clang::Decl* decl) {
        if (decl == nullptr) {
            return true;
        }
        if (!llvm::isa<clang::TranslationUnitDecl>(decl) &&
            sources_.isInSystemHeader(sources_.getExpansionLoc(decl->getLocation()))) {
            return true;
        }
        const auto* function = llvm::dyn_cast<clang::FunctionDecl>(decl);
        if (function == nullptr || !function->doesThisDeclarationHaveABody()) {
            return Base::TraverseDecl(decl);
        }
        functions_.push_back({function, 0});
        const bool result = Base::TraverseDecl(decl);
        functions_.pop_back();
        return result;
    }

    bool TraverseLambdaExpr(clang::LambdaExpr* lambda) {
        functions_.push_back({lambda->getCallOperator(), 0});
        const bool result = Base::TraverseLambdaExpr(lambda);
        functions_.pop_back();
        return result;
    }

    bool TraverseForStmt(clang::ForStmt* loop) {
        return traverse_loop(loop, [&] { return Base::TraverseForStmt(loop); });
    }
    bool TraverseWhileStmt(clang::WhileStmt* loop) {
        return traverse_loop(loop, [&] { return Base::TraverseWhileStmt(loop); });
    }
    bool TraverseDoStmt(clang::DoStmt* loop) {
        return traverse_loop(loop, [&] { return Base::TraverseDoStmt(loop); });
    }
    bool TraverseCXXForRangeStmt(clang::CXXForRangeStmt* loop) {
        return traverse_loop(loop, [&] { return Base::TraverseCXXForRangeStmt(loop); });
    }

    bool VisitStmt(clang::Stmt* statement) {
        note_pragma_follower(statement);
        return true;
    }

    bool VisitCallExpr(clang::CallExpr* call) {
        if (!view_.in_scope(call->getBeginLoc())) {
            return true;
        }
        if (const clang::FunctionDecl* callee = call->getDirectCallee()) {
            check_named_callee(call, callee);
            check_virtual_call(call);
            return true;
        }
        const clang::Expr* callee = call->getCallee();
        // In a template, a call that depends on a parameter is judged in each instantiation.
        if (callee == nullptr || call->isTypeDependent() || callee->isTypeDependent() ||
            llvm::isa<clang::UnresolvedLookupExpr, clang::UnresolvedMemberExpr,
                      clang::CXXDependentScopeMemberExpr, clang::CXXPseudoDestructorExpr>(
                callee->IgnoreParenImpCasts())) {
            return true;
        }
        breach(Rule::function_pointer_call, call->getBeginLoc(),
               "call through the function pointer `" + view_.text(callee->getSourceRange()) +
                   "`: the analyzer cannot tell which function runs, so the call has no static "
                   "bound; call a named function, or have the analysis bound each possible "
                   "target");
        return true;
    }

    bool VisitCXXNewExpr(clang::CXXNewExpr* expression) {
        const clang::FunctionDecl* allocator = expression->getOperatorNew();
        if (allocator == nullptr || allocator->isReservedGlobalPlacementOperator() ||
            !view_.in_scope(expression->getBeginLoc())) {
            return true;
        }
        breach(Rule::dynamic_allocation, expression->getBeginLoc(),
               "new-expression: operator new's time and success depend on the whole allocation "
               "history, which no static bound covers; allocate from a cw_heap "
               "(clockwork/cw_alloc.h) and construct with placement new, or allocate statically");
        return true;
    }

    bool VisitCXXDeleteExpr(clang::CXXDeleteExpr* expression) {
        if (!view_.in_scope(expression->getBeginLoc())) {
            return true;
        }
        breach(Rule::dynamic_allocation, expression->getBeginLoc(),
               "delete-expression: operator delete's time depends on the whole allocation "
               "history, which no static bound covers; destroy explicitly and return the memory "
               "with cw_heap_free, or allocate statically");
        return true;
    }

    bool VisitVarDecl(clang::VarDecl* variable) {
        const clang::Type* type = variable->getType().getTypePtrOrNull();
        if (type == nullptr || !type->isArrayType() || !type->isVariablyModifiedType() ||
            !view_.in_scope(variable->getLocation())) {
            return true;
        }
        breach(Rule::variable_length_array, variable->getLocation(),
               "`" + variable->getNameAsString() +
                   "` is a variable-length array: the stack the function needs is known only at "
                   "run time, so no stack or time bound holds; give the array a constant size");
        return true;
    }

    bool VisitAsmStmt(clang::AsmStmt* statement) {
        // AsmStmt::getBeginLoc() is a stub that the GCC and MS forms hide.
        if (!view_.in_scope(statement->getAsmLoc())) {
            return true;
        }
        breach(Rule::inline_assembly, statement->getAsmLoc(),
               "inline assembly: its control flow is invisible to the source analysis, so its "
               "loops and branches carry no flow facts; use a compiler builtin, or move it to a "
               "branch-free function of its own");
        return true;
    }

    // Binds pragmas to loops, reports the annotations that no loop claimed, and emits the loops.
    void finish() {
        for (const PragmaSlot& slot : pragma_slots_) {
            const auto loop = loop_index_.find(slot.next_loop);
            if (slot.next_loop.isInvalid() || loop == loop_index_.end()) {
                out_.problems.push_back(view_.problem(
                    slot.pragma->location,
                    "loopbound pragma is not followed by a loop; put it on the line just before "
                    "the for, while or do it bounds"));
                continue;
            }
            loops_[loop->second].pragma = slot.pragma;
        }
        for (const clang::SourceLocation expansion : preprocessor_.loop_bound_expansions) {
            if (!claimed_.contains(expansion) && view_.in_scope(expansion)) {
                out_.problems.push_back(view_.problem(
                    expansion, "CW_LOOP_BOUND must be the first statement of a loop body; move "
                               "it to the top of the body of the loop it bounds"));
            }
        }
        for (const LoopRecord& record : loops_) {
            out_.facts.loops.push_back(fact(record));
        }
    }

  private:
    struct FunctionScope {
        const clang::FunctionDecl* function = nullptr;
        unsigned loop_depth = 0;
    };

    template <class Traverse>
    bool traverse_loop(clang::Stmt* loop, Traverse traverse) {
        if (functions_.empty() || !view_.in_scope(loop->getBeginLoc())) {
            return traverse();
        }
        record_loop(loop);
        ++functions_.back().loop_depth;
        const bool result = traverse();
        --functions_.back().loop_depth;
        return result;
    }

    void record_loop(const clang::Stmt* loop) {
        const FunctionScope& scope = functions_.back();
        const auto [index, inserted] = loop_index_.try_emplace(loop->getBeginLoc(), loops_.size());
        if (inserted) {
            LoopRecord record;
            record.keyword = loop->getBeginLoc();
            record.range = loop->getSourceRange();
            record.function = view_.function_name(scope.function);
            record.depth = scope.loop_depth;
            loops_.push_back(std::move(record));
        }
        LoopRecord& record = loops_[index->second];
        if (record.linkage_name.empty()) {
            record.linkage_name = view_.linkage_name(scope.function);
        }
        read_loop_bound(loop, record);
    }

    void read_loop_bound(const clang::Stmt* loop, LoopRecord& record) {
        const clang::Stmt* first = first_statement(loop_body(loop));
        if (first == nullptr || !first->getBeginLoc().isMacroID()) {
            return;
        }
        // The statement's first token opens CW_LOOP_BOUND's body, so the expansion it comes
        // from starts at the macro's name.
        const clang::SourceLocation name =
            sources_.getImmediateExpansionRange(first->getBeginLoc()).getBegin();
        if (!preprocessor_.loop_bound_expansions.contains(name)) {
            return;
        }
        const clang::Expr* bound = loop_bound_argument(first);
        if (bound == nullptr) {
            return;
        }
        claimed_.insert(name);
        record.annotation = name;
        if (bound->isValueDependent()) {
            return;
        }
        clang::Expr::EvalResult result;
        if (!bound->EvaluateAsInt(result, view_.context()) || result.Val.getInt().isNegative() ||
            result.Val.getInt().getActiveBits() > 64) {
            if (reported_bounds_.insert(name).second) {
                out_.problems.push_back(view_.problem(
                    name, "CW_LOOP_BOUND(" +
                              view_.spelling(bound->IgnoreParenImpCasts()->getSourceRange()) +
                              ") is not an integer constant; use a literal, an enumerator or a "
                              "constexpr constant"));
            }
            return;
        }
        const uint64_t value = result.Val.getInt().getZExtValue();
        record.annotation_max =
            record.annotation_evaluated ? std::max(record.annotation_max, value) : value;
        record.annotation_evaluated = true;
    }

    void note_pragma_follower(const clang::Stmt* statement) {
        if (pragma_slots_.empty()) {
            return;
        }
        const clang::SourceLocation begin = sources_.getExpansionLoc(statement->getBeginLoc());
        if (begin.isInvalid()) {
            return;
        }
        const auto [file, offset] = sources_.getDecomposedLoc(begin);
        auto slot = std::upper_bound(
            pragma_slots_.begin(), pragma_slots_.end(), std::make_pair(file, offset),
            [](const std::pair<clang::FileID, unsigned>& key, const PragmaSlot& s) {
                return std::tie(key.first, key.second) < std::tie(s.file, s.offset);
            });
        if (slot == pragma_slots_.begin()) {
            return;
        }
        --slot;
        if (slot->file != file || offset > slot->next_offset) {
            return;
        }
        if (offset < slot->next_offset) {
            slot->next_offset = offset;
            slot->next_loop = clang::SourceLocation();
        }
        if (is_loop(statement)) {
            slot->next_loop = statement->getBeginLoc();
        }
    }

    void check_named_callee(const clang::CallExpr* call, const clang::FunctionDecl* callee) {
        if (is_allocation_operator(callee)) {
            breach(Rule::dynamic_allocation, call->getBeginLoc(),
                   "call to `" + callee->getNameAsString() +
                       "`: its time and success depend on the whole allocation history, which "
                       "no static bound covers; allocate from a cw_heap (clockwork/cw_alloc.h) "
                       "or statically");
            return;
        }
        const clang::IdentifierInfo* identifier = callee->getIdentifier();
        if (identifier == nullptr || !is_library_function(callee)) {
            return;
        }
        const llvm::StringRef name = identifier->getName();
        if (allocation_functions().contains(name)) {
            breach(Rule::dynamic_allocation, call->getBeginLoc(),
                   "call to `" + name.str() +
                       "`: a general-purpose allocator's time and success depend on the whole "
                       "allocation history, which no static bound covers; allocate from a "
                       "cw_heap (clockwork/cw_alloc.h) or statically");
        } else if (jump_functions().contains(name)) {
            breach(Rule::setjmp, call->getBeginLoc(),
                   "call to `" + name.str() +
                       "`: a non-local jump leaves the control-flow graph the bound is computed "
                       "on; return an error status through the callers instead");
        } else if (stack_allocation_functions().contains(name)) {
            breach(Rule::variable_length_array, call->getBeginLoc(),
                   "call to `" + name.str() +
                       "`: the stack the function needs is known only at run time, so no stack "
                       "or time bound holds; use an array of constant size");
        }
    }

    void check_virtual_call(const clang::CallExpr* call) {
        const auto* member_call = llvm::dyn_cast<clang::CXXMemberCallExpr>(call);
        if (member_call == nullptr) {
            return;
        }
        const clang::CXXMethodDecl* method = member_call->getMethodDecl();
        const auto* callee =
            llvm::dyn_cast<clang::MemberExpr>(member_call->getCallee()->IgnoreParens());
        if (method == nullptr || callee == nullptr || !method->isVirtual() ||
            callee->hasQualifier() ||
            method->getDevirtualizedMethod(callee->getBase(), /*IsAppleKext=*/false) != nullptr) {
            return;
        }
        breach(Rule::function_pointer_call, call->getBeginLoc(),
               "virtual call to `" + method->getQualifiedNameAsString() +
                   "`: the target is read from the vtable at run time, so the analyzer cannot "
                   "tell which override runs; call through a final class or a qualified name");
    }

    void breach(Rule rule, clang::SourceLocation location, std::string message) {
        const FunctionScope* scope = functions_.empty() ? nullptr : &functions_.back();
        SourcePosition where = view_.position(location);
        RuleBreach breach;
        breach.rule = rule;
        breach.file = std::move(where.file);
        breach.line = where.line;
        breach.column = where.column;
        breach.function = view_.function_name(scope != nullptr ? scope->function : nullptr);
        breach.linkage_name = view_.linkage_name(scope != nullptr ? scope->function : nullptr);
        breach.message = std::move(message);
        out_.facts.breaches.push_back(std::move(breach));
    }

    LoopFact fact(const LoopRecord& record) {
        LoopFact fact;
        const SourcePosition keyword = view_.position(record.keyword);
        const clang::CharSourceRange range = sources_.getExpansionRange(record.range);
        fact.file = keyword.file;
        fact.function = record.function;
        fact.linkage_name = record.linkage_name;
        fact.loop_line = keyword.line;
        fact.loop_column = keyword.column;
        fact.first_line = view_.position(range.getBegin()).line;
        fact.last_line = view_.position(range.getEnd()).line;
        fact.depth = record.depth;
        if (record.annotation.isValid() && record.pragma != nullptr) {
            out_.problems.push_back(view_.problem(
                record.keyword, "loop has two bounds, CW_LOOP_BOUND and a loopbound pragma; "
                                "keep one of them"));
        }
        if (record.annotation.isValid()) {
            fact.syntax = BoundSyntax::cw_loop_bound;
            fact.bound_line = view_.position(record.annotation).line;
            fact.bounded = record.annotation_evaluated;
            fact.max = record.annotation_max;
        } else if (record.pragma != nullptr) {
            fact.syntax = BoundSyntax::pragma_loopbound;
            fact.bound_line = view_.position(record.pragma->location).line;
            fact.bounded = true;
            fact.min = record.pragma->min;
            fact.max = record.pragma->max;
        }
        return fact;
    }

    TranslationUnitView& view_;
    const clang::SourceManager& sources_;
    const PreprocessorFacts& preprocessor_;
    TranslationUnitFacts& out_;
    std::vector<FunctionScope> functions_;
    std::vector<LoopRecord> loops_;
    llvm::DenseMap<clang::SourceLocation, size_t> loop_index_;
    llvm::DenseSet<clang::SourceLocation> claimed_;
    llvm::DenseSet<clang::SourceLocation> reported_bounds_;
    std::vector<PragmaSlot> pragma_slots_;
};

} // namespace

void collect_loops_and_rules(TranslationUnitView& view, const PreprocessorFacts& preprocessor,
                             TranslationUnitFacts& out) {
    for (const LocatedProblem& problem : preprocessor.problems) {
        out.problems.push_back(view.problem(problem.location, problem.message));
    }
    LoopsAndRules visitor(view, preprocessor, out);
    visitor.TraverseAST(view.context());
    visitor.finish();
}

} // namespace clockwork::analyzer::source::detail
