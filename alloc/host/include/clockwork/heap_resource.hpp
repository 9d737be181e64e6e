// std::pmr::memory_resource over a clockwork::Heap (host builds only: the allocator itself
// is freestanding and never sees this header).
#ifndef CLOCKWORK_HEAP_RESOURCE_HPP
#define CLOCKWORK_HEAP_RESOURCE_HPP

#include <clockwork/heap.hpp>

#include <cstddef>
#include <memory_resource>

namespace clockwork::pmr {

// Allocations honour the requested alignment (allocate_aligned above the heap's own).
// Exhaustion throws std::bad_alloc, as memory_resource requires. Deallocating a pointer this
// resource did not allocate is undefined, unless the heap validates pointers: then the heap is
// left unchanged and counts it in its diagnostics (invalid_free_count); nothing is thrown,
// because containers deallocate from destructors.
// Two HeapResource objects are equal only when they are the same object.
class HeapResource final : public std::pmr::memory_resource {
  public:
    explicit HeapResource(Heap& heap) noexcept : heap_(&heap) {}

    Heap& heap() const noexcept { return *heap_; }

  private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override;
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override;

    Heap* heap_;
};

} // namespace clockwork::pmr

#endif
