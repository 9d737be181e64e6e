// The flow facts of the shipped allocator, read as the cross builds compile it.
#include <clockwork/analyzer/source/flow_facts.hpp>

#include <gtest/gtest.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/MemoryBuffer.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using clockwork::analyzer::source::collect_flow_facts_with_args;
using clockwork::analyzer::source::FlowFacts;
using clockwork::analyzer::source::LoopFact;
using clockwork::analyzer::source::Rule;
using clockwork::analyzer::source::rule_name;
using clockwork::analyzer::source::RuleBreach;

const std::string kHeap = std::string(CLOCKWORK_SOURCE_DIR) + "/alloc/src/heap.cpp";

std::vector<std::string> heap_args(const std::string& target) {
    const std::string include = std::string(CLOCKWORK_SOURCE_DIR) + "/alloc/include";
    std::vector<std::string> args = {"-I" + include, "-std=c++20", "-ffreestanding", "-nostdinc++",
                                     "-DCW_HEAP_SPACING_LOG2=3"};
    if (!target.empty()) {
        args.push_back("--target=" + target);
    }
    return args;
}

std::vector<std::string> heap_lines() {
    std::vector<std::string> lines;
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(kHeap);
    if (!buffer) {
        ADD_FAILURE() << kHeap << ": " << buffer.getError().message();
        return lines;
    }
    llvm::StringRef text = (*buffer)->getBuffer();
    while (!text.empty()) {
        auto [line, rest] = text.split('\n');
        lines.push_back(line.str());
        text = rest;
    }
    return lines;
}

// Lines (1-based) whose code, comments aside, contains `needle`.
std::set<unsigned> code_lines_containing(llvm::StringRef needle) {
    std::set<unsigned> found;
    const std::vector<std::string> lines = heap_lines();
    for (size_t i = 0; i < lines.size(); ++i) {
        const llvm::StringRef code = llvm::StringRef(lines[i]).split("//").first;
        if (code.contains(needle)) {
            found.insert(static_cast<unsigned>(i + 1));
        }
    }
    return found;
}

std::string describe_loops(const FlowFacts& facts) {
    std::ostringstream out;
    for (const LoopFact& loop : facts.loops) {
        out << "  heap.cpp:" << loop.loop_line << " " << loop.function << " depth " << loop.depth
            << ": " << (loop.bounded ? "max " + std::to_string(loop.max) : "UNBOUNDED") << "\n";
    }
    return out.str();
}

struct HeapFacts {
    FlowFacts facts;
    double milliseconds = 0;
};

HeapFacts collect_heap(const std::string& target) {
    const auto start = std::chrono::steady_clock::now();
    llvm::Expected<FlowFacts> facts = collect_flow_facts_with_args({kHeap}, heap_args(target));
    const auto stop = std::chrono::steady_clock::now();
    HeapFacts result;
    result.milliseconds = std::chrono::duration<double, std::milli>(stop - start).count();
    if (!facts) {
        ADD_FAILURE() << llvm::toString(facts.takeError());
        return result;
    }
    result.facts = std::move(*facts);
    std::printf("heap.cpp (%s): %zu loops, %zu breaches in %.0f ms\n%s",
                target.empty() ? "host" : target.c_str(), result.facts.loops.size(),
                result.facts.breaches.size(), result.milliseconds,
                describe_loops(result.facts).c_str());
    return result;
}

void expect_heap_facts(const HeapFacts& heap) {
    const FlowFacts& facts = heap.facts;
    // Every loop has a bound, and every CW_LOOP_BOUND is claimed by a loop.
    EXPECT_EQ(facts.loops.size(), code_lines_containing("CW_LOOP_BOUND(").size())
        << describe_loops(facts);
    for (const LoopFact& loop : facts.loops) {
        EXPECT_TRUE(loop.bounded) << "heap.cpp:" << loop.loop_line << " in " << loop.function
                                  << " has no bound; all loops:\n"
                                  << describe_loops(facts);
        EXPECT_EQ(loop.file, kHeap);
        EXPECT_FALSE(loop.linkage_name.empty()) << "heap.cpp:" << loop.loop_line;
    }

    // The only construct the source rules object to is the caller's lock: the analyzer decides
    // how to bound those two calls.
    std::set<unsigned> lock_calls = code_lines_containing("lock.enter(");
    const std::set<unsigned> exits = code_lines_containing("lock.exit(");
    lock_calls.insert(exits.begin(), exits.end());
    std::set<unsigned> pointer_calls;
    for (const RuleBreach& breach : facts.breaches) {
        EXPECT_EQ(breach.rule, Rule::function_pointer_call)
            << "heap.cpp:" << breach.line << " " << rule_name(breach.rule).str() << ": "
            << breach.message;
        pointer_calls.insert(breach.line);
    }
    EXPECT_EQ(pointer_calls, lock_calls);
    EXPECT_EQ(facts.breaches.size(), lock_calls.size());

    // Reading sources is a small part of the 5 s that a whole analysis of every target may take.
    EXPECT_LT(heap.milliseconds, 2000.0);
}

const LoopFact* copy_loop(const FlowFacts& facts) {
    for (const LoopFact& loop : facts.loops) {
        if (loop.function == "(anonymous namespace)::copy_words") {
            return &loop;
        }
    }
    return nullptr;
}

TEST(HeapFlowFacts, EveryLoopIsBoundedOnTheHost) {
    const HeapFacts heap = collect_heap("");
    expect_heap_facts(heap);
    // kMaxCopyWords = 2^CW_HEAP_MAX_ARENA_LOG2 / sizeof(Word): 2^40 / 8 on a 64-bit target.
    const LoopFact* copy = copy_loop(heap.facts);
    ASSERT_NE(copy, nullptr) << describe_loops(heap.facts);
    EXPECT_EQ(copy->max, (uint64_t{1} << 40) / 8);
}

TEST(HeapFlowFacts, EveryLoopIsBoundedOnCortexM4) {
    const HeapFacts heap = collect_heap("thumbv7em-none-eabi");
    expect_heap_facts(heap);
    // The bound follows the target: 2^24 / 4 with 32-bit pointers.
    const LoopFact* copy = copy_loop(heap.facts);
    ASSERT_NE(copy, nullptr) << describe_loops(heap.facts);
    EXPECT_EQ(copy->max, (uint64_t{1} << 24) / 4);
}

} // namespace
