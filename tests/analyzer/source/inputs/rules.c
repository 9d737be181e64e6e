/* C: setjmp and longjmp, a call through a parameter, and recursion between static functions
 * that nothing else calls. */
typedef long jmp_buf[8];
int setjmp(jmp_buf env);
void longjmp(jmp_buf env, int value);

static jmp_buf recovery;

int guarded(int (*work)(void)) {
    if (setjmp(recovery) != 0) {
        return -1;
    }
    return work();
}

void fail(void) {
    longjmp(recovery, 1);
}

static int ping(int n);
static int pong(int n) {
    return n > 0 ? ping(n - 1) : 0;
}
static int ping(int n) {
    return n > 0 ? pong(n - 1) : 1;
}
