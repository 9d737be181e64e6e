// Property 2 for allocate_aligned: for every power-of-two alignment it accepts and every size,
// the pointer it returns lies inside the arena with room for the request and is aligned to the
// alignment asked for; an alignment that is not a power of two gets null. Scope: one request
// from a fresh heap, as pointer_bounds.cpp.
#include <clockwork/cw_alloc.h>
#include <clockwork/verify.h>

namespace {
constexpr size_t kArena = size_t{1} << 16;
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[kArena];
} // namespace

CW_HARNESS {
    cw_heap_options options = cw_heap_default_options();
    options.validate = 0;
    cw_heap* heap = nullptr;
    cw_assume(cw_heap_init(arena, sizeof arena, &options, &heap) == CW_OK);

    const size_t size = cw_nondet<size_t>();
    const size_t alignment = cw_nondet<size_t>();
    void* p = cw_heap_allocate_aligned(heap, size, alignment);
    const bool power_of_two = alignment != 0 && (alignment & (alignment - 1)) == 0;
    if (!power_of_two) {
        cw_assert(p == nullptr, "aligned-refuses-non-power-of-two");
        return;
    }
    if (p != nullptr) {
        const uintptr_t at = reinterpret_cast<uintptr_t>(p);
        const uintptr_t begin = reinterpret_cast<uintptr_t>(arena);
        cw_assert(at >= begin && at <= begin + kArena && size <= begin + kArena - at,
                  "aligned-pointer-inside-arena");
        cw_assert(at % alignment == 0, "aligned-pointer-aligned");
    }
}
