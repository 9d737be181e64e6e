// Loops at asserted positions; clang-format is off where it would join _Pragma to its loop.
#include <clockwork/annotations.h>

constexpr unsigned kRows = 4;
constexpr unsigned kColumns = kRows * 2;

int sum_grid(const int grid[kRows][kColumns]) {
    int sum = 0;
    for (unsigned r = 0; r < kRows; ++r) {
        CW_LOOP_BOUND(kRows);
        for (unsigned c = 0; c < kColumns; ++c) {
            CW_LOOP_BOUND(kColumns);
            sum += grid[r][c];
        }
    }
    return sum;
}

int sum_pragma(const int* values, int n) {
    int sum = 0;
#pragma loopbound min 0 max 10
    for (int i = 0; i < n; ++i) { // clang-format off
        _Pragma("loopbound min 1 max 3")
        for (int j = 0; j < 3 && j < i; ++j) {
            sum += values[i] * j;
        } // clang-format on
    }
    return sum;
}

unsigned count_bits(unsigned bits) {
    unsigned count = 0;
    while (bits != 0) {
        CW_LOOP_BOUND(32);
        bits &= bits - 1;
        ++count;
    }
    return count;
}

unsigned digits(unsigned value) {
    unsigned count = 0;
    do {
        CW_LOOP_BOUND(10);
        value /= 10;
        ++count;
    } while (value != 0);
    return count;
}

unsigned collatz(unsigned x) {
    while (x > 1) {
        x = (x % 2 == 0) ? x / 2 : 3 * x + 1;
    }
    return x;
}

template <unsigned N>
unsigned fill(unsigned* out) {
    for (unsigned i = 0; i < N; ++i) {
        CW_LOOP_BOUND(N);
        out[i] = i;
    }
    return N;
}

unsigned fill_both(unsigned* out) {
    return fill<3>(out) + fill<7>(out);
}

int range_sum(const int (&values)[5]) {
    int sum = 0;
    for (int v : values) {
        CW_LOOP_BOUND(5);
        sum += v;
    }
    return sum;
}

int twice_twice(int n) {
    for (int i = 0; i < 2; ++i) {
        CW_LOOP_BOUND(2);
        auto twice = [](int x) {
            for (int k = 0; k < 2; ++k) {
                CW_LOOP_BOUND(2);
                x += x;
            }
            return x;
        };
        n = twice(n);
    }
    return n;
}

#define FOR_EACH_OF_FOUR(i) _Pragma("loopbound min 4 max 4") for (int i = 0; i < 4; ++i)

int sum_four(const int* values) {
    int sum = 0;
    FOR_EACH_OF_FOUR(i) {
        sum += values[i];
    }
    return sum;
}
