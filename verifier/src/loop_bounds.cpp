#include <clockwork/analyzer/source/flow_facts.hpp>
#include <clockwork/verifier/loop_bounds.hpp>

#include <llvm/Support/Path.h>

namespace clockwork::verifier {

llvm::Expected<std::vector<LoopBoundFact>>
read_loop_bounds(llvm::ArrayRef<std::string> sources, llvm::ArrayRef<std::string> include_dirs) {
    // The same target and language as the compile step, so that the same code is read.
    std::vector<std::string> args{"--target=riscv32-unknown-elf",
                                  "-march=rv32imc",
                                  "-std=c++20",
                                  "-ffreestanding",
                                  "-fno-exceptions",
                                  "-fno-rtti"};
    for (const std::string& dir : include_dirs) {
        args.push_back("-I" + dir);
    }
    auto facts = analyzer::source::collect_flow_facts_with_args(sources, args);
    if (!facts) {
        return facts.takeError();
    }
    std::vector<LoopBoundFact> bounds;
    for (const analyzer::source::LoopFact& loop : facts->loops) {
        if (loop.bounded) {
            bounds.push_back(
                {loop.file, loop.first_line, loop.last_line, loop.bound_line, loop.max});
        }
    }
    return bounds;
}

const LoopBoundFact* find_loop_bound(llvm::ArrayRef<LoopBoundFact> facts, llvm::StringRef file,
                                     unsigned line) {
    const LoopBoundFact* best = nullptr;
    for (const LoopBoundFact& fact : facts) {
        // Debug info and the flow facts may spell one path differently; the name and the line
        // range together still pick one loop.
        const bool same_file = fact.file == file || llvm::sys::path::filename(fact.file) ==
                                                        llvm::sys::path::filename(file);
        if (!same_file || line < fact.first_line || line > fact.last_line) {
            continue;
        }
        if (best == nullptr ||
            fact.last_line - fact.first_line < best->last_line - best->first_line) {
            best = &fact;
        }
    }
    return best;
}

} // namespace clockwork::verifier
