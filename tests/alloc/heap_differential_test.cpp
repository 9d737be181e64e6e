// Randomized differential test: a million calls per seed against a reference model that knows
// every live block's address and size, and therefore every free block (the gaps between live
// blocks: free blocks are never adjacent). From the model it predicts, exactly, whether each
// call succeeds, where an in-place reallocate stays, each refused pointer's status, the free
// block count and largest_free_block(); contents of every block are checked when it is freed
// or moved. Replay a failure with CLOCKWORK_SEED=<seed> and --gtest_filter=<the test>.
#include "heap_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace clockwork::test {
namespace {

constexpr uint64_t kDefaultSeeds[] = {0x5EED0000C10C3001u, 0x5EED0000C10C3002u,
                                      0x5EED0000C10C3003u};

#ifdef CLOCKWORK_SANITIZED
// The sanitizers slow every call about tenfold and the whole-heap check runs after every call.
constexpr size_t kOperations = 200'000;
constexpr size_t kInvariantsEvery = 1;
#else
constexpr size_t kOperations = 1'000'000;
constexpr size_t kInvariantsEvery = 1024;
#endif

// splitmix64: the same sequence on every platform and standard library.
class Rng {
  public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        return z ^ (z >> 31);
    }
    size_t below(size_t n) { return static_cast<size_t>(next() % n); }
    bool percent(unsigned p) { return next() % 100 < p; }

  private:
    uint64_t state_;
};

struct Config {
    const char* name;
    size_t arena;
    bool validate;
    bool lock;
    size_t small_max;  // 70% of requests
    size_t medium_max; // 25%
    size_t large_max;  // 5%
    unsigned max_alignment_log2;
};

const Config kConfigs[] = {
    // Just above the minimum: most large requests fail, the free list is short and busy.
    {"Small", cw_heap_min_arena_size(1) + 4096, true, false, 48, 256, 2048, 10},
    {"Medium", 64 << 10, false, true, 128, 1024, 16384, 12},
    {"Large", 1 << 20, true, false, 256, 4096, 65536, 16},
};

uint64_t seed_from_environment(uint64_t fallback) {
    const char* text = std::getenv("CLOCKWORK_SEED");
    return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 0) : fallback;
}

bool seed_overridden() {
    const char* text = std::getenv("CLOCKWORK_SEED");
    return text != nullptr && *text != '\0';
}

// Block contents: a window into one random byte string, at an offset drawn from the block's id.
class Pattern {
  public:
    static constexpr size_t kSpan = 1 << 20;
    static constexpr size_t kLongestBlock = 1 << 20;

    Pattern() : bytes_(kSpan + kLongestBlock) {
        Rng rng(0xC0FFEE);
        for (unsigned char& b : bytes_) {
            b = static_cast<unsigned char>(rng.next() >> 56);
        }
    }
    const unsigned char* of(uint64_t id) const {
        return bytes_.data() + (id * 0x9E3779B1u) % kSpan;
    }

  private:
    std::vector<unsigned char> bytes_;
};

const Pattern& pattern() {
    static const Pattern p;
    return p;
}

struct LockCount {
    uint64_t enters = 0;
    uint64_t exits = 0;
    static void enter(void* c) { ++static_cast<LockCount*>(c)->enters; }
    static void exit(void* c) { ++static_cast<LockCount*>(c)->exits; }
};

enum Call : unsigned {
    kAllocate,
    kAllocateFailed,
    kAligned,
    kAlignedFailed,
    kAlignedRefused,
    kReallocateShrink,
    kReallocateGrowInPlace,
    kReallocateMoved,
    kReallocateFailed,
    kReallocateToZero,
    kReallocateNull,
    kFree,
    kRefusedForeign,
    kRefusedMisaligned,
    kRefusedInterior,
    kRefusedDoubleFree,
    kCallKinds
};

constexpr const char* kCallNames[kCallKinds] = {"allocate",
                                                "allocate failed",
                                                "aligned",
                                                "aligned failed",
                                                "aligned refused",
                                                "reallocate shrink",
                                                "reallocate grow in place",
                                                "reallocate moved",
                                                "reallocate failed",
                                                "reallocate to 0",
                                                "reallocate null",
                                                "free",
                                                "refused foreign",
                                                "refused misaligned",
                                                "refused interior",
                                                "refused double free"};

