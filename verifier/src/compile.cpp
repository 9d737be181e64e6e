#include <clockwork/verifier/compile.hpp>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Linker/Linker.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/raw_ostream.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace clockwork::verifier {
namespace {

// Removes a temporary file when it goes out of scope, whatever path the compile took.
struct TemporaryFile {
    llvm::SmallString<128> path;
    ~TemporaryFile() {
        if (!path.empty()) {
            llvm::sys::fs::remove(path);
        }
    }
};

llvm::Error make_temporary(llvm::StringRef suffix, TemporaryFile& file) {
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("clockwork-verify", suffix, file.path)) {
        return llvm::createStringError(ec, "cannot create a temporary file: " + ec.message());
    }
    return llvm::Error::success();
}

// Clang's bitcode for `source`, or the error that names the source with Clang's diagnostics.
llvm::Expected<std::string> run_clang(llvm::StringRef clang, const std::string& source,
                                      llvm::ArrayRef<std::string> flags) {
    TemporaryFile bitcode;
    TemporaryFile diagnostics;
    if (auto error = make_temporary("bc", bitcode)) {
        return std::move(error);
    }
    if (auto error = make_temporary("txt", diagnostics)) {
        return std::move(error);
    }
    std::vector<llvm::StringRef> argv{clang};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back(source);
    argv.push_back("-o");
    argv.push_back(bitcode.path);
    std::string failure;
    const std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(""),
                                                        llvm::StringRef(diagnostics.path)};
    const int code =
        llvm::sys::ExecuteAndWait(clang, argv, std::nullopt, redirects, 0, 0, &failure);
    if (code != 0) {
        std::string text = failure;
        if (auto output = llvm::MemoryBuffer::getFile(diagnostics.path)) {
            text += (*output)->getBuffer().str();
        }
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       source + ": error: " + clang.str() + " failed (exit " +
                                           std::to_string(code) + ")\n" + text);
    }
    auto buffer = llvm::MemoryBuffer::getFile(bitcode.path);
    if (!buffer) {
        return llvm::createStringError(buffer.getError(),
                                       source + ": error: no bitcode from " + clang.str());
    }
    return (*buffer)->getBuffer().str();
}

// Every harness links the same allocator sources, compiled with the same flags: Clang runs once
// per source, flags and contents in a process instead of once per harness (a quarter of a
// second each, on every one of the 16 harnesses of every target). The key holds the source's
// contents, not its headers': a process takes the headers to stay as they are while it runs.
class BitcodeCache {
  public:
    llvm::Expected<std::shared_ptr<const std::string>>
    get(llvm::StringRef clang, const std::string& source, llvm::ArrayRef<std::string> flags) {
        auto contents = llvm::MemoryBuffer::getFile(source);
        if (!contents) {
            return llvm::createStringError(contents.getError(),
                                           source + ": error: cannot read the source");
        }
        std::string key = clang.str() + '\0' + source + '\0' + sha256_hex((*contents)->getBuffer());
        for (const std::string& flag : flags) {
            key += '\0' + flag;
        }
        {
            const std::lock_guard<std::mutex> hold(lock_);
            auto known = bitcode_.find(key);
            if (known != bitcode_.end()) {
                return known->second;
            }
        }
        auto bitcode = run_clang(clang, source, flags);
        if (!bitcode) {
            return bitcode.takeError();
        }
        auto shared = std::make_shared<const std::string>(std::move(*bitcode));
        const std::lock_guard<std::mutex> hold(lock_);
        return bitcode_.emplace(std::move(key), std::move(shared)).first->second;
    }

  private:
    std::mutex lock_;
    std::map<std::string, std::shared_ptr<const std::string>> bitcode_;
};

llvm::Expected<std::unique_ptr<llvm::Module>> compile_one(llvm::StringRef clang,
                                                          const std::string& source,
                                                          llvm::ArrayRef<std::string> flags,
                                                          llvm::LLVMContext& context) {
    static BitcodeCache cache;
    auto bitcode = cache.get(clang, source, flags);
    if (!bitcode) {
        return bitcode.takeError();
    }
    auto module = llvm::parseBitcodeFile(llvm::MemoryBufferRef(**bitcode, source), context);
    if (module) {
        // Named by its source, not by the temporary file it came through: the IR's SHA-256
        // in the Evidence is then the same for the same inputs.
        (*module)->setModuleIdentifier(source);
    }
    return module;
}

} // namespace

std::string sha256_hex(llvm::StringRef bytes) {
    llvm::SHA256 hash;
    hash.update(bytes);
    return llvm::toHex(hash.final(), /*LowerCase=*/true);
}

