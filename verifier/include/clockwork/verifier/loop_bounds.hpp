// The loop bounds the encoder unrolls to: the analyzer's flow facts (CW_LOOP_BOUND and the
// loopbound pragma) of the same sources, read with the same target and include paths.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clockwork::verifier {

struct LoopBoundFact {
    std::string file; // absolute
    unsigned first_line = 0, last_line = 0;
    unsigned bound_line = 0;
    uint64_t bound = 0; // the body runs at most this many times per entry
};

llvm::Expected<std::vector<LoopBoundFact>>
read_loop_bounds(llvm::ArrayRef<std::string> sources, llvm::ArrayRef<std::string> include_dirs);

// The innermost fact whose file is `file` and whose lines contain `line`; null when none.
const LoopBoundFact* find_loop_bound(llvm::ArrayRef<LoopBoundFact> facts, llvm::StringRef file,
                                     unsigned line);

} // namespace clockwork::verifier