struct LiveBlock {
    size_t size;      // block bytes, header included, as the heap accounts them
    size_t request;   // bytes asked for: what the contents cover
    size_t alignment; // what the payload address must be a multiple of
    uint64_t id;
    size_t slot; // index in Differential::slots_
};

class Differential {
  public:
    Differential(const Config& config, uint64_t seed)
        : config_(config), seed_(seed), rng_(seed), arena_(config.arena), elsewhere_(256) {}

    void run(size_t operations) {
        HeapOptions options = with_validation(config_.validate);
        if (config_.lock) {
            options.lock = HeapLock{&LockCount::enter, &LockCount::exit, &lock_};
        }
        ASSERT_EQ(heap_.init(arena_.data(), arena_.size(), options), Status::ok);
        space_ = block_space(arena_.data(), arena_.size(), config_.validate);
        max_request_ = heap_.max_allocation_size();
        ASSERT_EQ(heap_.diagnostics().capacity, space_.capacity());
        gaps_.insert(space_.capacity());
        last_ = heap_.diagnostics();

        for (op_ = 0; op_ < operations; ++op_) {
            if (op_ % 4096 == 0) {
                target_ = space_.capacity() / 1000 * (50 + rng_.below(1250));
            }
            step();
            if (::testing::Test::HasFatalFailure()) {
                return;
            }
            check_consistency();
            if (::testing::Test::HasFatalFailure()) {
                return;
            }
            if (op_ % kInvariantsEvery == 0) {
                ASSERT_TRUE(heap_.invariants_hold()) << where();
            }
        }
        // Drain: every block still holds its contents and the heap returns to one free block.
        while (!slots_.empty()) {
            describe("drain free");
            free_live(slots_.back());
            if (::testing::Test::HasFatalFailure()) {
                return;
            }
            check_consistency();
        }
        ASSERT_EQ(gaps_.size(), 1u);
        ASSERT_TRUE(heap_.invariants_hold());
        if (config_.lock) {
            EXPECT_EQ(lock_.enters, lock_.exits);
            EXPECT_GT(lock_.enters, operations);
        }
    }

    uint64_t count(Call call) const { return counts_[call]; }

  private:
    // --- what the model predicts ------------------------------------------------------------

    size_t expected_largest_free_block() const {
        return gaps_.empty() ? 0 : largest_request_served_by(*gaps_.rbegin());
    }

    // The free block right after the live block at `header`, or 0.
    size_t gap_after(std::map<uintptr_t, LiveBlock>::const_iterator it) const {
        const uintptr_t end = it->first + it->second.size;
        const auto next = std::next(it);
        return (next == blocks_.end() ? space_.end : next->first) - end;
    }

    // What validation says of p: OK only for a live block's payload.
    cw_status expected_status(uintptr_t p) const {
        if (!space_.holds_payload(p)) {
            return CW_ERR_FOREIGN_POINTER;
        }
        if (p % kGranule != 0) {
            return CW_ERR_MISALIGNED_POINTER;
        }
        const uintptr_t header = p - kHeader;
        const auto next = blocks_.lower_bound(header);
        if (next != blocks_.end() && next->first == header) {
            return CW_OK;
        }
        const uintptr_t prev_end = next == blocks_.begin()
                                       ? space_.begin
                                       : std::prev(next)->first + std::prev(next)->second.size;
        const uintptr_t next_start = next == blocks_.end() ? space_.end : next->first;
        return header == prev_end && prev_end < next_start ? CW_ERR_DOUBLE_FREE
                                                           : CW_ERR_INTERIOR_POINTER;
    }

    // --- the model's bookkeeping -------------------------------------------------------------

    void take_gap(size_t size) {
        const auto it = gaps_.find(size);
        ASSERT_NE(it, gaps_.end()) << "model lost a free block of " << size << where();
        gaps_.erase(it);
    }

