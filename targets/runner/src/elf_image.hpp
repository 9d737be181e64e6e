// The parts of an ELF a runner needs: its loadable segments and its symbols.
#pragma once

#include <clockwork/runner/machine.hpp>

#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/Twine.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::runner::detail {

struct Segment {
    uint64_t address = 0;      // p_vaddr: where the program addresses it
    uint64_t load_address = 0; // p_paddr: where its initial image lives (AVR .data in flash)
    uint64_t memory_size = 0;  // p_memsz; bytes past the file image are zero
    std::vector<uint8_t> bytes;
    bool executable = false;
    bool writable = false;

    bool contains(uint64_t a) const { return a >= address && a - address < memory_size; }
};

struct ElfImage {
    std::string path;
    std::vector<Segment> segments; // PT_LOAD with p_memsz > 0, in file order
    llvm::StringMap<uint64_t> symbols;

    std::optional<uint64_t> symbol(llvm::StringRef name) const;
    bool is_code(uint64_t address) const;
};

// Errors name the file: unreadable, not an ELF, another architecture than target.
llvm::Expected<ElfImage> read_elf(llvm::StringRef path, Target target);

llvm::Error error(const llvm::Twine& message);
std::string hex(uint64_t value);

} // namespace clockwork::runner::detail
