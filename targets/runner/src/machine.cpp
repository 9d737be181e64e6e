#include "core.hpp"
#include "elf_image.hpp"

#include <clockwork/runner/machine.hpp>

namespace clockwork::runner {

namespace {

struct Abi {
    unsigned argument_registers;
    unsigned int_bits; // width of one argument register and of the result register
    unsigned int_bytes;
    unsigned pointer_bytes;
};

// AAPCS: r0-r3. RISC-V ILP32: a0-a7. SysV x86-64: rdi, rsi, rdx, rcx, r8, r9. avr-gcc: 16-bit
// values in r25:r24 down to r9:r8.
Abi abi(Target target) {
    switch (target) {
    case Target::cortex_m4:
        return {4, 32, 4, 4};
    case Target::rv32imc:
        return {8, 32, 4, 4};
    case Target::avr:
        return {9, 16, 2, 2};
    case Target::x86_64:
        return {6, 64, 4, 8};
    }
    return {0, 0, 0, 0};
}

bool fits(uint64_t value, unsigned bits) {
    if (bits >= 64) {
        return true;
    }
    const uint64_t high = value >> (bits - 1);
    // All bits from the sign bit up equal: a signed value; or nothing above bits: unsigned.
    return (value >> bits) == 0 || high == (~uint64_t{0} >> (bits - 1));
}

} // namespace

struct Machine::Impl {
    Target target;
    detail::ElfImage image;
    std::unique_ptr<Core> core;
    uint64_t budget = 0;
};

std::optional<Target> parse_target(llvm::StringRef name) {
    for (Target target : {Target::cortex_m4, Target::rv32imc, Target::avr, Target::x86_64}) {
        if (target_name(target) == name) {
            return target;
        }
    }
    return std::nullopt;
}

llvm::StringRef target_name(Target target) {
    switch (target) {
    case Target::cortex_m4:
        return "cortex-m4";
    case Target::rv32imc:
        return "rv32imc";
    case Target::avr:
        return "avr";
    case Target::x86_64:
        return "x86-64";
    }
    return "";
}

int64_t CallResult::as_int() const {
    if (int_bits == 0 || int_bits >= 64) {
        return static_cast<int64_t>(value);
    }
    const uint64_t mask = (uint64_t{1} << int_bits) - 1;
    const uint64_t sign = uint64_t{1} << (int_bits - 1);
    return static_cast<int64_t>(((value & mask) ^ sign) - sign);
}

Machine::Machine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Machine::~Machine() = default;

llvm::Expected<std::unique_ptr<Machine>>
Machine::load(llvm::StringRef elf_path, llvm::StringRef target, const MachineOptions& options) {
    const std::optional<Target> parsed = parse_target(target);
    if (!parsed) {
        return detail::error("error: unknown target '" + target +
                             "'; note: the targets are cortex-m4, rv32imc, avr, x86-64");
    }
    auto image = detail::read_elf(elf_path, *parsed);
    if (!image) {
        return image.takeError();
    }
    auto core = *parsed == Target::avr ? detail::make_simavr_core(*image, options)
                                       : detail::make_unicorn_core(*image, *parsed, options);
    if (!core) {
        return core.takeError();
    }
    auto impl = std::make_unique<Impl>();
    impl->target = *parsed;
    impl->image = std::move(*image);
    impl->core = std::move(*core);
    impl->budget = options.instruction_budget;
    return std::unique_ptr<Machine>(new Machine(std::move(impl)));
}

Target Machine::target() const {
    return impl_->target;
}

const std::string& Machine::path() const {
    return impl_->image.path;
}

uint64_t Machine::scratch_base() const {
    return impl_->core->scratch_base();
}

uint64_t Machine::scratch_size() const {
    return impl_->core->scratch_size();
}

unsigned Machine::int_bytes() const {
    return abi(impl_->target).int_bytes;
}

unsigned Machine::pointer_bytes() const {
    return abi(impl_->target).pointer_bytes;
}

llvm::Expected<uint64_t> Machine::symbol(llvm::StringRef name) const {
    if (auto address = impl_->image.symbol(name)) {
        return *address;
    }
    return detail::error(path() + ": error: no symbol '" + name +
                         "' in the ELF symbol table; note: check the spelling (C++ names are "
                         "mangled) and that the ELF is not stripped");
}

llvm::Error Machine::write(uint64_t address, llvm::ArrayRef<uint8_t> bytes) {
    return impl_->core->write(address, bytes);
}

llvm::Expected<std::vector<uint8_t>> Machine::read(uint64_t address, size_t size) {
    return impl_->core->read(address, size);
}

llvm::Expected<CallResult> Machine::call(llvm::StringRef function, llvm::ArrayRef<uint64_t> args) {
    const std::optional<uint64_t> entry = impl_->image.symbol(function);
    if (!entry) {
        return detail::error(path() + ": error: no function '" + function +
                             "' in the ELF symbol table; note: check the spelling (C++ names "
                             "are mangled), that the ELF is not stripped, and that the function "
                             "was not inlined away");
    }
    if (!impl_->image.is_code(*entry)) {
        return detail::error(path() + ": error: '" + function + "' at " + detail::hex(*entry) +
                             " is not in an executable segment; note: call a function, not a "
                             "data object");
    }
    const Abi target_abi = abi(impl_->target);
    if (args.size() > target_abi.argument_registers) {
        return detail::error(path() + ": error: " + function + " called with " +
                             std::to_string(args.size()) + " arguments, but the " +
                             target_name(impl_->target) + " runner passes at most " +
                             std::to_string(target_abi.argument_registers) +
                             " in registers; note: pass a pointer to a structure in scratch");
    }
    for (size_t i = 0; i < args.size(); ++i) {
        if (!fits(args[i], target_abi.int_bits)) {
            return detail::error(path() + ": error: argument " + std::to_string(i + 1) + " of " +
                                 function + " (" + detail::hex(args[i]) + ") does not fit the " +
                                 std::to_string(target_abi.int_bits) +
                                 "-bit argument register of " + target_name(impl_->target) +
                                 "; note: pass wider values through memory");
        }
    }
    auto result = impl_->core->call(function, *entry, args, impl_->budget);
    if (result) {
        result->int_bits = 8 * target_abi.int_bytes;
    }
    return result;
}

uint64_t Machine::instruction_budget() const {
    return impl_->budget;
}

void Machine::set_instruction_budget(uint64_t budget) {
    impl_->budget = budget;
}

} // namespace clockwork::runner
