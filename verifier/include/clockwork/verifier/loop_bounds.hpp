// The loop bounds the encoder unrolls to: the analyzer's flow facts (CW_LOOP_BOUND and the
// loopbound pragma) of the same sources, read with the same target and include paths.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

namespace llvm {
class DILocation;
class Loop;
class LoopInfo;
} // namespace llvm

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

// `target` is an encoding target's name (compile.hpp): the sources are read as it compiles them.
llvm::Expected<std::vector<LoopBoundFact>>
read_loop_bounds(llvm::ArrayRef<std::string> sources, llvm::ArrayRef<std::string> include_dirs,
                 llvm::StringRef target);

// The innermost fact whose file is `file` and whose lines contain `line`; null when none.
const LoopBoundFact* find_loop_bound(llvm::ArrayRef<LoopBoundFact> facts, llvm::StringRef file,
                                     unsigned line);

// The source file of a debug location, absolute when its directory says where.
std::string full_file_of(const llvm::DILocation& at);

// The annotated source loop an IR loop is, by the analyzer's rule for machine loops
// (analyzer/src/loop_mapping.cpp), so that both tools give one loop one CW_LOOP_BOUND: the
// source loop whose line range holds most of the loop's own instructions (inner loops
// excluded), on a tie the innermost. The header's line alone would not do: a header often
// starts with code inlined from a helper, and a rotated outer loop's header with the inner
// loop's first test. `header_line` is the header's first line. Null when no instruction lies in
// an annotated loop.
const LoopBoundFact* fact_of_loop(const llvm::Loop& loop, const llvm::LoopInfo& loops,
                                  llvm::ArrayRef<LoopBoundFact> facts, unsigned& header_line);

} // namespace clockwork::verifier