// The same triple and CPU flags as the target's cross build (cmake/toolchains/).
const EncodingTarget kEncodingTargets[] = {
    {"rv32imc", "riscv32-unknown-elf", {"-march=rv32imc", "-mabi=ilp32"}, true},
    {"cortex-m4", "thumbv7em-none-eabi", {"-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft"}, true},
    {"avr", "avr", {"-mmcu=atmega2560"}, false},
    {"x86-64", "x86_64-unknown-elf", {}, false},
};

const EncodingTarget* find_encoding_target(llvm::StringRef name) {
    for (const EncodingTarget& target : kEncodingTargets) {
        if (name == target.name) {
            return &target;
        }
    }
    return nullptr;
}

namespace {

std::string target_names(bool memory_only) {
    std::string names;
    for (const EncodingTarget& target : kEncodingTargets) {
        if (target.encodes_memory || !memory_only) {
            names += (names.empty() ? "" : ", ") + std::string(target.name);
        }
    }
    return names;
}

} // namespace

std::string unknown_target_message(llvm::StringRef name) {
    return "unknown target '" + name.str() + "'; note: the verifier's targets are " +
           target_names(false);
}

std::string unencodable_target_message(llvm::StringRef name) {
    return "the verifier cannot encode the memory of target '" + name.str() +
           "' for harnesses; note: its memory model takes 32-bit little-endian pointers in one "
           "address space (avr has 16-bit pointers and a flash address space, x86-64 64-bit "
           "pointers), so only the allocator's loop bounds are proven there; harnesses run on " +
           target_names(true);
}

llvm::Error require_memory_model(llvm::StringRef target) {
    const EncodingTarget* encoding = find_encoding_target(target);
    if (encoding == nullptr) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "error: " + unknown_target_message(target));
    }
    if (!encoding->encodes_memory) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "error: " + unencodable_target_message(target));
    }
    return llvm::Error::success();
}

std::vector<std::string> source_flags(const EncodingTarget& target) {
    std::vector<std::string> flags{std::string("--target=") + target.triple};
    flags.insert(flags.end(), target.cpu_flags.begin(), target.cpu_flags.end());
    flags.insert(flags.end(),
                 {"-std=c++20", "-ffreestanding", "-fno-exceptions", "-fno-rtti", "-DNDEBUG"});
    return flags;
}

std::vector<std::string> encoding_flags(const EncodingTarget& target) {
    std::vector<std::string> flags = source_flags(target);
    flags.insert(flags.end(), {"-emit-llvm", "-c", "-g", "-O2", "-fno-vectorize",
                               "-fno-slp-vectorize", "-fno-unroll-loops"});
    return flags;
}

llvm::Expected<CompiledProgram> compile_and_link(llvm::StringRef clang, llvm::StringRef target,
                                                 llvm::ArrayRef<std::string> sources,
                                                 llvm::ArrayRef<std::string> include_dirs) {
    const EncodingTarget* encoding = find_encoding_target(target);
    if (encoding == nullptr) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "error: " + unknown_target_message(target));
    }
    CompiledProgram program;
    program.context = std::make_unique<llvm::LLVMContext>();
    program.flags = encoding_flags(*encoding);
    for (const std::string& dir : include_dirs) {
        program.flags.push_back("-I" + dir);
    }
    for (const std::string& source : sources) {
        auto module = compile_one(clang, source, program.flags, *program.context);
        if (!module) {
            return module.takeError();
        }
        if (!program.module) {
            program.module = std::move(*module);
            continue;
        }
        if (llvm::Linker::linkModules(*program.module, std::move(*module))) {
            return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                           source + ": error: cannot link its IR with " +
                                               sources.front());
        }
    }
    if (!program.module) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(), "no sources to compile");
    }
    // The encoder's memory model, checked on what Clang made rather than trusted to the table.
    const llvm::DataLayout& layout = program.module->getDataLayout();
    if (encoding->encodes_memory &&
        (layout.getPointerSizeInBits(0) != 32 || !layout.isLittleEndian())) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "error: the IR for target '" + target.str() +
                                           "' has no 32-bit little-endian pointers (data layout " +
                                           layout.getStringRepresentation() +
                                           "), which the encoder's memory model needs");
    }
    std::string text;
    llvm::raw_string_ostream stream(text);
    program.module->print(stream, nullptr);
    program.ir_sha256 = sha256_hex(text);
    return program;
}

} // namespace clockwork::verifier
