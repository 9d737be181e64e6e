// Each flow.c function called once with its worst-case input on each runner costs exactly the
// instruction count derived by hand from the disassembly of tests/analyzer/programs/flow.c's
// builds; every executed instruction counts, the call's own return included, and so do padding
// nops that execution falls through and Thumb IT-block instructions whose condition fails.
//
//                 cortex-m4                  rv32imc              avr                  x86-64
// straight        8 straight-line            6                    7 (4 sts, 2 eor, ret) 5
// diamond a>b     2 + 11                     1 + 8                12                   7
// loop n=8        4 + 8 x 4 + 1              4 + 8 x 4 + 2        6 + 8 x 13 + 2       6 + 8 x 4 +
// 1 nested 4,3      10 + 4 x 21 + 2            5 + 4 x 15 + 1       7 + 4 x 29 + 1       4 + 4 x 21
// + 1 pragma n=5      4 + 5 x 6 + 1              4 + 5 x 6 + 2        9 + 5 x 20 + 4       6 + 5 x
// 7 + 1 early_return    4 + 7 + 9                  11                   8 + 9                10
// search n=6 miss 4 + 6 x 7 + 2              4 + 6 x 5 + 1        10 + 6 x 14 + 2 + 3  6 + 6 x 5 +
// 1 callee x=11     3 + 7                      7                    8                    6 caller
// x=11     3 + 10 + 6 + 10 (tail b.w) 5 + 7 + 7 + 7 (j)    4 + 8 + 6 + 8 + 4    3 + 6 + 5 + 6
#include "runner_test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <optional>