    // Records a block the heap handed out; it must lie wholly inside one free block.
    void occupy(uintptr_t header, LiveBlock block) {
        ASSERT_GE(header, space_.begin) << "block before the block space" << where();
        ASSERT_LE(header + block.size, space_.end) << "block past the block space" << where();
        const auto next = blocks_.lower_bound(header);
        const uintptr_t prev_end = next == blocks_.begin()
                                       ? space_.begin
                                       : std::prev(next)->first + std::prev(next)->second.size;
        const uintptr_t next_start = next == blocks_.end() ? space_.end : next->first;
        ASSERT_LE(prev_end, header) << "overlaps the block before" << where();
        ASSERT_LE(header + block.size, next_start) << "overlaps the block after" << where();
        take_gap(next_start - prev_end);
        if (header > prev_end) {
            gaps_.insert(header - prev_end);
        }
        if (next_start > header + block.size) {
            gaps_.insert(next_start - header - block.size);
        }
        block.slot = slots_.size();
        slots_.push_back(header);
        allocated_ += block.size;
        blocks_.emplace(header, block);
    }

    LiveBlock release(uintptr_t header) {
        const auto it = blocks_.find(header);
        const LiveBlock block = it->second;
        const uintptr_t prev_end = it == blocks_.begin()
                                       ? space_.begin
                                       : std::prev(it)->first + std::prev(it)->second.size;
        const auto next = std::next(it);
        const uintptr_t next_start = next == blocks_.end() ? space_.end : next->first;
        if (header > prev_end) {
            take_gap(header - prev_end);
        }
        if (next_start > header + block.size) {
            take_gap(next_start - header - block.size);
        }
        gaps_.insert(next_start - prev_end);
        blocks_.erase(it);
        const uintptr_t last = slots_.back();
        slots_.pop_back();
        if (last != header) {
            slots_[block.slot] = last;
            blocks_.find(last)->second.slot = block.slot;
        }
        allocated_ -= block.size;
        return block;
    }

    // --- the calls -----------------------------------------------------------------------------

    size_t draw_size() {
        const unsigned kind = static_cast<unsigned>(rng_.below(1000));
        if (kind < 2) { // beyond anything the heap serves, overflow included
            return rng_.percent(50) ? SIZE_MAX - rng_.below(4 * kGranule)
                                    : max_request_ + 1 + rng_.below(1000);
        }
        const size_t limit = kind < 700   ? config_.small_max
                             : kind < 950 ? config_.medium_max
                                          : config_.large_max;
        return 1 + rng_.below(limit);
    }

    size_t draw_alignment() {
        if (rng_.percent(3)) { // not a power of two
            return rng_.percent(10) ? 0 : (size_t{3} << rng_.below(12)) + rng_.below(2);
        }
        return size_t{1} << rng_.below(config_.max_alignment_log2 + 1);
    }

    void step() {
        const bool fill = last_.allocated < target_;
        const unsigned roll = static_cast<unsigned>(rng_.below(100));
        if (config_.validate && roll < 3) {
            bad_pointer();
        } else if (slots_.empty() || roll < (fill ? 45u : 15u)) {
            allocate();
        } else if (roll < (fill ? 57u : 22u)) {
            allocate_aligned();
        } else if (roll < (fill ? 77u : 42u)) {
            reallocate();
        } else {
            describe("free");
            free_live(slots_[rng_.below(slots_.size())]);
        }
    }

    void fill_contents(unsigned char* p, const LiveBlock& block, size_t from) {
        std::memcpy(p + from, pattern().of(block.id) + from, block.request - from);
    }

    void expect_contents(const unsigned char* p, const LiveBlock& block, size_t bytes) {
        ASSERT_EQ(std::memcmp(p, pattern().of(block.id), bytes), 0)
            << "contents of block " << block.id << " (" << block.request << " bytes) changed"
            << where();
    }

    void note_request(size_t n) {
        if (n > peak_request_) {
            peak_request_ = n;
        }
    }

    // A new block: where it lies, how large, aligned how, filled with its pattern.
    void adopt(void* p, size_t n, size_t alignment, size_t size) {
        const uintptr_t address = reinterpret_cast<uintptr_t>(p);
        ASSERT_EQ(address % CW_HEAP_ALIGNMENT, 0u) << where();
        ASSERT_EQ(address % alignment, 0u) << "alignment " << alignment << where();
        ASSERT_GE(size, round_up_to_granule(n + kHeader)) << "block too small" << where();
        ASSERT_LE(size, block_size(n) + kGranule) << "block larger than its class" << where();
        const LiveBlock block{size, n, alignment, next_id_++, 0};
        occupy(address - kHeader, block);
        fill_contents(static_cast<unsigned char*>(p), block, 0);
    }

