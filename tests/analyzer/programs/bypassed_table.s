# A jump table whose range check another branch bypasses: .Lout jumps back to .Ldispatch with
# an index up to 7, past the check that bounds it to 3. The analyzer must not read a table of
# four entries here.
    .text
    .globl cw_test_bypassed_table
    .type cw_test_bypassed_table,@function
cw_test_bypassed_table:
    li t0, 3
    bltu t0, a0, .Lout
.Ldispatch:
    slli a0, a0, 2
    lui a1, %hi(.Ltable)
    addi a1, a1, %lo(.Ltable)
    add a0, a0, a1
    lw a0, 0(a0)
    jr a0
.Lsmall:
    li a0, 0
    ret
.Llarge:
    addi a0, a0, 1
    addi a0, a0, 1
    addi a0, a0, 1
    addi a0, a0, 1
    ret
.Lout:
    li t1, 7
    bltu t1, a0, .Lreturn
    j .Ldispatch
.Lreturn:
    ret
    .size cw_test_bypassed_table, .-cw_test_bypassed_table
    .section .rodata
    .p2align 2
.Ltable:
    .word .Lsmall, .Lsmall, .Lsmall, .Lsmall, .Llarge, .Llarge, .Llarge, .Llarge
