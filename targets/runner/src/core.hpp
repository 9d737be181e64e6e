// The engine behind a Machine: Unicorn for cortex-m4, rv32imc and x86-64, simavr for avr.
#pragma once

#include "elf_image.hpp"

#include <clockwork/runner/machine.hpp>

#include <memory>

namespace clockwork::runner {

class Machine::Core {
  public:
    virtual ~Core() = default;

    virtual uint64_t scratch_base() const = 0;
    virtual uint64_t scratch_size() const = 0;
    virtual llvm::Error write(uint64_t address, llvm::ArrayRef<uint8_t> bytes) = 0;
    virtual llvm::Expected<std::vector<uint8_t>> read(uint64_t address, size_t size) = 0;
    // args have been checked against the ABI's count and width; function names the entry in
    // error messages.
    virtual llvm::Expected<CallResult> call(llvm::StringRef function, uint64_t entry,
                                            llvm::ArrayRef<uint64_t> args, uint64_t budget) = 0;
};

namespace detail {

llvm::Expected<std::unique_ptr<Machine::Core>>
make_unicorn_core(const ElfImage& image, Target target, const MachineOptions& options);
llvm::Expected<std::unique_ptr<Machine::Core>> make_simavr_core(const ElfImage& image,
                                                                const MachineOptions& options);

} // namespace detail
} // namespace clockwork::runner
