// Independent verification jobs on worker threads. Each job builds its own LLVM and Z3 contexts,
// which must stay on the thread that made them.
#pragma once

#include <llvm/Support/Error.h>

#include <cstddef>
#include <functional>

namespace clockwork::verifier {

// Runs `job(i, thread)` for every i in [0, count) on `threads` threads (at least one), taking
// the indices in order; the first error stops the jobs not yet started and is returned.
llvm::Error parallel_for(size_t count, unsigned threads,
                         const std::function<llvm::Error(size_t, unsigned)>& job);

} // namespace clockwork::verifier
