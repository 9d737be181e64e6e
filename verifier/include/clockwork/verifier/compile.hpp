// The compile step of the verifier: the harness and the allocator sources, compiled by the
// Clang that ships the allocator, into one linked LLVM module. What is verified is this IR, so
// every flag that shaped it is part of the result.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

#include <memory>
#include <string>
#include <vector>

namespace clockwork::verifier {

// A target the verifier compiles the allocator for, with the triple and CPU flags of its cross
// build. The encoder's memory model takes 32-bit little-endian pointers in one address space:
// harnesses run only on the targets that have them (`encodes_memory`). On the others, the
// 16-bit AVR with its flash address space and the 64-bit x86-64, the allocator's loop bounds are
// still proven (ScalarEvolution's counts and Z3 need no memory model).
struct EncodingTarget {
    const char* name;   // the target's name across Clockwork: "cortex-m4"
    const char* triple; // Clang's --target
    std::vector<std::string> cpu_flags;
    bool encodes_memory;
};
// Any target the verifier compiles for; null for a name it does not know.
const EncodingTarget* find_encoding_target(llvm::StringRef name);
// Why `name` is no target the verifier compiles for, and which ones are, for error messages.
std::string unknown_target_message(llvm::StringRef name);
// Why harnesses cannot run on `name`, and on which targets they can, for error messages.
std::string unencodable_target_message(llvm::StringRef name);
// An error unless harnesses run on `target` (a known target whose memory the encoder models).
llvm::Error require_memory_model(llvm::StringRef target);

// How the sources are read, by the compile step and by the loop-bound reader alike: the target,
// the language, and the macros of the shipped images (NDEBUG: the release configuration).
std::vector<std::string> source_flags(const EncodingTarget& target);

// The flags every source is compiled with for `target` (besides -I and the source itself):
// source_flags, -O2 (the images' optimisation level) and -g; no vectorizer or unroller, so that
// every loop stays a loop whose CW_LOOP_BOUND the encoder can check, which the images do not
// have: the encoded IR is the images' up to those two passes.
std::vector<std::string> encoding_flags(const EncodingTarget& target);

// The SHA-256 of `bytes` in lower-case hex: every hash the verifier records.
std::string sha256_hex(llvm::StringRef bytes);

struct CompiledProgram {
    std::unique_ptr<llvm::LLVMContext> context;
    std::unique_ptr<llvm::Module> module;
    std::vector<std::string> flags; // the whole command line of one compile, minus the source
    std::string ir_sha256;          // of the linked module's textual IR
};

// Compiles each source with `clang` for `target` (an encoding target's name) to bitcode and
// links the modules in-process. An error names the source and carries Clang's diagnostics, or
// says which targets the encoder takes.
llvm::Expected<CompiledProgram> compile_and_link(llvm::StringRef clang, llvm::StringRef target,
                                                 llvm::ArrayRef<std::string> sources,
                                                 llvm::ArrayRef<std::string> include_dirs);

} // namespace clockwork::verifier
