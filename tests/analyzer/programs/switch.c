/* A switch the compiler turns into a jump table (TBB on Thumb). Worst case x = 3 on cortex-m4:
 * cmp, bhi, mov, movs, tbb, then case 3's ten instructions = 15; cycles (ARM DDI 0439B
 * Table 3-1, P = 3): 1 + 1 + 1 + 1 + (2 + 3) + movw 1 + movt 1 + 3 x (movs 1 + str 2)
 * + movs 1 + bx (1 + 3) = 25. */
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
