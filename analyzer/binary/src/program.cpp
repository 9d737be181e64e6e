#include <clockwork/analyzer/binary/program.hpp>

#include <llvm/ADT/StringExtras.h>
#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/MC/MCAsmInfo.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCDisassembler/MCDisassembler.h>
#include <llvm/MC/MCInstPrinter.h>
#include <llvm/MC/MCInstrAnalysis.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/MCTargetOptions.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace clockwork::analyzer::binary {

namespace {

llvm::Error error(const llvm::Twine& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

void initialize_llvm_targets() {
    static std::once_flag once;
    std::call_once(once, [] {
        llvm::InitializeAllTargetInfos();
        llvm::InitializeAllTargetMCs();
        llvm::InitializeAllDisassemblers();
    });
}

std::string sha256_hex(llvm::StringRef bytes) {
    llvm::SHA256 hash;
    hash.update(bytes);
    return llvm::toHex(hash.final(), /*LowerCase=*/true);
}

struct Section {
    uint64_t address = 0;
    llvm::ArrayRef<uint8_t> bytes;
    uint64_t index = 0;
    bool writable = false; // SHF_WRITE: the program may change these bytes at run time
};

} // namespace

struct Program::Impl {
    std::unique_ptr<llvm::MemoryBuffer> buffer;
    std::unique_ptr<llvm::object::ObjectFile> object;
    std::unique_ptr<llvm::DWARFContext> dwarf;
    std::unique_ptr<llvm::MCRegisterInfo> registers;
    std::unique_ptr<llvm::MCAsmInfo> asm_info;
    std::unique_ptr<llvm::MCSubtargetInfo> subtarget;
    std::unique_ptr<llvm::MCInstrInfo> instr_info;
    std::unique_ptr<llvm::MCContext> context;
    std::unique_ptr<llvm::MCDisassembler> disassembler;
    std::unique_ptr<llvm::MCInstrAnalysis> analysis;
    std::unique_ptr<llvm::MCInstPrinter> printer;
    std::vector<Section> code;
    // Allocated, read-only, non-code sections (.rodata): where rv32imc and x86-64 jump tables
    // live. Writable data is left out: a table the program could rewrite bounds nothing.
    std::vector<Section> constants;
    std::map<std::string, FunctionSymbol> by_name;
    std::map<uint64_t, FunctionSymbol> by_address;
    bool line_table = false;

    const Section* section_of(uint64_t address) const {
        for (const Section& section : code) {
            if (address >= section.address && address - section.address < section.bytes.size()) {
                return &section;
            }
        }
        return nullptr;
    }
    const Section* constant_section_of(uint64_t address) const {
        for (const Section& section : constants) {
            if (address >= section.address && address - section.address < section.bytes.size()) {
                return &section;
            }
        }
        return nullptr;
    }
};

Program::Program(std::unique_ptr<Impl> impl, const TargetInfo& target, std::string path,
                 std::string sha256)
    : impl_(std::move(impl)), target_(target), path_(std::move(path)), sha256_(std::move(sha256)) {}

Program::~Program() = default;

llvm::Expected<std::unique_ptr<Program>> Program::load(llvm::StringRef path,
                                                       const TargetInfo& target) {
    initialize_llvm_targets();
    auto impl = std::make_unique<Impl>();

    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer) {
        return error(path + ": error: cannot read the file (" + buffer.getError().message() +
                     "); note: pass the ELF the cross build produced");
    }
    impl->buffer = std::move(*buffer);
    auto object = llvm::object::ObjectFile::createObjectFile(impl->buffer->getMemBufferRef());
    if (!object) {
        llvm::consumeError(object.takeError());
        return error(path + ": error: not an ELF file; note: pass the ELF the cross build produced "
                            "(build/targets/<target>/clockwork_heap.elf)");
    }
    impl->object = std::move(*object);
    auto* elf = llvm::dyn_cast<llvm::object::ELFObjectFileBase>(impl->object.get());
    if (elf == nullptr) {
        return error(path + ": error: not an ELF file; note: pass the ELF the cross build produced "
                            "(build/targets/<target>/clockwork_heap.elf)");
    }
    if (elf->getEType() == llvm::ELF::ET_REL) {
        return error(path + ": error: a relocatable object, not a linked image: its addresses "
                            "are not final; note: pass the ELF the link produced");
    }
    if (elf->getEMachine() != target.elf_machine) {
        return error(path + ": error: the ELF is for another architecture than --target " +
                     target.name + "; note: pass the ELF built for " + target.name +
                     " or the --target that matches the ELF");
    }

