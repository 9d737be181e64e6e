// Loading the analyzer's flow.c programs and writing int arrays into scratch.
#pragma once

#include <clockwork/runner/machine.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace clockwork::runner::testing {

inline std::string flow_elf(const std::string& target) {
    return std::string(CLOCKWORK_FLOW_PROGRAMS) + "/" + target + "/flow.elf";
}

inline std::string error_text(llvm::Error error) {
    return llvm::toString(std::move(error));
}

// Fails the test (and returns null) when the ELF does not load.
inline std::unique_ptr<Machine> load_flow(const std::string& target,
                                          const MachineOptions& options = {}) {
    auto machine = Machine::load(flow_elf(target), target, options);
    if (!machine) {
        ADD_FAILURE() << llvm::toString(machine.takeError());
        return nullptr;
    }
    return std::move(*machine);
}

// The values as the target's C ints, little-endian, at the start of scratch; returns the
// array's address.
inline uint64_t put_ints(Machine& machine, const std::vector<int>& values) {
    std::vector<uint8_t> bytes;
    for (int value : values) {
        for (unsigned i = 0; i < machine.int_bytes(); ++i) {
            bytes.push_back(static_cast<uint8_t>(static_cast<unsigned>(value) >> (8 * i)));
        }
    }
    if (llvm::Error error = machine.write(machine.scratch_base(), bytes)) {
        ADD_FAILURE() << llvm::toString(std::move(error));
    }
    return machine.scratch_base();
}

// Fails the test (and returns an empty result) when the call fails.
inline CallResult call(Machine& machine, const std::string& function, std::vector<uint64_t> args) {
    auto result = machine.call(function, args);
    if (!result) {
        ADD_FAILURE() << function << ": " << llvm::toString(result.takeError());
        return {};
    }
    return *result;
}

inline uint64_t arg(int64_t value) {
    return static_cast<uint64_t>(value);
}

} // namespace clockwork::runner::testing
