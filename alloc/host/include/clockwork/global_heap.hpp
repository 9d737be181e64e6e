// Opt-in: link clockwork::global_new and every global operator new/delete form (plain, array,
// nothrow, sized, aligned) is served by one clockwork::Heap (host builds only).
//
// The arena comes from cw_global_heap_arena() when the program defines it (a C function, so a
// firmware-style program can place it anywhere); otherwise from a static, zero-initialised
// array of CLOCKWORK_GLOBAL_ARENA_SIZE bytes (64 MiB by default; untouched pages cost no memory
// on a host OS). The heap is created on the first allocation and guarded by a mutex, so
// operator new is thread-safe; its O(1) bound is per call, plus the time to take the mutex.
#ifndef CLOCKWORK_GLOBAL_HEAP_HPP
#define CLOCKWORK_GLOBAL_HEAP_HPP

#include <clockwork/heap.hpp>

#include <cstddef>

extern "C" {
// Define this to supply the arena: return its start (aligned to CW_HEAP_ALIGNMENT) and store
// its size. Called once, before the first allocation.
void* cw_global_heap_arena(std::size_t* size);
}

namespace clockwork {

// The heap behind operator new (created on first use).
Heap& global_heap();

} // namespace clockwork

#endif
