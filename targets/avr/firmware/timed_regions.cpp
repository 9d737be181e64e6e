// The timed regions of the Timer1 firmware, written out instruction by instruction so that
// what Timer1 counts is known exactly (AVR Instruction Set Manual, devices with a 22-bit PC):
//
//   sts TCNT1H, r1; sts TCNT1L, r1   TCNT1 = 0: the high byte goes to TEMP and is written
//                                     with the low byte (ATmega2560 datasheet, "Accessing
//                                     16-bit Registers")
//   ldi r16, 1; out TIFR1, r16        TOV1 cleared (a flag is cleared by writing one)
//   lds r16, TCNT1L                   t0, 2 cycles: reading the low byte latches the high
//   lds r17, TCNT1H                   byte in TEMP, read next (2 cycles)
//   call f                            5 cycles, then f up to and including its RET
//   lds r18, TCNT1L                   t1
//   lds r19, TCNT1H
//
// t1 - t0 counts the cycles from the start of the first LDS TCNT1L to the start of the second:
// the two LDS of t0 (2 + 2), the CALL (5) and f. The empty region, with no call, counts the two
// LDS alone: the timer-read overhead, 4 cycles, which the firmware measures at start-up and
// subtracts. A reported call is then 5 cycles (its CALL) more than f itself. The difference
// t1 - t0 is left in GPIOR2:GPIOR1; r16 and r17 are callee-saved, so f keeps t0 for the region.
#include <clockwork/cw_alloc.h>

// clang-format off
#define CW_TIMED_REGION(call) \
    "push r16\n\t" \
    "push r17\n\t" \
    "sts 0x85, r1\n\t" \
    "sts 0x84, r1\n\t" \
    "ldi r16, 1\n\t" \
    "out 0x16, r16\n\t" \
    "lds r16, 0x84\n\t" \
    "lds r17, 0x85\n\t" \
    call \
    "lds r18, 0x84\n\t" \
    "lds r19, 0x85\n\t" \
    "sub r18, r16\n\t" \
    "sbc r19, r17\n\t" \
    "out 0x2a, r18\n\t" \
    "out 0x2b, r19\n\t" \
    "pop r17\n\t" \
    "pop r16\n\t" \
    "ret\n\t"
// clang-format on

// Arguments arrive in r25:r24 and r23:r22 and stay there for the callee; its result in
// r25:r24 is untouched after the call.
extern "C" [[gnu::naked, gnu::noinline]] void* cw_timer1_allocate(cw_heap*, size_t) {
    asm volatile(CW_TIMED_REGION("call cw_heap_allocate\n\t"));
}

extern "C" [[gnu::naked, gnu::noinline]] cw_status cw_timer1_free(cw_heap*, void*) {
    asm volatile(CW_TIMED_REGION("call cw_heap_free\n\t"));
}

extern "C" [[gnu::naked, gnu::noinline]] void cw_timer1_empty() {
    asm volatile(CW_TIMED_REGION(""));
}
