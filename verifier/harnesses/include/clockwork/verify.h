/* The harness API of clockwork verify, in the style of CBMC and SV-COMP. The verifier
 * recognises these functions by name in the LLVM IR; they have no definition.
 *
 *   CW_HARNESS { size_t n = cw_nondet<size_t>(); cw_assume(n > 0); ...
 *                cw_assert(p != nullptr, "allocate-succeeds"); }
 *
 * cw_nondet<T>() is any value of T; cw_assume(c) keeps only the executions where c holds;
 * cw_assert(c, name) is the property `name`: it holds when c is true on every execution that
 * reaches it. Several cw_assert calls with one name are one property. CW_SCOPE_BLOCKS(k)
 * records the size K of the symbolic heap the harness builds. */
#ifndef CLOCKWORK_VERIFY_H
#define CLOCKWORK_VERIFY_H

#include <stdint.h>

extern "C" {
uint8_t cw_nondet_u8(void);
uint16_t cw_nondet_u16(void);
uint32_t cw_nondet_u32(void);
uint64_t cw_nondet_u64(void);
void cw_assume(bool condition);
void cw_assert(bool condition, const char* property);
}

template <class T>
inline T cw_nondet() {
    static_assert(sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8,
                  "cw_nondet<T> takes integers and pointers");
    if constexpr (sizeof(T) == 1) {
        return (T)cw_nondet_u8();
    } else if constexpr (sizeof(T) == 2) {
        return (T)cw_nondet_u16();
    } else if constexpr (sizeof(T) == 4) {
        return (T)cw_nondet_u32();
    } else {
        return (T)cw_nondet_u64();
    }
}

#define CW_HARNESS extern "C" void cw_harness(void)

/* Native replay of a counterexample: compile the harness (and what it calls) for the host with
 *   -DCW_REPLAY '-DCW_REPLAY_VALUES={5, 0}'
 * (the values clockwork verify printed) and run it: cw_nondet returns the values in turn,
 * and the program exits 2 naming the first assertion that fails, 3 if an assumption does
 * not hold, 0 otherwise. Values are taken at the width the harness reads them; a harness
 * whose properties depend on sizeof(void*) replays faithfully only on a 32-bit host. */
#ifdef CW_REPLAY
#include <stdio.h>
#include <stdlib.h>

extern "C" void cw_harness(void);

static const uint64_t cw_replay_values[] = CW_REPLAY_VALUES;
static unsigned cw_replay_next = 0;

static inline uint64_t cw_replay_take(void) {
    const unsigned count = sizeof cw_replay_values / sizeof cw_replay_values[0];
    return cw_replay_next < count ? cw_replay_values[cw_replay_next++] : 0;
}
extern "C" inline uint8_t cw_nondet_u8(void) {
    return (uint8_t)cw_replay_take();
}
extern "C" inline uint16_t cw_nondet_u16(void) {
    return (uint16_t)cw_replay_take();
}
extern "C" inline uint32_t cw_nondet_u32(void) {
    return (uint32_t)cw_replay_take();
}
extern "C" inline uint64_t cw_nondet_u64(void) {
    return cw_replay_take();
}
extern "C" inline void cw_assume(bool condition) {
    if (!condition) {
        fputs("cw_assume: the replayed values break an assumption\n", stderr);
        exit(3);
    }
}
extern "C" inline void cw_assert(bool condition, const char* property) {
    if (!condition) {
        fprintf(stderr, "%s: refuted\n", property);
        exit(2);
    }
}
int main(void) {
    cw_harness();
    return 0;
}
#endif
#define CW_SCOPE_BLOCKS(k) extern "C" __attribute__((used)) const unsigned cw_scope_blocks = (k)

#endif