namespace clockwork::runner {
namespace {

using testing::arg;
using testing::call;
using testing::load_flow;
using testing::put_ints;

constexpr std::array<const char*, 4> kTargets = {"cortex-m4", "rv32imc", "avr", "x86-64"};

struct WorstCase {
    const char* function;
    std::array<uint64_t, 4> instructions; // cortex-m4, rv32imc, avr, x86-64
    std::vector<int> array;               // in scratch, passed as the first argument
    std::vector<int64_t> args;            // after the array pointer, if any
    std::optional<int64_t> result;
};

// The worst-case inputs: loops at their bounds, every guard passed, the search key absent; on
// avr, cw_test_pragma's not-equal path is the longer one, so no element is 7.
const WorstCase kWorstCases[] = {
    {"cw_test_straight", {8, 6, 7, 5}, {}, {1, 2}, 3},
    {"cw_test_diamond", {13, 9, 12, 7}, {}, {5, 3}, 0},
    {"cw_test_loop", {37, 38, 112, 39}, {1, 2, 3, 4, 5, 6, 7, 8}, {8}, 36},
    {"cw_test_nested", {96, 66, 124, 89}, {}, {4, 3}, std::nullopt},
    {"cw_test_pragma", {35, 36, 113, 42}, {3, 3, 3, 3, 3}, {5}, 0},
    {"cw_test_early_return", {20, 11, 17, 10}, {}, {1, 2}, 0},
    {"cw_test_search", {48, 35, 99, 37}, {100, 101, 102, 103, 104, 105}, {6, 99}, -1},
    {"cw_test_callee", {10, 7, 8, 6}, {}, {11}, 11},
    {"cw_test_caller", {29, 26, 30, 20}, {}, {11}, 12},
};

CallResult run_worst_case(Machine& machine, const WorstCase& worst) {
    std::vector<uint64_t> args;
    if (!worst.array.empty()) {
        args.push_back(put_ints(machine, worst.array));
    }
    for (int64_t value : worst.args) {
        args.push_back(arg(value));
    }
    return call(machine, worst.function, args);
}

class FlowCounts : public ::testing::TestWithParam<std::tuple<size_t, size_t>> {};

TEST_P(FlowCounts, WorstCaseInputCostsTheHandDerivedCount) {
    const auto [target_index, case_index] = GetParam();
    const WorstCase& worst = kWorstCases[case_index];
    auto machine = load_flow(kTargets[target_index]);
    ASSERT_NE(machine, nullptr);

    const CallResult result = run_worst_case(*machine, worst);
    EXPECT_EQ(result.cost.instructions, worst.instructions[target_index]);
    if (worst.result) {
        EXPECT_EQ(result.as_int(), *worst.result);
    }
    if (machine->target() != Target::cortex_m4) {
        EXPECT_EQ(result.cost.it_condition_failed, 0U);
    }
    if (machine->target() != Target::avr) {
        EXPECT_EQ(result.cost.cycles, 0U);
    }
}

TEST_P(FlowCounts, RepeatedCallsCostTheSame) {
    const auto [target_index, case_index] = GetParam();
    auto machine = load_flow(kTargets[target_index]);
    ASSERT_NE(machine, nullptr);
    const CallResult first = run_worst_case(*machine, kWorstCases[case_index]);
    // A different function in between leaves registers, flags and the stack dirty.
    call(*machine, "cw_test_diamond", {arg(-7), arg(9)});
    const CallResult second = run_worst_case(*machine, kWorstCases[case_index]);
    EXPECT_EQ(second.cost.instructions, first.cost.instructions);
    EXPECT_EQ(second.cost.cycles, first.cost.cycles);
    EXPECT_EQ(second.cost.loads, first.cost.loads);
    EXPECT_EQ(second.cost.stores, first.cost.stores);
    EXPECT_EQ(second.value, first.value);
}

INSTANTIATE_TEST_SUITE_P(AllTargets, FlowCounts,
                         ::testing::Combine(::testing::Range<size_t>(0, kTargets.size()),
                                            ::testing::Range<size_t>(0, std::size(kWorstCases))),
                         [](const ::testing::TestParamInfo<FlowCounts::ParamType>& info) {
                             std::string name = std::string(kTargets[std::get<0>(info.param)]) +
                                                "_" + kWorstCases[std::get<1>(info.param)].function;
                             for (char& c : name) {
                                 if (c == '-') {
                                     c = '_';
                                 }
                             }
                             return name;
                         });

// switch.c's worst case over every case and the default, built with jump tables on: the
// numbers tests/analyzer/programs/switch.c derives from the disassembly, which the analyzer's
// bounds must equal (tests/cli).
TEST(SwitchCounts, WorstCaseOverEveryCaseIsTheHandDerivedCount) {
    const std::array<uint64_t, 4> worst = {15, 17, 21, 9};
    const std::array<int, 4> first_worst_input = {3, 3, 1, 3}; // avr: the tree's deepest leaf
    for (size_t t = 0; t < kTargets.size(); ++t) {
        const std::string elf =
            std::string(CLOCKWORK_FLOW_PROGRAMS) + "/" + kTargets[t] + "/switch.elf";
        auto machine = Machine::load(elf, kTargets[t]);
        ASSERT_TRUE(static_cast<bool>(machine)) << llvm::toString(machine.takeError());
        uint64_t highest = 0;
        int worst_input = 0;
        for (int x = -2; x <= 7; ++x) {
            const CallResult result = call(**machine, "cw_test_switch", {arg(x)});
            EXPECT_EQ(result.as_int(), x >= 0 && x <= 5 ? x + 1 : 0) << kTargets[t] << " x=" << x;
            if (result.cost.instructions > highest) {
                highest = result.cost.instructions;
                worst_input = x;
            }
        }
        EXPECT_EQ(highest, worst[t]) << kTargets[t];
        EXPECT_EQ(worst_input, first_worst_input[t]) << kTargets[t];
    }
}

class EveryTarget : public ::testing::TestWithParam<const char*> {};

// The sinks are in the ELF's bss: on avr at data address 0x11ae (lld's layout, SRAM), on the
// others wherever the PT_LOAD puts them. Reading them back shows the segments are where the
// code addresses them.
TEST_P(EveryTarget, StraightStoresItsArgumentsInTheElfsBss) {
    auto machine = load_flow(GetParam());
    ASSERT_NE(machine, nullptr);
    call(*machine, "cw_test_straight", {arg(0x1234), arg(-2)});
    auto sink_a = machine->symbol("sink_a");
    auto sink_b = machine->symbol("sink_b");
    ASSERT_TRUE(static_cast<bool>(sink_a)) << llvm::toString(sink_a.takeError());
    ASSERT_TRUE(static_cast<bool>(sink_b)) << llvm::toString(sink_b.takeError());
    auto a = machine->read(*sink_a, machine->int_bytes());
    auto b = machine->read(*sink_b, machine->int_bytes());
    ASSERT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
    ASSERT_TRUE(static_cast<bool>(b)) << llvm::toString(b.takeError());
    std::vector<uint8_t> expected_a(machine->int_bytes(), 0);
    expected_a[0] = 0x34;
    expected_a[1] = 0x12;
    std::vector<uint8_t> expected_b(machine->int_bytes(), 0xff);
    expected_b[0] = 0xfe;
    EXPECT_EQ(*a, expected_a);
    EXPECT_EQ(*b, expected_b);
}

TEST_P(EveryTarget, ScratchOverlapsNoSymbol) {
    auto machine = load_flow(GetParam());
    ASSERT_NE(machine, nullptr);
    const uint64_t begin = machine->scratch_base();
    const uint64_t end = begin + machine->scratch_size();
    EXPECT_GE(machine->scratch_size(), machine->target() == Target::avr ? 3000U : 1U << 20);
    for (const char* name : {"sink_a", "sink_b", "sink_c", "cw_test_straight", "cw_test_caller"}) {
        auto address = machine->symbol(name);
        ASSERT_TRUE(static_cast<bool>(address)) << llvm::toString(address.takeError());
        EXPECT_FALSE(*address >= begin && *address < end) << name;
    }
    // All of scratch is writable and reads back.
    std::vector<uint8_t> pattern(machine->scratch_size());
    for (size_t i = 0; i < pattern.size(); ++i) {
        pattern[i] = static_cast<uint8_t>(i * 7);
    }
    ASSERT_FALSE(static_cast<bool>(machine->write(begin, pattern)));
    auto back = machine->read(begin, pattern.size());
    ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
    EXPECT_EQ(*back, pattern);
    // and a call that uses the stack does not disturb it.
    call(*machine, "cw_test_caller", {arg(11)});
    back = machine->read(begin, pattern.size());
    ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
    EXPECT_EQ(*back, pattern);
}

INSTANTIATE_TEST_SUITE_P(AllTargets, EveryTarget, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                             std::string name = info.param;
                             for (char& c : name) {
                                 if (c == '-') {
                                     c = '_';
                                 }
                             }
                             return name;
                         });

// cw_test_caller(11) on the long path twice. Stores: the saved registers (push {r4, lr} is two;
// RISC-V sw ra, sw s0; x86 push rbx plus call's return address), sink_a and sink_b in each
// callee call, sink_c once. Loads: the restores (pop {r4, lr} is two) and, on x86, both rets.
//   cortex-m4: stores 2 + 2 + 1 + 2 = 7, loads 2
//   rv32imc:   stores 2 + 2 + 1 + 2 = 7, loads 2
//   x86-64:    stores push 1 + call 1 + 2 + 1 + 2 = 7, loads ret 1 + pop 1 + ret 1 = 3
//   avr (bytes): stores push 2 + call 3 + 4 + 2 + call 3 + 4 = 18,
//                loads ret 3 + ret 3 + pop 2 + ret 3 = 11
TEST(MemoryAccesses, CallerCountsEveryStackAndDataAccess) {
    struct Expected {
        const char* target;
        uint64_t loads;
        uint64_t stores;
    };
    for (const Expected& expected : {Expected{"cortex-m4", 2, 7}, Expected{"rv32imc", 2, 7},
                                     Expected{"x86-64", 3, 7}, Expected{"avr", 11, 18}}) {
        SCOPED_TRACE(expected.target);
        auto machine = load_flow(expected.target);
        ASSERT_NE(machine, nullptr);
        const CallResult result = call(*machine, "cw_test_caller", {arg(11)});
        EXPECT_EQ(result.cost.loads, expected.loads);
        EXPECT_EQ(result.cost.stores, expected.stores);
    }
}

// cw_test_loop(values, 8) reads each element once: one load per int, two byte loads on avr;
// the return adds x86-64's ret (1) and avr's RET (3 bytes of return address).
TEST(MemoryAccesses, LoopLoadsEveryElementOnce) {
    struct Expected {
        const char* target;
        uint64_t loads;
    };
    for (const Expected& expected : {Expected{"cortex-m4", 8}, Expected{"rv32imc", 8},
                                     Expected{"x86-64", 8 + 1}, Expected{"avr", 16 + 3}}) {
        SCOPED_TRACE(expected.target);
        auto machine = load_flow(expected.target);
        ASSERT_NE(machine, nullptr);
        const uint64_t values = put_ints(*machine, {1, 2, 3, 4, 5, 6, 7, 8});
        const CallResult result = call(*machine, "cw_test_loop", {values, 8});
        EXPECT_EQ(result.cost.loads, expected.loads);
        EXPECT_EQ(result.cost.stores, 0U);
    }
}

} // namespace
} // namespace clockwork::runner
