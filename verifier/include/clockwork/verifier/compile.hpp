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

// The flags every source is compiled with (besides -I and the source itself). A 32-bit target
// makes pointers 32-bit bit-vectors; no vectorizer or unroller keeps every loop a loop whose
// CW_LOOP_BOUND the encoder can check; -O2 is the shipped optimisation level.
std::vector<std::string> encoding_flags();

struct CompiledProgram {
    std::unique_ptr<llvm::LLVMContext> context;
    std::unique_ptr<llvm::Module> module;
    std::vector<std::string> flags; // the whole command line of one compile, minus the source
    std::string ir_sha256;          // of the linked module's textual IR
};

// Compiles each source with `clang` to bitcode and links the modules in-process. An error names
// the source and carries Clang's diagnostics.
llvm::Expected<CompiledProgram> compile_and_link(llvm::StringRef clang,
                                                 llvm::ArrayRef<std::string> sources,
                                                 llvm::ArrayRef<std::string> include_dirs);

} // namespace clockwork::verifier
