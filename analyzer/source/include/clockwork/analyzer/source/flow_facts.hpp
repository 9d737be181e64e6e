// Flow facts and rule checks read from the sources with Clang's libTooling: every loop with its
// bound (CW_LOOP_BOUND or the WCET community's loopbound pragma), and every construct that a
// static WCET bound cannot cover. The binary analyzer maps machine loops to these loops through
// DWARF lines, which is why each loop carries its source range.
//
// Which code is read: the given sources and every header they include that Clang does not
// classify as a system header (headers reached with -I are read, -isystem and the compiler's own
// are not). An inline function or template from a project header ends up in the binary like any
// other, so its loops need bounds too. Locations are expansion locations (a loop written in a
// macro is at the macro's use), as in the DWARF line table, and honour #line.
//
// Templates: a loop in a function template is one loop (one source range) however many
// instantiations there are; a bound that depends on a template parameter is the largest over
// the instantiations.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clockwork::analyzer::source {

enum class BoundSyntax { cw_loop_bound, pragma_loopbound };

struct LoopFact {
    std::string file;     // absolute, as the compile command resolves it
    std::string function; // enclosing function, qualified ("ns::f", "(anonymous namespace)::g")
    // The enclosing function's symbol (mangled C++ name, or the C name); for a loop in a
    // template, the symbol of its first instantiation; empty when it was never instantiated.
    std::string linkage_name;
    unsigned loop_line = 0, loop_column = 0; // the for/while/do keyword
    unsigned first_line = 0, last_line = 0;  // the whole loop statement
    unsigned bound_line = 0;                 // the annotation; 0 when there is none
    BoundSyntax syntax = BoundSyntax::cw_loop_bound;
    // The body runs at least min and at most max times per entry of the loop.
    // CW_LOOP_BOUND(n): min 0, max n.
    uint64_t min = 0, max = 0;
    // false: no annotation, or one in a template that was never instantiated with a value.
    // The analyzer reports such a loop as an error if it survives in the binary.
    bool bounded = false;
    unsigned depth = 0; // loop nesting inside its function, 0 = outermost
};

enum class Rule {
    recursion,             // a call inside a cycle of the call graph
    function_pointer_call, // a call through a function pointer, member pointer, or virtual call
    variable_length_array, // a VLA or an alloca: the stack frame is sized at run time
    dynamic_allocation,    // malloc and friends, new and delete expressions, operator new/delete
    setjmp,                // setjmp/longjmp and their variants
    inline_assembly,       // asm statements inside functions
};

// Stable names for reports: "recursion", "function-pointer-call", ...
llvm::StringRef rule_name(Rule rule);

struct RuleBreach {
    Rule rule = Rule::recursion;
    std::string file;
    unsigned line = 0, column = 0;
    std::string function; // qualified; empty at namespace scope (a static initializer)
    std::string linkage_name;
    std::string message; // why it breaks WCET analysis, and how to fix it
};

// Sorted by file, line and column; no duplicates across sources or compile commands.
struct FlowFacts {
    std::vector<LoopFact> loops;
    std::vector<RuleBreach> breaches;
};

// Runs libTooling over `sources` with their commands in compile_commands_dir/compile_commands.json.
// A source compiled by several commands (one library built twice with different macros) is read
// with each; a loop's bound is then the largest. Errors (one message per problem, each
// "file:line:column: what; how to fix", newline-separated): a missing database or entry, a
// source that does not compile, a CW_LOOP_BOUND that is not the first statement of a loop body
// or whose argument is not a constant, a malformed loopbound pragma or one that is not followed
// by a loop, a loop with two bounds.
llvm::Expected<FlowFacts> collect_flow_facts(llvm::StringRef compile_commands_dir,
                                             llvm::ArrayRef<std::string> sources);

// The same with one explicit command line for every source (no compiler name, no source file),
// run from the current directory.
llvm::Expected<FlowFacts> collect_flow_facts_with_args(llvm::ArrayRef<std::string> sources,
                                                       llvm::ArrayRef<std::string> compiler_args);

} // namespace clockwork::analyzer::source
