// The workload every allocator in bench/ runs: a seeded trace of calls over a live set of
// blocks, generated before anything is timed so that every allocator sees the same calls.
#ifndef CLOCKWORK_BENCH_WORKLOAD_HPP
#define CLOCKWORK_BENCH_WORKLOAD_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace clockwork::bench {

inline constexpr uint64_t kDefaultSeed = 0xC10C'3E5E'EDB0'0001;

// splitmix64. The std:: distributions are implementation-defined, so with them the same seed
// would give another trace under another standard library.
class Rng {
  public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n). The modulo bias is below n / 2^64: far under anything measured here.
    uint64_t below(uint64_t n) { return next() % n; }

  private:
    uint64_t state_;
};

// Request sizes: a band is drawn by its share, then a size uniformly within it.
struct SizeBand {
    uint32_t percent;
    uint32_t min;
    uint32_t max;
};
inline constexpr SizeBand kSizeBands[] = {{70, 8, 128}, {25, 129, 2048}, {5, 2049, 16384}};
inline constexpr uint32_t kMaxRequest = 16384;

uint32_t draw_size(Rng& rng);
std::string describe_sizes(); // "70% 8-128 B, 25% 129-2048 B, 5% 2049-16384 B"

// One step of the steady state: free the block held in `slot`, then allocate `size` bytes and
// keep the new block in that slot.
struct Op {
    uint32_t slot;
    uint32_t size;
};

struct Trace {
    uint64_t seed = 0;
    std::vector<uint32_t> fill; // the initial live set: slot i starts with fill[i] bytes
    std::vector<Op> ops;
    size_t peak_live_bytes = 0; // highest sum of live request sizes over fill, then ops once
};

// live >= 1. Slots are replaced uniformly at random, so block lifetimes are geometric.
Trace make_trace(uint64_t seed, size_t live, size_t ops);

// Parses a decimal or 0x-prefixed unsigned number; false on anything else.
bool parse_u64(const char* text, uint64_t* out);

} // namespace clockwork::bench

#endif
