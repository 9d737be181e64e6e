#include <clockwork/verifier/parallel.hpp>

#include <llvm/Support/thread.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace clockwork::verifier {
namespace {

// Z3's rewriters recurse along a term's depth, and a mutant that keeps a loop running to its
// bound makes terms far deeper than the original's: a default 8 MiB stack overflows.
constexpr unsigned kWorkerStack = 1u << 30; // reserved, committed only as used

} // namespace

llvm::Error parallel_for(size_t count, unsigned threads,
                         const std::function<llvm::Error(size_t, unsigned)>& job) {
    std::atomic<size_t> next{0};
    std::mutex failure_lock;
    std::optional<std::string> failure;
    auto work = [&](unsigned thread) {
        for (size_t i = next++; i < count; i = next++) {
            if (auto error = job(i, thread)) {
                std::lock_guard<std::mutex> lock(failure_lock);
                if (!failure) {
                    failure = llvm::toString(std::move(error));
                }
                next = count;
                return;
            }
        }
    };
    std::vector<llvm::thread> pool;
    for (unsigned t = 0; t < std::max(1u, threads); ++t) {
        pool.emplace_back(std::optional<unsigned>(kWorkerStack), work, t);
    }
    for (llvm::thread& thread : pool) {
        thread.join();
    }
    return failure ? llvm::createStringError(llvm::inconvertibleErrorCode(), *failure)
                   : llvm::Error::success();
}

} // namespace clockwork::verifier