    for (const llvm::object::ELFSectionRef section : elf->sections()) {
        const uint64_t flags = section.getFlags();
        const bool code = section.isText();
        const bool constant = !code && (flags & llvm::ELF::SHF_ALLOC) != 0 &&
                              (flags & llvm::ELF::SHF_WRITE) == 0 &&
                              section.getType() != llvm::ELF::SHT_NOBITS;
        if ((!code && !constant) || section.getSize() == 0) {
            continue;
        }
        auto contents = section.getContents();
        if (!contents) {
            return error(path + ": error: cannot read section contents: " +
                         llvm::toString(contents.takeError()));
        }
        (code ? impl->code : impl->constants)
            .push_back({section.getAddress(), llvm::arrayRefFromStringRef(*contents),
                        section.getIndex(), (flags & llvm::ELF::SHF_WRITE) != 0});
    }

    for (const llvm::object::ELFSymbolRef& symbol : elf->symbols()) {
        auto type = symbol.getType();
        auto name = symbol.getName();
        auto address = symbol.getAddress();
        if (!type || !name || !address) {
            llvm::consumeError(type.takeError());
            llvm::consumeError(name.takeError());
            llvm::consumeError(address.takeError());
            continue;
        }
        if (*type != llvm::object::SymbolRef::ST_Function || name->empty()) {
            continue;
        }
        // Thumb function symbols carry the interworking bit; the code starts one byte lower.
        const uint64_t start =
            target.kind == TargetKind::cortex_m4 ? (*address & ~uint64_t{1}) : *address;
        FunctionSymbol function{name->str(), start, symbol.getSize()};
        impl->by_name.emplace(function.name, function);
        impl->by_address.emplace(start, function);
    }
    if (impl->by_name.empty()) {
        return error(path + ": error: the ELF has no function symbols (stripped?); note: analyze "
                            "the unstripped ELF of the build, strip only the copy you flash");
    }

    impl->dwarf = llvm::DWARFContext::create(*impl->object);
    for (const auto& unit : impl->dwarf->compile_units()) {
        if (const llvm::DWARFDebugLine::LineTable* table =
                impl->dwarf->getLineTableForUnit(unit.get());
            table != nullptr && !table->Rows.empty()) {
            impl->line_table = true;
            break;
        }
    }

    std::string lookup_error;
    const llvm::Triple triple(target.triple);
    const llvm::Target* mc_target =
        llvm::TargetRegistry::lookupTarget(target.triple.str(), lookup_error);
    if (mc_target == nullptr) {
        return error("error: this LLVM has no " + target.triple + " target (" + lookup_error +
                     "); note: install llvm-19 from Debian 12, which has all four");
    }
    impl->registers.reset(mc_target->createMCRegInfo(target.triple));
    llvm::MCTargetOptions options;
    impl->asm_info.reset(mc_target->createMCAsmInfo(*impl->registers, target.triple, options));
    impl->subtarget.reset(
        mc_target->createMCSubtargetInfo(target.triple, target.cpu, target.features));
    impl->instr_info.reset(mc_target->createMCInstrInfo());
    impl->context = std::make_unique<llvm::MCContext>(triple, impl->asm_info.get(),
                                                      impl->registers.get(), impl->subtarget.get());
    impl->disassembler.reset(mc_target->createMCDisassembler(*impl->subtarget, *impl->context));
    impl->analysis.reset(mc_target->createMCInstrAnalysis(impl->instr_info.get()));
    impl->printer.reset(
        mc_target->createMCInstPrinter(triple, impl->asm_info->getAssemblerDialect(),
                                       *impl->asm_info, *impl->instr_info, *impl->registers));
    if (!impl->disassembler || !impl->printer) {
        return error("error: LLVM cannot disassemble " + target.triple +
                     "; note: install llvm-19 from Debian 12");
    }

    std::string sha = sha256_hex(impl->buffer->getBuffer());
    return std::unique_ptr<Program>(
        new Program(std::move(impl), target, path.str(), std::move(sha)));
}

llvm::Expected<FunctionSymbol> Program::function(llvm::StringRef name) const {
    auto found = impl_->by_name.find(name.str());
    if (found == impl_->by_name.end()) {
        return error(path_ + ": error: no function named '" + name +
                     "' in the ELF; note: use the linkage name as llvm-nm prints it, and check the "
                     "linker kept the function");
    }
    return found->second;
}

