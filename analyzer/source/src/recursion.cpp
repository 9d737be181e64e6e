#include "translation_unit.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/Analysis/CallGraph.h>
#include <llvm/ADT/SCCIterator.h>
#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/ADT/StringExtras.h>

#include <algorithm>
#include <string>
#include <vector>

namespace clockwork::analyzer::source::detail {

// Recursion across translation units is not visible here; the binary analyzer's call graph of
// the linked program sees it.
void collect_recursion(TranslationUnitView& view, std::vector<RuleBreach>& breaches) {
    clang::CallGraph graph;
    for (clang::Decl* decl : view.context().getTranslationUnitDecl()->decls()) {
        if (view.in_scope(decl->getLocation())) {
            graph.addToCallGraph(decl);
        }
    }
    // The root links only externally visible functions; a cycle of internal functions that
    // nothing calls would be missed without an edge to every function.
    clang::CallGraphNode* root = graph.getRoot();
    for (const auto& entry : graph) {
        if (entry.second.get() != root) {
            root->addCallee({entry.second.get(), nullptr});
        }
    }

    for (auto component = llvm::scc_begin(&graph); !component.isAtEnd(); ++component) {
        if (component->size() == 1 && !component.hasCycle()) {
            continue;
        }
        const llvm::SmallPtrSet<const clang::CallGraphNode*, 8> members(component->begin(),
                                                                        component->end());
        std::vector<std::string> names;
        for (const clang::CallGraphNode* node : *component) {
            names.push_back(
                view.function_name(llvm::dyn_cast_or_null<clang::FunctionDecl>(node->getDecl())));
        }
        std::sort(names.begin(), names.end());
        const std::string cycle = llvm::join(names, ", ");

        for (const clang::CallGraphNode* node : *component) {
            const auto* caller = llvm::dyn_cast_or_null<clang::FunctionDecl>(node->getDecl());
            for (const clang::CallGraphNode::CallRecord& call : node->callees()) {
                if (call.CallExpr == nullptr || !members.contains(call.Callee) ||
                    !view.in_scope(call.CallExpr->getBeginLoc())) {
                    continue;
                }
                const auto* callee =
                    llvm::dyn_cast_or_null<clang::FunctionDecl>(call.Callee->getDecl());
                SourcePosition where = view.position(call.CallExpr->getBeginLoc());
                RuleBreach breach;
                breach.rule = Rule::recursion;
                breach.file = std::move(where.file);
                breach.line = where.line;
                breach.column = where.column;
                breach.function = view.function_name(caller);
                breach.linkage_name = view.linkage_name(caller);
                breach.message = "`" + breach.function + "` calls `" + view.function_name(callee) +
                                 "`, which is recursion (functions in the cycle: " + cycle +
                                 "): the call depth has no static bound; rewrite it as a loop with "
                                 "CW_LOOP_BOUND";
                breaches.push_back(std::move(breach));
            }
        }
    }
}

} // namespace clockwork::analyzer::source::detail
