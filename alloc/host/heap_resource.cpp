#include <clockwork/heap_resource.hpp>

#include <new>

namespace clockwork::pmr {

void* HeapResource::do_allocate(std::size_t bytes, std::size_t alignment) {
    // memory_resource promises a distinct pointer for a zero-byte request.
    void* p = heap_->allocate_aligned(bytes == 0 ? 1 : bytes, alignment);
    if (p == nullptr) {
        throw std::bad_alloc();
    }
    return p;
}

// Containers deallocate from destructors, so a refused pointer cannot throw: the heap's
// invalid_free_count records it instead.
void HeapResource::do_deallocate(void* p, std::size_t, std::size_t) {
    (void)heap_->free(p);
}

bool HeapResource::do_is_equal(const std::pmr::memory_resource& other) const noexcept {
    return this == &other;
}

} // namespace clockwork::pmr
