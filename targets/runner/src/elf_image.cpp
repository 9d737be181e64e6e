#include "elf_image.hpp"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>

namespace clockwork::runner::detail {

namespace {

struct Expectation {
    uint16_t machine;
    bool elf64;
};

Expectation expectation(Target target) {
    switch (target) {
    case Target::cortex_m4:
        return {llvm::ELF::EM_ARM, false};
    case Target::rv32imc:
        return {llvm::ELF::EM_RISCV, false};
    case Target::avr:
        return {llvm::ELF::EM_AVR, false};
    case Target::x86_64:
        return {llvm::ELF::EM_X86_64, true};
    }
    return {0, false};
}

std::string machine_name(uint16_t machine, bool elf64) {
    switch (machine) {
    case llvm::ELF::EM_ARM:
        return "32-bit ARM";
    case llvm::ELF::EM_AARCH64:
        return "AArch64";
    case llvm::ELF::EM_RISCV:
        return elf64 ? "64-bit RISC-V" : "32-bit RISC-V";
    case llvm::ELF::EM_AVR:
        return "AVR";
    case llvm::ELF::EM_X86_64:
        return "x86-64";
    case llvm::ELF::EM_386:
        return "32-bit x86";
    default:
        return "e_machine " + std::to_string(machine);
    }
}

template <class ELFT>
llvm::Error collect_segments(const llvm::object::ELFFile<ELFT>& file, ElfImage& image) {
    auto headers = file.program_headers();
    if (!headers) {
        return error(image.path + ": error: cannot read the program headers (" +
                     llvm::toString(headers.takeError()) + "); note: pass a linked executable");
    }
    for (const auto& header : *headers) {
        if (header.p_type != llvm::ELF::PT_LOAD || header.p_memsz == 0) {
            continue;
        }
        auto contents = file.getSegmentContents(header);
        if (!contents) {
            return error(image.path + ": error: cannot read a PT_LOAD segment (" +
                         llvm::toString(contents.takeError()) + ")");
        }
        Segment segment;
        segment.address = header.p_vaddr;
        segment.load_address = header.p_paddr;
        segment.memory_size = header.p_memsz;
        segment.bytes.assign(contents->begin(), contents->end());
        segment.executable = (header.p_flags & llvm::ELF::PF_X) != 0;
        segment.writable = (header.p_flags & llvm::ELF::PF_W) != 0;
        if (segment.bytes.size() > segment.memory_size) {
            return error(image.path + ": error: a PT_LOAD segment at " + hex(segment.address) +
                         " has more file bytes than memory bytes");
        }
        image.segments.push_back(std::move(segment));
    }
    if (image.segments.empty()) {
        return error(image.path +
                     ": error: the ELF has no loadable segment; note: pass a linked executable, "
                     "not an object file");
    }
    return llvm::Error::success();
}

} // namespace

llvm::Error error(const llvm::Twine& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string hex(uint64_t value) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    do {
        text.insert(text.begin(), digits[value & 0xf]);
        value >>= 4;
    } while (value != 0);
    return "0x" + text;
}

std::optional<uint64_t> ElfImage::symbol(llvm::StringRef name) const {
    auto found = symbols.find(name);
    if (found == symbols.end()) {
        return std::nullopt;
    }
    return found->second;
}

bool ElfImage::is_code(uint64_t address) const {
    for (const Segment& segment : segments) {
        if (segment.executable && segment.contains(address)) {
            return true;
        }
    }
    return false;
}

llvm::Expected<ElfImage> read_elf(llvm::StringRef path, Target target) {
    ElfImage image;
    image.path = path.str();

    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer) {
        return error(path + ": error: cannot read the file (" + buffer.getError().message() +
                     "); note: pass the ELF the build produced");
    }
    auto object = llvm::object::ObjectFile::createObjectFile((*buffer)->getMemBufferRef());
    if (!object) {
        llvm::consumeError(object.takeError());
        return error(path + ": error: not an ELF file; note: pass the linked ELF the build "
                            "produced, the same file the analyzer reads");
    }
    auto* elf = llvm::dyn_cast<llvm::object::ELFObjectFileBase>(object->get());
    if (elf == nullptr) {
        return error(path + ": error: not an ELF file; note: pass the linked ELF the build "
                            "produced, the same file the analyzer reads");
    }

    const Expectation expected = expectation(target);
    const bool elf64 = elf->is64Bit();
    if (elf->getEMachine() != expected.machine || elf64 != expected.elf64) {
        return error(path + ": error: the ELF is for " + machine_name(elf->getEMachine(), elf64) +
                     ", not for the " + target_name(target) + " target (" +
                     machine_name(expected.machine, expected.elf64) +
                     "); note: pass the ELF built for " + target_name(target) +
                     " or the target that matches the ELF");
    }
    if (target == Target::avr &&
        (elf->getPlatformFlags() & llvm::ELF::EF_AVR_ARCH_MASK) != llvm::ELF::EF_AVR_ARCH_AVR6) {
        return error(path + ": error: the ELF is for AVR architecture avr" +
                     std::to_string(elf->getPlatformFlags() & llvm::ELF::EF_AVR_ARCH_MASK) +
                     ", not avr6 (ATmega2560, 3-byte PC); note: build with -mmcu=atmega2560");
    }

    llvm::Error segments = llvm::Error::success();
    if (auto* file32 = llvm::dyn_cast<llvm::object::ELF32LEObjectFile>(elf)) {
        segments = collect_segments(file32->getELFFile(), image);
    } else if (auto* file64 = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(elf)) {
        segments = collect_segments(file64->getELFFile(), image);
    } else {
        segments = error(path + ": error: big-endian ELF; note: every target is little-endian");
    }
    if (segments) {
        return std::move(segments);
    }

    llvm::StringMap<bool> global;
    for (const llvm::object::ELFSymbolRef& symbol : elf->symbols()) {
        auto name = symbol.getName();
        auto flags = symbol.getFlags();
        if (!name || !flags || name->empty() ||
            (*flags & llvm::object::SymbolRef::SF_Undefined) != 0) {
            if (!name) {
                llvm::consumeError(name.takeError());
            }
            if (!flags) {
                llvm::consumeError(flags.takeError());
            }
            continue;
        }
        const uint8_t type = symbol.getELFType();
        if (type == llvm::ELF::STT_SECTION || type == llvm::ELF::STT_FILE) {
            continue;
        }
        auto value = symbol.getValue();
        if (!value) {
            llvm::consumeError(value.takeError());
            continue;
        }
        uint64_t address = *value;
        // Bit 0 of a Thumb function symbol selects the instruction set, it is not an address.
        if (expected.machine == llvm::ELF::EM_ARM && type == llvm::ELF::STT_FUNC) {
            address &= ~uint64_t{1};
        }
        const bool is_global = symbol.getBinding() != llvm::ELF::STB_LOCAL;
        auto [entry, inserted] = global.try_emplace(*name, is_global);
        if (inserted || (is_global && !entry->second)) {
            image.symbols[*name] = address;
            entry->second = is_global;
        }
    }
    return image;
}

} // namespace clockwork::runner::detail
