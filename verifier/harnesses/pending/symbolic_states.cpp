// Not in the default set: a check of property 3's scaffolding, not of the heap. Every state
// build_symbolic_heap makes (up to symbolic_heap::kScope blocks) is well-formed by
// heap_is_well_formed, so an inductive harness starts from states the invariant admits, and the
// checker accepts the heap's layout as heap.cpp writes it.
#include <clockwork/symbolic_heap.h>

CW_HARNESS {
    using namespace symbolic_heap;
    const Snapshot state = build_symbolic_heap();
    assert_well_formed(state, "built-state-tiles", "built-state-keeps-free-blocks-apart",
                       "built-state-lists-every-free-block", "built-state-lists-are-sound",
                       "built-state-bitmaps-agree", "built-state-statistics-match");
}
