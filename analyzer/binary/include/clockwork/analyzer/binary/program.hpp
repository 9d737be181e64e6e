// A shipped ELF as the analyzer sees it: its symbols, its machine code decoded with LLVM's MC
// disassembler for the ELF's target, and its DWARF line table. Nothing is recompiled.
#pragma once

#include <clockwork/analyzer/binary/target.hpp>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/MC/MCInst.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class MCInstrInfo;
class MCInstrAnalysis;
class MCRegisterInfo;
class MCSubtargetInfo;
class MCInstrDesc;
} // namespace llvm

namespace clockwork::analyzer::binary {

struct SourceLine {
    std::string file; // as recorded in DWARF, made absolute with the compilation directory
    unsigned line = 0;
    bool known() const { return line != 0; }
};

struct FunctionSymbol {
    std::string name;
    uint64_t address = 0; // Thumb bit cleared
    uint64_t size = 0;
};

struct Instruction {
    uint64_t address = 0;
    unsigned size = 0;
    llvm::MCInst mc;
};

class Program {
  public:
    // Errors name the file and say how to fix: not an ELF, a relocatable object, wrong machine
    // for the target, no symbol table.
    static llvm::Expected<std::unique_ptr<Program>> load(llvm::StringRef path,
                                                         const TargetInfo& target);
    ~Program();
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;

    const TargetInfo& target() const { return target_; }
    const std::string& path() const { return path_; }
    const std::string& sha256() const { return sha256_; }

    // By symbol name (the linkage name: C names, or mangled C++ names).
    llvm::Expected<FunctionSymbol> function(llvm::StringRef name) const;
    // The function symbol that starts exactly at address.
    std::optional<FunctionSymbol> function_at(uint64_t address) const;
    // The function symbol whose [address, address + size) holds address.
    std::optional<FunctionSymbol> function_containing(uint64_t address) const;

    // Decodes in address order within a block: the Thumb decoder carries IT-block state from
    // one instruction to the next, so callers decode a block front to back.
    llvm::Expected<Instruction> decode(uint64_t address) const;
    std::string text(const Instruction& instruction) const;
    // Bytes of a code or read-only data section (a jump table inside the code or in .rodata);
    // nullopt outside every such section, and in writable ones, whose bytes the program may
    // change before it reads them.
    std::optional<llvm::ArrayRef<uint8_t>> bytes(uint64_t address, uint64_t size) const;

    bool has_line_table() const;
    // The main source file of every compilation unit, absolute: what the flow facts are read from.
    std::vector<std::string> compile_unit_sources() const;
    SourceLine line_at(uint64_t address) const;

    const llvm::MCInstrInfo& instr_info() const;
    const llvm::MCRegisterInfo& register_info() const;
    const llvm::MCSubtargetInfo& subtarget() const;
    // Null where LLVM has none for the target (AVR): branch targets are then read from operands.
    const llvm::MCInstrAnalysis* instr_analysis() const;
    const llvm::MCInstrDesc& desc(const Instruction& instruction) const;

  private:
    struct Impl;
    explicit Program(std::unique_ptr<Impl> impl, const TargetInfo& target, std::string path,
                     std::string sha256);
    std::unique_ptr<Impl> impl_;
    TargetInfo target_;
    std::string path_;
    std::string sha256_;
};

} // namespace clockwork::analyzer::binary
