// ATmega2560 cycles of single calls, derived by hand from the AVR Instruction Set Manual
// (devices with a 22-bit PC: LDS/STS/LD/ST/PUSH/POP 2, RJMP 2, JMP 3, CALL 5, RCALL 4, RET 5,
// BRxx 1 not taken / 2 taken, ALU and LDI/MOVW 1, ADIW 2) and checked against simavr's count.
#include "runner_test_support.hpp"

#include <gtest/gtest.h>

namespace clockwork::runner {
namespace {

using testing::arg;
using testing::call;
using testing::load_flow;

// cw_test_straight (avr/flow.elf 0x00-0x14):
//   sts 0x11af,r25; sts 0x11ae,r24; sts 0x11b1,r23; sts 0x11b0,r22   4 x 2 = 8
//   eor r24,r22; eor r25,r23                                          2 x 1 = 2
//   ret                                                                       5
//                                                                            15
TEST(AvrCycles, StraightTakes15Cycles) {
    auto machine = load_flow("avr");
    ASSERT_NE(machine, nullptr);
    const CallResult result = call(*machine, "cw_test_straight", {1, 2});
    EXPECT_EQ(result.cost.instructions, 7U);
    EXPECT_EQ(result.cost.cycles, 15U);
    EXPECT_EQ(result.as_int(), 3);
}

// cw_test_diamond (0x16-0x46), a > b:
//   cp r22,r24; cpc r23,r25                      2 x 1 = 2
//   brge .+30 (not taken)                                1
//   6 x sts (sink_a, sink_b, sink_c, 2 bytes each)  6 x 2 = 12
//   ldi r24,0; ldi r25,0                          2 x 1 = 2
//   ret                                                  5
//                                                       22
// a <= b: cp, cpc (2) + brge taken (2) + 2 x sts (4) + 2 x ldi (2) + ret (5) = 15.
TEST(AvrCycles, DiamondTakes22CyclesOnItsLongArmAnd15OnItsShortOne) {
    auto machine = load_flow("avr");
    ASSERT_NE(machine, nullptr);
    const CallResult long_arm = call(*machine, "cw_test_diamond", {5, 3});
    EXPECT_EQ(long_arm.cost.instructions, 12U);
    EXPECT_EQ(long_arm.cost.cycles, 22U);
    const CallResult short_arm = call(*machine, "cw_test_diamond", {3, 5});
    EXPECT_EQ(short_arm.cost.instructions, 8U);
    EXPECT_EQ(short_arm.cost.cycles, 15U);
}

// cw_test_caller(11) (0x18a-0x1ac), both callee calls on their long path:
//   push r16; push r17 (4), movw (1), call (5)                                       10
//   callee: cpi, cpc (2), brlt not taken (1), 4 x sts (8), ret (5)                   16
//   movw (1), 2 x sts (4), adiw (2), movw (1), call (5)                               13
//   callee                                                                           16
//   movw (1), pop r17; pop r16 (4), ret (5)                                          10
//                                                                                    65
TEST(AvrCycles, CallerWithBothCallsTakes65Cycles) {
    auto machine = load_flow("avr");
    ASSERT_NE(machine, nullptr);
    const CallResult result = call(*machine, "cw_test_caller", {arg(11)});
    EXPECT_EQ(result.cost.instructions, 30U);
    EXPECT_EQ(result.cost.cycles, 65U);
    EXPECT_EQ(result.as_int(), 12);
}

// int is 16 bits on avr: -1 and 0xffff are the same argument, and results sign-extend from 16.
TEST(AvrAbi, SixteenBitArgumentsAndResults) {
    auto machine = load_flow("avr");
    ASSERT_NE(machine, nullptr);
    EXPECT_EQ(machine->int_bytes(), 2U);
    EXPECT_EQ(machine->pointer_bytes(), 2U);
    const CallResult negative = call(*machine, "cw_test_straight", {arg(-1), 0});
    EXPECT_EQ(negative.value, 0xffffU);
    EXPECT_EQ(negative.value_bits, 16U);
    EXPECT_EQ(negative.as_int(), -1);
    const CallResult unsigned_form = call(*machine, "cw_test_straight", {0xffff, 0});
    EXPECT_EQ(unsigned_form.as_int(), -1);
    EXPECT_EQ(call(*machine, "cw_test_callee", {arg(-300)}).as_int(), -300);
}

} // namespace
} // namespace clockwork::runner
