#include <clockwork/analyzer/source/flow_facts.hpp>
#include <clockwork/verifier/compile.hpp>
#include <clockwork/verifier/loop_bounds.hpp>

#include <llvm/ADT/SmallString.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/Support/Path.h>

#include <map>
#include <mutex>

namespace clockwork::verifier {

llvm::Expected<std::vector<LoopBoundFact>>
read_loop_bounds(llvm::ArrayRef<std::string> sources, llvm::ArrayRef<std::string> include_dirs,
                 llvm::StringRef target) {
    const EncodingTarget* encoding = find_encoding_target(target);
    if (encoding == nullptr) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "error: " + unknown_target_message(target));
    }
    // As the compile step reads them, so that every CW_LOOP_BOUND expression means the same.
    std::vector<std::string> args = source_flags(*encoding);
    for (const std::string& dir : include_dirs) {
        args.push_back("-I" + dir);
    }
    // Clang's tooling reads one set of sources at a time: its option parsing is process-wide,
    // and verify runs harnesses on several threads.
    static std::mutex tooling;
    std::lock_guard<std::mutex> lock(tooling);
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

namespace {

// Debug info and the flow facts may spell one path differently; the name and the line range
// together still pick one loop.
bool same_file(const LoopBoundFact& fact, llvm::StringRef file) {
    return fact.file == file ||
           llvm::sys::path::filename(fact.file) == llvm::sys::path::filename(file);
}

} // namespace

const LoopBoundFact* find_loop_bound(llvm::ArrayRef<LoopBoundFact> facts, llvm::StringRef file,
                                     unsigned line) {
    const LoopBoundFact* best = nullptr;
    for (const LoopBoundFact& fact : facts) {
        if (!same_file(fact, file) || line < fact.first_line || line > fact.last_line) {
            continue;
        }
        if (best == nullptr ||
            fact.last_line - fact.first_line < best->last_line - best->first_line) {
            best = &fact;
        }
    }
    return best;
}

std::string full_file_of(const llvm::DILocation& at) {
    if (llvm::sys::path::is_absolute(at.getFilename())) {
        return at.getFilename().str();
    }
    llvm::SmallString<256> path(at.getDirectory());
    llvm::sys::path::append(path, at.getFilename());
    return std::string(path);
}

const LoopBoundFact* fact_of_loop(const llvm::Loop& loop, const llvm::LoopInfo& loops,
                                  llvm::ArrayRef<LoopBoundFact> facts, unsigned& header_line) {
    std::map<const LoopBoundFact*, unsigned> votes;
    header_line = 0;
    for (const llvm::BasicBlock* block : loop.blocks()) {
        if (loops.getLoopFor(block) != &loop) {
            continue;
        }
        for (const llvm::Instruction& instruction : *block) {
            const llvm::DILocation* at = instruction.getDebugLoc().get();
            if (at == nullptr || at->getLine() == 0) {
                continue;
            }
            if (header_line == 0 && block == loop.getHeader()) {
                header_line = at->getLine();
            }
            // The line itself, not the lines it was inlined at, as the analyzer reads DWARF
            // line rows: an inlined helper's instructions vote for no loop. Every annotated loop
            // around the line gets the vote: an inner loop's set-up counts for the outer loop.
            const std::string file = full_file_of(*at);
            for (const LoopBoundFact& fact : facts) {
                if (same_file(fact, file) && fact.first_line <= at->getLine() &&
                    at->getLine() <= fact.last_line) {
                    ++votes[&fact];
                }
            }
        }
    }
    const LoopBoundFact* best = nullptr;
    unsigned best_votes = 0;
    for (const auto& [fact, count] : votes) {
        if (best == nullptr || count > best_votes ||
            (count == best_votes &&
             fact->last_line - fact->first_line < best->last_line - best->first_line)) {
            best = fact;
            best_votes = count;
        }
    }
    return best;
}

} // namespace clockwork::verifier