    void allocate() {
        const size_t n = draw_size();
        describe("allocate", n);
        const size_t largest = heap_.largest_free_block();
        note_request(n);
        void* p = heap_.allocate(n);
        ASSERT_EQ(p != nullptr, n <= largest)
            << "largest_free_block() was " << largest << " for a request of " << n << where();
        if (p == nullptr) {
            ++oom_;
            ++counts_[kAllocateFailed];
            return;
        }
        ++counts_[kAllocate];
        const size_t size = heap_.diagnostics().allocated - allocated_;
        ASSERT_GE(size, block_size(n)) << where();
        adopt(p, n, 1, size);
    }

    void allocate_aligned() {
        const size_t n = draw_size();
        const size_t alignment = draw_alignment();
        describe("allocate_aligned", n, alignment);
        const size_t largest = heap_.largest_free_block();
        void* p = heap_.allocate_aligned(n, alignment);
        if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
            ASSERT_EQ(p, nullptr) << where();
            ++counts_[kAlignedRefused];
            return;
        }
        note_request(n);
        // cw_alloc.h: above the heap's own alignment the request takes n + alignment + granule.
        const bool fits = alignment <= kGranule
                              ? n <= largest
                              : n <= largest && alignment + kGranule <= largest - n;
        ASSERT_EQ(p != nullptr, fits) << "largest_free_block() was " << largest << where();
        if (p == nullptr) {
            ++oom_;
            ++counts_[kAlignedFailed];
            return;
        }
        ++counts_[kAligned];
        transient_peak_ = alignment > kGranule;
        adopt(p, n, alignment, heap_.diagnostics().allocated - allocated_);
    }

    void reallocate() {
        if (rng_.percent(2)) {
            const size_t n = draw_size();
            describe("reallocate null", n);
            const size_t largest = heap_.largest_free_block();
            note_request(n);
            Status status = Status::double_free;
            void* p = heap_.reallocate(nullptr, n, &status);
            ASSERT_EQ(status, Status::ok) << where();
            ASSERT_EQ(p != nullptr, n <= largest) << where();
            if (p == nullptr) {
                ++oom_;
                return;
            }
            ++counts_[kReallocateNull];
            adopt(p, n, 1, heap_.diagnostics().allocated - allocated_);
            return;
        }
        const uintptr_t header = slots_[rng_.below(slots_.size())];
        const auto it = blocks_.find(header);
        const LiveBlock old = it->second;
        auto* p = reinterpret_cast<unsigned char*>(header + kHeader);
        const unsigned kind = static_cast<unsigned>(rng_.below(100));
        const size_t n = kind < 8    ? 0
                         : kind < 50 ? 1 + rng_.below(old.request)
                                     : old.request + draw_size();
        const size_t n_checked = n < old.request ? n : old.request; // draw_size may overflow
        describe("reallocate", n, old.request);
        expect_contents(p, old, old.request);
        if (::testing::Test::HasFatalFailure()) {
            return;
        }
        const size_t largest = heap_.largest_free_block();
        const size_t next_gap = gap_after(it);
        Status status = Status::double_free;
        void* q = heap_.reallocate(p, n, &status);
        ASSERT_EQ(status, Status::ok) << where();
        if (n == 0) {
            ASSERT_EQ(q, nullptr) << where();
            ++counts_[kReallocateToZero];
            remember_freed(p);
            release(header);
            return;
        }
        note_request(n);
        const size_t need = n <= max_request_ ? round_up_to_granule(n + kHeader) : 0;
        const bool in_place =
            n <= max_request_ && (need <= old.size || need - old.size <= next_gap);
        const bool moves = n <= max_request_ && !in_place && n <= largest;
        if (in_place) {
            ASSERT_EQ(q, p) << "in place: block " << old.size << " next free " << next_gap
                            << where();
            ++counts_[need <= old.size ? kReallocateShrink : kReallocateGrowInPlace];
            transient_peak_ = need > old.size;
        } else if (moves) {
            ASSERT_NE(q, nullptr) << "largest_free_block() was " << largest << where();
            ASSERT_NE(q, p) << where();
            ++counts_[kReallocateMoved];
            transient_peak_ = true; // both blocks are allocated during the copy
        } else {
            ASSERT_EQ(q, nullptr) << "largest_free_block() was " << largest << " next free "
                                  << next_gap << where();
            ++oom_;
            ++counts_[kReallocateFailed];
            expect_contents(p, old, old.request);
            return;
        }
        LiveBlock moved = release(header);
        const size_t size = heap_.diagnostics().allocated - allocated_;
        if (q != p) {
            remember_freed(p);
            moved.alignment = 1;
        }
        moved.request = n;
        moved.size = size;
        ASSERT_GE(size, round_up_to_granule(n + kHeader)) << where();
        ASSERT_LE(size, block_size(n) + kGranule) << where();
        auto* to = static_cast<unsigned char*>(q);
        ASSERT_EQ(std::memcmp(to, pattern().of(moved.id), n_checked), 0)
            << "reallocate lost contents" << where();
        ASSERT_EQ(reinterpret_cast<uintptr_t>(q) % moved.alignment, 0u) << where();
        occupy(reinterpret_cast<uintptr_t>(q) - kHeader, moved);
        if (n > old.request) {
            fill_contents(to, moved, old.request);
        }
    }

    void free_live(uintptr_t header) {
        const LiveBlock& block = blocks_.find(header)->second;
        auto* p = reinterpret_cast<unsigned char*>(header + kHeader);
        expect_contents(p, block, block.request);
        if (::testing::Test::HasFatalFailure()) {
            return;
        }
        ASSERT_EQ(heap_.free(p), Status::ok) << where();
        ++counts_[kFree];
        remember_freed(p);
        release(header);
    }

    void remember_freed(void* p) {
        freed_[freed_next_++ % std::size(freed_)] = reinterpret_cast<uintptr_t>(p);
    }

    void bad_pointer() {
        uintptr_t q = 0;
        switch (rng_.below(4)) {
        case 0:
            q = freed_[rng_.below(std::size(freed_))];
            break;
        case 1:
            if (!slots_.empty()) {
                const LiveBlock& b = blocks_.find(slots_[rng_.below(slots_.size())])->second;
                q = slots_[b.slot] + kHeader + 1 + rng_.below(b.size - kHeader - 1);
            }
            break;
        case 2:
            q = reinterpret_cast<uintptr_t>(arena_.data()) - 64 + rng_.below(arena_.size() + 128);
            break;
        default:
            q = reinterpret_cast<uintptr_t>(elsewhere_.data()) + rng_.below(64);
            break;
        }
        const cw_status expected = expected_status(q);
        if (q == 0 || expected == CW_OK) {
            return;
        }
        const bool through_reallocate = rng_.percent(30);
        describe(through_reallocate ? "reallocate bad pointer" : "free bad pointer", q);
        const size_t largest = heap_.largest_free_block();
        cw_status status = CW_OK;
        if (through_reallocate) {
            ASSERT_EQ(cw_heap_reallocate(heap_.c_handle(), reinterpret_cast<void*>(q),
                                         rng_.below(300), &status),
                      nullptr)
                << where();
        } else {
            status = cw_heap_free(heap_.c_handle(), reinterpret_cast<void*>(q));
        }
        ASSERT_EQ(status, expected)
            << "pointer offset " << static_cast<intptr_t>(q - space_.begin) << where();
        ASSERT_EQ(heap_.largest_free_block(), largest) << where();
        ++invalid_;
        ++counts_[expected == CW_ERR_FOREIGN_POINTER      ? kRefusedForeign
                  : expected == CW_ERR_MISALIGNED_POINTER ? kRefusedMisaligned
                  : expected == CW_ERR_INTERIOR_POINTER   ? kRefusedInterior
                                                          : kRefusedDoubleFree];
    }

    void check_consistency() {
        const HeapDiagnostics d = heap_.diagnostics();
        ASSERT_EQ(d.allocated, allocated_) << where();
        ASSERT_EQ(d.free_block_count, gaps_.size()) << "free blocks" << where();
        ASSERT_EQ(d.oom_count, oom_) << where();
        ASSERT_EQ(d.invalid_free_count, invalid_) << where();
        ASSERT_EQ(d.peak_request, peak_request_) << where();
        ASSERT_EQ(d.capacity, space_.capacity()) << where();
        // Aligned carving and in-place growth count their transient block in peak_allocated
        // (heap_diagnostics_test pins that down); every other call must keep it exact.
        const size_t expected_peak = std::max(last_.peak_allocated, d.allocated);
        if (transient_peak_) {
            ASSERT_GE(d.peak_allocated, expected_peak) << where();
        } else {
            ASSERT_EQ(d.peak_allocated, expected_peak) << where();
        }
        transient_peak_ = false;
        ASSERT_EQ(heap_.largest_free_block(), expected_largest_free_block()) << where();
        if (!gaps_.empty()) {
            ASSERT_GE(*gaps_.begin(), kMinBlock) << "a free block below the minimum" << where();
        }
        last_ = d;
    }

    void describe(const char* what, uint64_t a = 0, uint64_t b = 0) {
        what_ = what;
        arg_a_ = a;
        arg_b_ = b;
    }

    std::string where() const {
        std::ostringstream out;
        out << "\n  at operation " << op_ << ": " << what_ << "(" << arg_a_ << ", " << arg_b_
            << "), config " << config_.name << ", CLOCKWORK_SEED=0x" << std::hex << seed_;
        return out.str();
    }

    const Config& config_;
    uint64_t seed_;
    Rng rng_;
    Arena arena_;
    Arena elsewhere_;
    Heap heap_;
    LockCount lock_;
    BlockSpace space_{};
    size_t max_request_ = 0;

    std::map<uintptr_t, LiveBlock> blocks_; // by header address
    std::vector<uintptr_t> slots_;          // live headers, for drawing one at random
    std::multiset<size_t> gaps_;            // sizes of the free blocks
    uintptr_t freed_[64] = {};
    size_t freed_next_ = 0;
    uint64_t next_id_ = 1;

    size_t allocated_ = 0;
    size_t peak_request_ = 0;
    uint32_t oom_ = 0;
    uint32_t invalid_ = 0;
    HeapDiagnostics last_{};
    bool transient_peak_ = false;
    size_t target_ = 0;

    size_t op_ = 0;
    const char* what_ = "init";
    uint64_t arg_a_ = 0;
    uint64_t arg_b_ = 0;
    uint64_t counts_[kCallKinds] = {};
};

