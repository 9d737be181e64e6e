// The allocators under comparison, each behind the same two calls (allocate, release), so the
// measuring code is one template for all of them.
//
// glibc and jemalloc share the process without either replacing the other: glibc is called
// through __libc_malloc/__libc_free, which nothing interposes, and jemalloc is loaded with
// dlopen(RTLD_LOCAL | RTLD_DEEPBIND), so its malloc/free/operator new stay out of the global
// symbol scope and its own references bind to itself.
#ifndef CLOCKWORK_BENCH_CONTENDERS_HPP
#define CLOCKWORK_BENCH_CONTENDERS_HPP

#include <clockwork/heap.hpp>

#include <cstddef>
#include <string>

extern "C" {
void* __libc_malloc(size_t size);
void __libc_free(void* p);
}

namespace clockwork::bench {

// Untouched pages of a static array cost nothing on a host, so the arenas are sized for the
// largest live set the tools accept, not for the default one.
inline constexpr size_t kArenaBytes = size_t{128} << 20;
inline constexpr unsigned kArenaCount = 2;
void* static_arena(unsigned index); // index < kArenaCount

class ClockworkContender {
  public:
    ClockworkContender(void* arena, size_t size, bool validate);
    // A fresh heap over the whole arena (O(1) without validation).
    void reset();
    void* allocate(size_t n) { return heap_.allocate(n); }
    void release(void* p) { heap_.free(p); }
    const Heap& heap() const { return heap_; }
    bool validates() const { return validate_; }

  private:
    void* arena_;
    size_t size_;
    bool validate_;
    Heap heap_;
};

struct GlibcContender {
    void* allocate(size_t n) { return __libc_malloc(n); }
    void release(void* p) { __libc_free(p); }
};

struct Jemalloc {
    void* handle = nullptr;
    void* (*malloc)(size_t) = nullptr;
    void (*free)(void*) = nullptr;
    int (*mallctl)(const char*, void*, size_t*, void*, size_t) = nullptr;
    size_t (*usable_size)(void*) = nullptr;
    std::string version;
    std::string path;
    // Asks jemalloc's extent map. Only for pointers known to come from some allocator: jemalloc
    // does not promise to survive the question for arbitrary addresses.
    bool owns(void* p) const;
};

// Loads jemalloc privately. Debian's libjemalloc uses initial-exec TLS larger than glibc's
// default reserve for dlopen'ed libraries; then the program re-executes itself once (argv as
// given) with GLIBC_TUNABLES raising the reserve, so call this before anything else in main.
// Exits with a message when jemalloc cannot be loaded.
Jemalloc load_jemalloc(char** argv);

struct JemallocContender {
    const Jemalloc* je;
    void* allocate(size_t n) { return je->malloc(n); }
    void release(void* p) { je->free(p); }
};

// Checks that the process-wide malloc, free and operator new are not jemalloc's, that
// __libc_malloc is libc.so.6's, and that a jemalloc block is owned by jemalloc; exits with a
// message otherwise. Returns one line per check, for the report.
std::string verify_isolation(const Jemalloc& je);

// "glibc 2.36 (stable)", "jemalloc 5.3.0-... (path)", compiler; one per line.
std::string describe_versions(const Jemalloc& je);

} // namespace clockwork::bench

#endif