std::optional<FunctionSymbol> Program::function_at(uint64_t address) const {
    auto found = impl_->by_address.find(address);
    if (found == impl_->by_address.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::optional<FunctionSymbol> Program::function_containing(uint64_t address) const {
    auto after = impl_->by_address.upper_bound(address);
    if (after == impl_->by_address.begin()) {
        return std::nullopt;
    }
    const FunctionSymbol& candidate = std::prev(after)->second;
    if (address - candidate.address < std::max<uint64_t>(candidate.size, 1)) {
        return candidate;
    }
    return std::nullopt;
}

llvm::Expected<Instruction> Program::decode(uint64_t address) const {
    const Section* section = impl_->section_of(address);
    if (section == nullptr) {
        return error(path_ + ": error: address 0x" + llvm::utohexstr(address) +
                     " is outside every code section; note: the control flow left the code, "
                     "check the function's symbol and the ELF");
    }
    Instruction instruction;
    instruction.address = address;
    uint64_t size = 0;
    const auto status = impl_->disassembler->getInstruction(
        instruction.mc, size, section->bytes.drop_front(address - section->address), address,
        llvm::nulls());
    if (status != llvm::MCDisassembler::Success || size == 0) {
        return error(path_ + ": error: cannot decode the instruction at 0x" +
                     llvm::utohexstr(address) + " for " + target_.name +
                     "; note: check that --target matches the core the ELF was built for");
    }
    instruction.size = static_cast<unsigned>(size);
    return instruction;
}

std::optional<llvm::ArrayRef<uint8_t>> Program::bytes(uint64_t address, uint64_t size) const {
    const Section* section = impl_->section_of(address);
    if (section == nullptr) {
        section = impl_->constant_section_of(address);
    }
    if (section == nullptr || section->writable ||
        address - section->address + size > section->bytes.size()) {
        return std::nullopt;
    }
    return section->bytes.slice(address - section->address, size);
}

std::string Program::text(const Instruction& instruction) const {
    std::string out;
    llvm::raw_string_ostream stream(out);
    impl_->printer->printInst(&instruction.mc, instruction.address, "", *impl_->subtarget, stream);
    stream.flush();
    llvm::StringRef trimmed = llvm::StringRef(out).trim();
    std::string result;
    for (char c : trimmed) {
        result.push_back(c == '\t' ? ' ' : c);
    }
    return result;
}

bool Program::has_line_table() const {
    return impl_->line_table;
}

std::vector<std::string> Program::compile_unit_sources() const {
    std::vector<std::string> sources;
    for (const auto& unit : impl_->dwarf->compile_units()) {
        const llvm::DWARFDie die = unit->getUnitDIE();
        const char* name = llvm::dwarf::toString(die.find(llvm::dwarf::DW_AT_name), nullptr);
        if (name == nullptr) {
            continue;
        }
        llvm::SmallString<256> path(name);
        if (!llvm::sys::path::is_absolute(path)) {
            const char* directory =
                llvm::dwarf::toString(die.find(llvm::dwarf::DW_AT_comp_dir), nullptr);
            path = directory == nullptr ? "" : directory;
            llvm::sys::path::append(path, name);
        }
        llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
        if (std::find(sources.begin(), sources.end(), std::string(path)) == sources.end()) {
            sources.emplace_back(path);
        }
    }
    return sources;
}

SourceLine Program::line_at(uint64_t address) const {
    const Section* section = impl_->section_of(address);
    if (section == nullptr || !impl_->line_table) {
        return {};
    }
    const llvm::DILineInfo info = impl_->dwarf->getLineInfoForAddress(
        {address, section->index},
        llvm::DILineInfoSpecifier(llvm::DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath,
                                  llvm::DILineInfoSpecifier::FunctionNameKind::None));
    if (info.Line == 0 || info.FileName == llvm::DILineInfo::BadString) {
        return {};
    }
    return {info.FileName, info.Line};
}

const llvm::MCInstrInfo& Program::instr_info() const {
    return *impl_->instr_info;
}
const llvm::MCRegisterInfo& Program::register_info() const {
    return *impl_->registers;
}
const llvm::MCSubtargetInfo& Program::subtarget() const {
    return *impl_->subtarget;
}
const llvm::MCInstrAnalysis* Program::instr_analysis() const {
    return impl_->analysis.get();
}
const llvm::MCInstrDesc& Program::desc(const Instruction& instruction) const {
    return impl_->instr_info->get(instruction.mc.getOpcode());
}

} // namespace clockwork::analyzer::binary
