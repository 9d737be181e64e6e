/* A switch the compiler turns into a jump table where the back end has them, built with jump
 * tables on. Worst case x = 3 (on avr x = 1):
 *   cortex-m4: cmp, bhi, mov, movs, tbb, then case 3's ten instructions = 15; cycles (ARM DDI
 *     0439B Table 3-1, P = 3): 1 + 1 + 1 + 1 + (2 + 3) + movw 1 + movt 1 + 3 x (movs 1 + str 2)
 *     + movs 1 + bx (1 + 3) = 25.
 *   rv32imc: li, bltu, slli, lui, addi, add, lw, jr (table in .rodata), then lui, 3 x (li, sw),
 *     li, ret = 17.
 *   x86-64: cmpl, ja, movl, jmpq *table(,%rax,8), then 3 x movl, movl, retq = 9; with -fPIC:
 *     cmpl, ja, movl, leaq, movslq, addq, jmpq *%rax, then leaq, 3 x movl, movl, retq = 13.
 *   avr: no jump tables in LLVM's AVR back end: a tree of compares; 21 (measured over every
 *     case by tests/targets/runner). */
volatile int sink;

int cw_test_switch(int x) {
    switch (x) {
    case 0:
        sink = 10;
        return 1;
    case 1:
        sink = 11;
        sink = 12;
        return 2;
    case 2:
        sink = 20;
        return 3;
    case 3:
        sink = 30;
        sink = 31;
        sink = 32;
        return 4;
    case 4:
        return 5;
    case 5:
        sink = 50;
        return 6;
    default:
        return 0;
    }
}

/* A tail call through a function pointer: an indirect jump that is no table. */
typedef int (*cw_test_handler)(int);

int cw_test_dispatch(cw_test_handler handler, int x) {
    return handler(x);
}

/* A range check, then a call, then a switch on the call's result with no check of its own: the
 * check says nothing about the result, so the table's size is unknown and the jump must stay
 * unresolved (a register bounded before a call is not bounded after it). */
__attribute__((noinline)) unsigned cw_test_classify(unsigned x) {
    return ((unsigned)sink + x) & 7u;
}

int cw_test_switch_after_call(unsigned x) {
    if (x > 3) {
        return -1;
    }
    switch (cw_test_classify(x)) {
    case 0:
        sink = 1;
        return 10;
    case 1:
        sink = 2;
        sink = 3;
        return 11;
    case 2:
        sink = 3;
        return 12;
    case 3:
        sink = 4;
        sink = 1;
        return 13;
    case 4:
        sink = 5;
        sink = 6;
        sink = 7;
        return 14;
    case 5:
        sink = 6;
        return 15;
    case 6:
        sink = 7;
        sink = 9;
        return 16;
    case 7:
        sink = 8;
        return 17;
    default:
        __builtin_unreachable();
    }
}
