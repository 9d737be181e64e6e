// C++ interface of the Clockwork heap. Each member forwards to the C function of the same name
// in cw_alloc.h, which states its contract (complexity, worst-case structure, bad input,
// thread safety); the C functions are what the analyzer bounds. Freestanding.
#ifndef CLOCKWORK_HEAP_HPP
#define CLOCKWORK_HEAP_HPP

#include <clockwork/cw_alloc.h>
#include <clockwork/heap_geometry.hpp>

namespace clockwork {

enum class Status : int {
    ok = CW_OK,
    null_argument = CW_ERR_NULL_ARGUMENT,
    arena_misaligned = CW_ERR_ARENA_MISALIGNED,
    arena_too_small = CW_ERR_ARENA_TOO_SMALL,
    foreign_pointer = CW_ERR_FOREIGN_POINTER,
    misaligned_pointer = CW_ERR_MISALIGNED_POINTER,
    interior_pointer = CW_ERR_INTERIOR_POINTER,
    double_free = CW_ERR_DOUBLE_FREE,
};

using HeapOptions = cw_heap_options;
using HeapLock = cw_heap_lock;
using HeapDiagnostics = cw_heap_diagnostics;

// The geometry this build of the heap uses.
inline constexpr HeapGeometry kHeapGeometry{sizeof(void*), CW_HEAP_SPACING_LOG2,
                                            CW_HEAP_MAX_ARENA_LOG2};

// An arena of this many bytes never fails an allocation through fragmentation while the live
// requests add up to at most max_live bytes, each between min_request and max_request bytes.
// ~size_t(0) when no arena within CW_HEAP_MAX_ARENA_LOG2 suffices. See heap_geometry.hpp.
constexpr size_t worst_case_arena_size(size_t max_live, size_t max_request, size_t min_request = 1,
                                       bool validate = CW_HEAP_VALIDATE_DEFAULT != 0) {
    const unsigned long long arena =
        kHeapGeometry.worst_case_arena_size(max_live, max_request, min_request, validate);
    return arena > static_cast<size_t>(-1) ? static_cast<size_t>(-1) : static_cast<size_t>(arena);
}

class Heap {
  public:
    Heap() = default;

    static HeapOptions default_options() { return cw_heap_default_options(); }
    static size_t min_arena_size(bool validate = CW_HEAP_VALIDATE_DEFAULT != 0) {
        return cw_heap_min_arena_size(validate ? 1 : 0);
    }

    Status init(void* arena, size_t size) { return init(arena, size, default_options()); }
    Status init(void* arena, size_t size, const HeapOptions& options) {
        return static_cast<Status>(cw_heap_init(arena, size, &options, &heap_));
    }
    bool initialized() const { return heap_ != nullptr; }

    void* allocate(size_t n) { return cw_heap_allocate(heap_, n); }
    void* allocate_aligned(size_t n, size_t alignment) {
        return cw_heap_allocate_aligned(heap_, n, alignment);
    }
    void* reallocate(void* p, size_t n, Status* status = nullptr) {
        cw_status raw = CW_OK;
        void* result = cw_heap_reallocate(heap_, p, n, &raw);
        if (status != nullptr) {
            *status = static_cast<Status>(raw);
        }
        return result;
    }
    Status free(void* p) { return static_cast<Status>(cw_heap_free(heap_, p)); }

    size_t max_allocation_size() const { return cw_heap_max_allocation_size(heap_); }
    size_t largest_free_block() const { return cw_heap_largest_free_block(heap_); }
    HeapDiagnostics diagnostics() const {
        HeapDiagnostics d{};
        cw_heap_get_diagnostics(heap_, &d);
        return d;
    }
    bool invariants_hold() const { return cw_heap_invariants_hold(heap_) != 0; }

    cw_heap* c_handle() const { return heap_; }

  private:
    cw_heap* heap_ = nullptr;
};

} // namespace clockwork

#endif
