// Property 2 for allocate: every pointer it returns lies inside the arena with room for the
// request and is aligned to CW_HEAP_ALIGNMENT. Scope: one request of any size from a fresh
// heap (a heap state built by earlier symbolic requests is beyond what the solver decides in
// the test budget; see docs/verifier.md).
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
    void* p = cw_heap_allocate(heap, size);
    if (p != nullptr) {
        const uintptr_t at = reinterpret_cast<uintptr_t>(p);
        const uintptr_t begin = reinterpret_cast<uintptr_t>(arena);
        cw_assert(at >= begin && at <= begin + kArena && size <= begin + kArena - at,
                  "pointer-inside-arena");
        cw_assert(at % CW_HEAP_ALIGNMENT == 0, "pointer-aligned");
    }
}
