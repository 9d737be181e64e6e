/* Flow-fact annotations read by the Clockwork analyzer (analyzer/source).
 *
 * CW_LOOP_BOUND(n) is the first statement of a loop body: the body runs at most n times per
 * entry of the loop. n must be an integer constant expression (constexpr names are fine):
 * the sizeof below makes a non-constant n a compile error, and keeps n in the AST so that the
 * analyzer can evaluate it with Clang. It generates no code. The bound is a claim until the
 * verifier (clockwork verify) proves it; the Evidence marks it "proven" or "assumed".
 *
 * The WCET community's `_Pragma("loopbound min A max B")` before a loop is read as well. */
#ifndef CLOCKWORK_ANNOTATIONS_H
#define CLOCKWORK_ANNOTATIONS_H

#define CW_LOOP_BOUND(n) ((void)sizeof(char[(n) > 0 ? 1 : -1]))

#endif