class HeapDifferential : public ::testing::TestWithParam<std::tuple<size_t, size_t>> {};

TEST_P(HeapDifferential, MatchesTheReferenceModel) {
    const Config& config = kConfigs[std::get<0>(GetParam())];
    const size_t seed_index = std::get<1>(GetParam());
    if (seed_overridden() && seed_index != 0) {
        GTEST_SKIP() << "CLOCKWORK_SEED replays one seed";
    }
    const uint64_t seed = seed_from_environment(kDefaultSeeds[seed_index]);
    std::ostringstream trace;
    trace << "CLOCKWORK_SEED=0x" << std::hex << seed << " config " << config.name;
    SCOPED_TRACE(trace.str());

    Differential differential(config, seed);
    differential.run(kOperations);
    if (HasFailure()) {
        return;
    }
    std::ostringstream summary;
    for (unsigned call = 0; call < kCallKinds; ++call) {
        summary << kCallNames[call] << " " << differential.count(static_cast<Call>(call)) << "; ";
    }
    RecordProperty("operations", std::to_string(kOperations));
    RecordProperty("calls", summary.str());
    // Each kind of call must really have happened, or the run proved little.
    for (const Call needed :
         {kAllocate, kAllocateFailed, kAligned, kAlignedRefused, kReallocateShrink,
          kReallocateGrowInPlace, kReallocateMoved, kReallocateFailed, kFree}) {
        EXPECT_GT(differential.count(needed), 0u)
            << kCallNames[needed] << " never happened: " << summary.str();
    }
    if (config.validate) {
        for (const Call needed :
             {kRefusedForeign, kRefusedMisaligned, kRefusedInterior, kRefusedDoubleFree}) {
            EXPECT_GT(differential.count(needed), 0u)
                << kCallNames[needed] << " never happened: " << summary.str();
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, HeapDifferential,
                         ::testing::Combine(::testing::Range<size_t>(0, std::size(kConfigs)),
                                            ::testing::Range<size_t>(0, std::size(kDefaultSeeds))),
                         [](const ::testing::TestParamInfo<std::tuple<size_t, size_t>>& info) {
                             return std::string(kConfigs[std::get<0>(info.param)].name) + "Seed" +
                                    std::to_string(std::get<1>(info.param));
                         });

} // namespace
} // namespace clockwork::test
