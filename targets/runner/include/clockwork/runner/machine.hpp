// One shipped ELF loaded into one emulated core, and the cost of calling its functions one call
// at a time: the measurement side of DESIGN.md ("Targets and metrics"). The ELF is the same file
// the analyzer reads; nothing is recompiled or relinked.
//
//   cortex-m4, rv32imc, x86-64: Unicorn 2.0.1 (Thumb+M-class Cortex-M4, RV32, x86-64)
//   avr:                        simavr, ATmega2560 (3-byte PC), stepped one instruction at a time
//
// Errors are values (llvm::Error / llvm::Expected) worded like compiler diagnostics:
// "<file>: error: <what>; note: <how to fix>". Nothing throws.
//
// Thread-safety: a Machine is used by one thread at a time; distinct Machines are independent.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::runner {

enum class Target { cortex_m4, rv32imc, avr, x86_64 };

// "cortex-m4", "rv32imc", "avr", "x86-64": the names of the analyzer's --target.
std::optional<Target> parse_target(llvm::StringRef name);
llvm::StringRef target_name(Target target);

// What one call cost, counted from the function's first instruction up to and including its
// return. Nothing of the harness (argument set-up, the sentinel return address) is counted.
struct CallCost {
    // Every instruction the core issued. On cortex-m4 this includes Thumb instructions inside an
    // IT block whose condition failed: the core still issues them (they take their cycle), but
    // Unicorn does not report them, so the runner adds them back (see it_condition_failed).
    // On avr a skipped instruction (after CPSE/SBRC/SBRS/SBIC/SBIS) is not issued and not
    // counted; its cost is in the skipping instruction's cycles.
    uint64_t instructions = 0;
    // Core clock cycles as simavr counts them (AVR Instruction Set Manual timings). avr only;
    // 0 on the other targets, which have no cycle-exact emulator here.
    uint64_t cycles = 0;
    // Data-memory accesses, one per access the core makes: a multi-register transfer
    // (push {r4, lr}, ldm, pop) counts once per register, x86 call/ret/push/pop count one each.
    // Literal-pool loads count (they are data reads). On avr every access is one byte: an
    // LD/ST/LDS/STS/LDD/STD/PUSH/POP/LPM/ELPM counts one, a CALL/RCALL/ICALL/EICALL three stores
    // (the 3-byte return address) and RET/RETI three loads. I/O instructions (IN/OUT/SBI/CBI)
    // are not memory accesses. Instruction fetches are never counted.
    uint64_t loads = 0;
    uint64_t stores = 0;
    // cortex-m4: how many of `instructions` were IT-block instructions whose condition failed,
    // which the emulator's code hook never saw. 0 on the other targets.
    uint64_t it_condition_failed = 0;
};

struct CallResult {
    // The ABI's first result register, zero-extended from value_bits:
    // r0 (32), a0 (32), rax (64), r25:r24 (16).
    uint64_t value = 0;
    unsigned value_bits = 0;
    // Width of the target's C int: 16 on avr, 32 elsewhere.
    unsigned int_bits = 0;
    CallCost cost;

    // What a function returning int returned: the low int_bits of value, sign-extended.
    int64_t as_int() const;
};

struct MachineOptions {
    // Bytes of the scratch region (arenas, input arrays). 0: 1 MiB. Ignored on avr, where the
    // scratch region is the largest part of SRAM that neither the ELF nor the stack uses.
    uint64_t scratch_size = 0;
    // Bytes of stack each call starts with. 0: 64 KiB; avr: 1 KiB at the top of SRAM.
    uint64_t stack_size = 0;
    // A call that needs more instructions than this is stopped with an error; one that needs
    // exactly this many returns normally.
    uint64_t instruction_budget = 10'000'000;
};

class Machine {
  public:
    // Loads every PT_LOAD segment at its address (bss zero-filled) and maps a stack, a sentinel
    // return address and the scratch region clear of all of them. On avr, executable segments
    // go to flash; the others go to data space, where 0x800000 + a is data address a (the
    // GNU AVR convention; smaller addresses are taken as data addresses already).
    // Errors: unknown target, unreadable file, not an ELF, an ELF for another architecture (or
    // another AVR family than avr6), a segment that does not fit the core's memories.
    static llvm::Expected<std::unique_ptr<Machine>>
    load(llvm::StringRef elf_path, llvm::StringRef target, const MachineOptions& options = {});
    ~Machine();
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    Target target() const;
    const std::string& path() const;

    // The scratch region, as the program addresses it (on avr a 16-bit data-space address).
    // It overlaps no ELF segment and not the stack; its contents persist across calls.
    uint64_t scratch_base() const;
    uint64_t scratch_size() const;
    // sizeof(int) and sizeof(void*) under the target's C ABI: 2 on avr, 4 on the 32-bit
    // targets; on x86-64 int is 4 and pointers 8.
    unsigned int_bytes() const;
    unsigned pointer_bytes() const;

    // The address of a symbol (function or object) as the program uses it; Thumb bit cleared.
    llvm::Expected<uint64_t> symbol(llvm::StringRef name) const;

    // Program memory seen from the program's side: any mapped address on the Unicorn targets;
    // SRAM (0x200..RAMEND, optionally with the 0x800000 data-space offset) on avr.
    // Errors name the range that is not accessible. Writes to code are allowed.
    llvm::Error write(uint64_t address, llvm::ArrayRef<uint8_t> bytes);
    llvm::Expected<std::vector<uint8_t>> read(uint64_t address, size_t size);

    // Calls the function symbol with integer/pointer arguments in the C ABI's argument registers
    // (AAPCS r0-r3; RISC-V a0-a7; SysV rdi, rsi, rdx, rcx, r8, r9; AVR r25:r24, r23:r22, ...,
    // r9:r8 as 16-bit values), all other registers and flags zero, a fresh stack, and the return
    // address set to a sentinel; runs until the sentinel is reached and returns the result
    // register with the cost of that call alone. Memory persists from call to call.
    // Each argument must fit its register, signed or unsigned: 16 bits on avr, 32 on cortex-m4
    // and rv32imc, 64 on x86-64 (-1 is fine everywhere).
    // Errors: unknown symbol, a symbol outside code, too many arguments, an argument too wide,
    // the instruction budget exhausted, a fault (unmapped access, invalid instruction, crash).
    llvm::Expected<CallResult> call(llvm::StringRef function, llvm::ArrayRef<uint64_t> args);

    uint64_t instruction_budget() const;
    void set_instruction_budget(uint64_t budget);

    // The engine behind a Machine (defined in the sources).
    class Core;

  private:
    struct Impl;
    explicit Machine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace clockwork::runner
