#include <clockwork/global_heap.hpp>

#include <cstdlib>
#include <mutex>
#include <new>

#ifndef CLOCKWORK_GLOBAL_ARENA_SIZE
#define CLOCKWORK_GLOBAL_ARENA_SIZE (64u << 20)
#endif

extern "C" __attribute__((weak)) void* cw_global_heap_arena(std::size_t* size) {
    alignas(CW_HEAP_ALIGNMENT) static unsigned char arena[CLOCKWORK_GLOBAL_ARENA_SIZE];
    *size = sizeof(arena);
    return arena;
}

namespace clockwork {
namespace {

std::mutex& heap_mutex() {
    static std::mutex mutex;
    return mutex;
}

void enter(void*) {
    heap_mutex().lock();
}
void leave(void*) {
    heap_mutex().unlock();
}

Heap make_heap() {
    Heap heap;
    std::size_t size = 0;
    void* arena = cw_global_heap_arena(&size);
    HeapOptions options = Heap::default_options();
    options.lock = HeapLock{&enter, &leave, nullptr};
    if (heap.init(arena, size, options) != Status::ok) {
        // No allocation can succeed and nothing can be reported through the heap: this is a
        // configuration error of the program (cw_global_heap_arena), found on first use.
        std::abort();
    }
    return heap;
}

// Returns null once the new-handler gives up; throws only what the handler throws.
void* allocate(std::size_t n, std::size_t alignment) {
    const std::size_t size = n == 0 ? 1 : n;
    for (;;) {
        void* p = global_heap().allocate_aligned(size, alignment);
        if (p != nullptr) {
            return p;
        }
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) {
            return nullptr;
        }
        handler();
    }
}

void* allocate_or_throw(std::size_t n, std::size_t alignment) {
    void* p = allocate(n, alignment);
    if (p == nullptr) {
        throw std::bad_alloc();
    }
    return p;
}

void* allocate_nothrow(std::size_t n, std::size_t alignment) noexcept {
    try {
        return allocate(n, alignment);
    } catch (...) {
        return nullptr;
    }
}

void release(void* p) noexcept {
    (void)global_heap().free(p);
}

constexpr std::size_t kDefaultAlignment = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

} // namespace

Heap& global_heap() {
    static Heap heap = make_heap();
    return heap;
}

} // namespace clockwork

using clockwork::allocate_nothrow;
using clockwork::allocate_or_throw;
using clockwork::kDefaultAlignment;
using clockwork::release;

void* operator new(std::size_t n) {
    return allocate_or_throw(n, kDefaultAlignment);
}
void* operator new[](std::size_t n) {
    return allocate_or_throw(n, kDefaultAlignment);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    return allocate_nothrow(n, kDefaultAlignment);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    return allocate_nothrow(n, kDefaultAlignment);
}
void* operator new(std::size_t n, std::align_val_t a) {
    return allocate_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
    return allocate_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return allocate_nothrow(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return allocate_nothrow(n, static_cast<std::size_t>(a));
}

void operator delete(void* p) noexcept {
    release(p);
}
void operator delete[](void* p) noexcept {
    release(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete(void* p, std::size_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    release(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    release(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    release(p);
}
