// What the heap tests share: arenas, options, and the block layout the heap's geometry implies,
// so that exact expectations are derived from the same constexpr functions the heap uses.
#ifndef CLOCKWORK_TESTS_ALLOC_HEAP_TEST_SUPPORT_HPP
#define CLOCKWORK_TESTS_ALLOC_HEAP_TEST_SUPPORT_HPP

#include <clockwork/heap.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <ostream>

namespace clockwork::test {

inline constexpr size_t kGranule = CW_HEAP_ALIGNMENT;
inline constexpr size_t kHeader = kHeapGeometry.header_size();
inline constexpr size_t kMinBlock = kHeapGeometry.min_block_size();
inline constexpr size_t kClassesPerOctave = size_t{1} << CW_HEAP_SPACING_LOG2;

// Exactly `bytes` of storage on the C++ heap, so that AddressSanitizer sees any access past
// either end of the arena. Aligned well beyond CW_HEAP_ALIGNMENT so tests can misalign it.
class Arena {
  public:
    static constexpr size_t kAlignment = 4096;

    explicit Arena(size_t bytes)
        : data_(static_cast<unsigned char*>(::operator new (bytes, std::align_val_t{kAlignment}))),
          size_(bytes) {
        std::memset(data_, 0, bytes);
    }
    ~Arena() { ::operator delete (data_, std::align_val_t{kAlignment}); }
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;

    unsigned char* data() const { return data_; }
    size_t size() const { return size_; }
    unsigned char* end() const { return data_ + size_; }

  private:
    unsigned char* data_;
    size_t size_;
};

inline HeapOptions with_validation(bool on) {
    HeapOptions options = Heap::default_options();
    options.validate = on ? 1 : 0;
    return options;
}

// The block a request of n bytes is served with when the free block it comes from splits.
constexpr size_t block_size(size_t n) {
    return static_cast<size_t>(kHeapGeometry.block_size(n));
}

constexpr size_t round_up_to_granule(size_t bytes) {
    return (bytes + kGranule - 1) & ~(kGranule - 1);
}

// What largest_free_block() answers when the largest free block has `bytes`: the largest
// request whose block is the lower bound of that block's class.
constexpr size_t largest_request_served_by(size_t bytes) {
    return static_cast<size_t>(kHeapGeometry.lower_bound(kHeapGeometry.class_of(bytes))) - kHeader;
}

// Where the blocks lie in an arena of `size` bytes: after the control structure, the start
// map (with validation) and the start sentinel; before the end sentinel.
struct BlockSpace {
    uintptr_t begin; // header of the first block
    uintptr_t end;   // header of the end sentinel

    size_t capacity() const { return static_cast<size_t>(end - begin); }
    // Payloads check_pointer accepts lie in [begin + header, end).
    bool holds_payload(uintptr_t p) const { return p >= begin + kHeader && p < end; }
};

inline BlockSpace block_space(const void* arena, size_t size, bool validate) {
    const size_t used = std::min<unsigned long long>(size, kHeapGeometry.max_arena_size()) &
                        ~static_cast<unsigned long long>(kGranule - 1);
    const size_t map = validate ? static_cast<size_t>(kHeapGeometry.start_map_size(used)) : 0;
    const uintptr_t base = reinterpret_cast<uintptr_t>(arena);
    return {base + static_cast<size_t>(kHeapGeometry.control_size()) + map + kHeader,
            base + used - kHeader};
}

inline bool aligned_to(const void* p, size_t alignment) {
    return reinterpret_cast<uintptr_t>(p) % alignment == 0;
}

} // namespace clockwork::test

// In the global namespace, where argument-dependent lookup finds them for the C struct, so that
// EXPECT_EQ compares whole diagnostics and prints every field of a mismatch.
inline bool operator==(const cw_heap_diagnostics& a, const cw_heap_diagnostics& b) {
    return a.capacity == b.capacity && a.allocated == b.allocated &&
           a.peak_allocated == b.peak_allocated && a.peak_request == b.peak_request &&
           a.oom_count == b.oom_count && a.invalid_free_count == b.invalid_free_count &&
           a.free_block_count == b.free_block_count;
}

inline void PrintTo(const cw_heap_diagnostics& d, std::ostream* os) {
    *os << "{capacity " << d.capacity << ", allocated " << d.allocated << ", peak_allocated "
        << d.peak_allocated << ", peak_request " << d.peak_request << ", oom_count " << d.oom_count
        << ", invalid_free_count " << d.invalid_free_count << ", free_block_count "
        << d.free_block_count << "}";
}

#endif
