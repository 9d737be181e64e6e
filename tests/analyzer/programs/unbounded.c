/* A loop without a bound: the analyzer must refuse it and name its line. */
volatile int sink;

void cw_test_unbounded(int n) {
    for (int i = 0; i < n; ++i) {
        sink = i;
    }
}
