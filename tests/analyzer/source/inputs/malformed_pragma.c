int total(const int* values) {
    int sum = 0;
#pragma loopbound max 8
    for (int i = 0; i < 8; ++i) {
        sum += values[i];
    }
    return sum;
}
