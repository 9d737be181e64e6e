// Bad input gives an error value with the file, what went wrong and how to fix it.
#include "runner_test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace clockwork::runner {
namespace {

using testing::arg;
using testing::call;
using testing::error_text;
using testing::flow_elf;
using ::testing::HasSubstr;
using testing::load_flow;
using testing::put_ints;

std::string load_error(const std::string& path, const std::string& target) {
    auto machine = Machine::load(path, target);
    if (machine) {
        ADD_FAILURE() << path << " loaded as " << target;
        return "";
    }
    return error_text(machine.takeError());
}

std::string call_error(Machine& machine, const std::string& function, std::vector<uint64_t> args) {
    auto result = machine.call(function, args);
    if (result) {
        ADD_FAILURE() << function << " returned";
        return "";
    }
    return error_text(result.takeError());
}

TEST(RunnerErrors, UnknownTargetListsTheKnownOnes) {
    EXPECT_EQ(load_error(flow_elf("avr"), "pdp11"),
              "error: unknown target 'pdp11'; note: the targets are cortex-m4, rv32imc, avr, "
              "x86-64");
}

TEST(RunnerErrors, MissingFileIsNamed) {
    const std::string path = flow_elf("cortex-m4") + ".missing";
    EXPECT_THAT(load_error(path, "cortex-m4"), HasSubstr(path + ": error: cannot read the file ("));
}

TEST(RunnerErrors, NonElfIsRefused) {
    EXPECT_EQ(load_error(CLOCKWORK_NOT_AN_ELF, "cortex-m4"),
              std::string(CLOCKWORK_NOT_AN_ELF) +
                  ": error: not an ELF file; note: pass the linked ELF the build produced, the "
                  "same file the analyzer reads");
}

TEST(RunnerErrors, ElfForAnotherArchitectureIsRefused) {
    EXPECT_EQ(load_error(flow_elf("avr"), "cortex-m4"),
              flow_elf("avr") +
                  ": error: the ELF is for AVR, not for the cortex-m4 target (32-bit ARM); "
                  "note: pass the ELF built for cortex-m4 or the target that matches the ELF");
    EXPECT_THAT(load_error(flow_elf("rv32imc"), "x86-64"),
                HasSubstr("the ELF is for 32-bit RISC-V, not for the x86-64 target (x86-64)"));
    EXPECT_THAT(load_error(flow_elf("x86-64"), "avr"),
                HasSubstr("the ELF is for x86-64, not for the avr target (AVR)"));
    EXPECT_THAT(load_error(flow_elf("cortex-m4"), "rv32imc"),
                HasSubstr("the ELF is for 32-bit ARM, not for the rv32imc target"));
}

TEST(RunnerErrors, UnknownFunctionIsNamed) {
    for (const char* target : {"cortex-m4", "avr"}) {
        auto machine = load_flow(target);
        ASSERT_NE(machine, nullptr);
        EXPECT_EQ(call_error(*machine, "cw_test_nope", {}),
                  flow_elf(target) +
                      ": error: no function 'cw_test_nope' in the ELF symbol table; note: check "
                      "the spelling (C++ names are mangled), that the ELF is not stripped, and "
                      "that the function was not inlined away");
    }
}

TEST(RunnerErrors, DataObjectIsNotCallable) {
    auto machine = load_flow("rv32imc");
    ASSERT_NE(machine, nullptr);
    EXPECT_THAT(call_error(*machine, "sink_a", {}),
                HasSubstr("error: 'sink_a' at 0x80001128 is not in an executable segment"));
}

TEST(RunnerErrors, ArgumentsBeyondTheRegistersAreRefused) {
    auto machine = load_flow("cortex-m4");
    ASSERT_NE(machine, nullptr);
    EXPECT_THAT(call_error(*machine, "cw_test_straight", {1, 2, 3, 4, 5}),
                HasSubstr("cw_test_straight called with 5 arguments, but the cortex-m4 runner "
                          "passes at most 4 in registers"));
}

TEST(RunnerErrors, ArgumentWiderThanTheRegisterIsRefused) {
    auto avr = load_flow("avr");
    ASSERT_NE(avr, nullptr);
    EXPECT_THAT(call_error(*avr, "cw_test_callee", {0x10000}),
                HasSubstr("argument 1 of cw_test_callee (0x10000) does not fit the 16-bit "
                          "argument register of avr"));
    auto m4 = load_flow("cortex-m4");
    ASSERT_NE(m4, nullptr);
    EXPECT_THAT(call_error(*m4, "cw_test_callee", {uint64_t{1} << 32}),
                HasSubstr("does not fit the 32-bit argument register of cortex-m4"));
    EXPECT_EQ(call(*m4, "cw_test_callee", {arg(-5)}).as_int(), -5);
}

// cw_test_loop(values, 8) needs exactly 37 / 38 / 112 / 39 instructions: that budget is
// enough, one less stops the call.
TEST(RunnerErrors, BudgetStopsTheCallOneInstructionShortOfItsReturn) {
    struct Case {
        const char* target;
        uint64_t instructions;
    };
    for (const Case& c :
         {Case{"cortex-m4", 37}, Case{"rv32imc", 38}, Case{"avr", 112}, Case{"x86-64", 39}}) {
        SCOPED_TRACE(c.target);
        auto machine = load_flow(c.target);
        ASSERT_NE(machine, nullptr);
        const uint64_t values = put_ints(*machine, {1, 2, 3, 4, 5, 6, 7, 8});
        machine->set_instruction_budget(c.instructions);
        EXPECT_EQ(call(*machine, "cw_test_loop", {values, 8}).cost.instructions, c.instructions);
        machine->set_instruction_budget(c.instructions - 1);
        EXPECT_THAT(call_error(*machine, "cw_test_loop", {values, 8}),
                    HasSubstr(flow_elf(c.target) + ": error: cw_test_loop did not return within " +
                              std::to_string(c.instructions - 1) + " instructions"));
        // The machine stays usable.
        machine->set_instruction_budget(1000);
        EXPECT_EQ(call(*machine, "cw_test_loop", {values, 8}).as_int(), 36);
    }
}

// A loop without a bound, given a count that keeps it going for ever in practice.
TEST(RunnerErrors, RunawayLoopIsStoppedByTheBudget) {
    const std::string path = std::string(CLOCKWORK_FLOW_PROGRAMS) + "/cortex-m4/unbounded.elf";
    MachineOptions options;
    options.instruction_budget = 100'000;
    auto machine = Machine::load(path, "cortex-m4", options);
    ASSERT_TRUE(static_cast<bool>(machine)) << llvm::toString(machine.takeError());
    EXPECT_THAT(call_error(**machine, "cw_test_unbounded", {0x7fffffff}),
                HasSubstr("error: cw_test_unbounded did not return within 100000 instructions "
                          "(stopped at pc 0x"));
}

TEST(RunnerErrors, PointerOutsideMemoryFaultsWithTheAddress) {
    for (const char* target : {"cortex-m4", "rv32imc", "x86-64"}) {
        SCOPED_TRACE(target);
        auto machine = load_flow(target);
        ASSERT_NE(machine, nullptr);
        EXPECT_THAT(call_error(*machine, "cw_test_loop", {0xd0000000, 8}),
                    HasSubstr("error: cw_test_loop faulted after"));
        EXPECT_THAT(call_error(*machine, "cw_test_loop", {0xd0000000, 8}),
                    HasSubstr("read of unmapped address 0xd0000000 at pc 0x"));
    }
}

TEST(RunnerErrors, AccessOutsideProgramMemoryIsRefused) {
    auto m4 = load_flow("cortex-m4");
    ASSERT_NE(m4, nullptr);
    EXPECT_THAT(error_text(m4->write(0xd0000000, std::vector<uint8_t>{1})),
                HasSubstr("error: cannot write 1 bytes at 0xd0000000"));
    auto read = m4->read(0xd0000000, 4);
    ASSERT_FALSE(static_cast<bool>(read));
    EXPECT_THAT(error_text(read.takeError()),
                HasSubstr("error: cannot read 4 bytes at 0xd0000000"));

    auto avr = load_flow("avr");
    ASSERT_NE(avr, nullptr);
    // 0x5d is SPL: I/O registers are the core's, not the caller's.
    EXPECT_THAT(error_text(avr->write(0x5d, std::vector<uint8_t>{1})),
                HasSubstr("error: cannot write 1 bytes at 0x5d: outside the ATmega2560's SRAM "
                          "(0x200..0x21ff)"));
    EXPECT_THAT(error_text(avr->write(0x21ff, std::vector<uint8_t>{1, 2})),
                HasSubstr("outside the ATmega2560's SRAM"));
    // The GNU data-space offset names the same SRAM.
    ASSERT_FALSE(
        static_cast<bool>(avr->write(0x800000 + avr->scratch_base(), std::vector<uint8_t>{0x5a})));
    auto back = avr->read(avr->scratch_base(), 1);
    ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
    EXPECT_EQ((*back)[0], 0x5a);
}

} // namespace
} // namespace clockwork::runner
