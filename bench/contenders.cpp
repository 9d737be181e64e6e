#include "contenders.hpp"

#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <link.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace clockwork::bench {

namespace {

constexpr const char* kJemallocSoname = "libjemalloc.so.2";
constexpr const char* kReexecMarker = "CLOCKWORK_BENCH_STATIC_TLS_REEXEC";
// Debian 12's jemalloc 5.3 needs 2632 bytes; the rest leaves room for another build of it.
constexpr const char* kStaticTlsTunable = "glibc.rtld.optional_static_tls=16384";

alignas(64) unsigned char g_arenas[kArenaCount][kArenaBytes];

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "error: %s\n", message.c_str());
    std::exit(2);
}

[[noreturn]] void reexec_with_static_tls(char** argv) {
    std::string tunables = kStaticTlsTunable;
    if (const char* existing = std::getenv("GLIBC_TUNABLES"); existing != nullptr && *existing) {
        tunables = std::string(existing) + ":" + tunables;
    }
    setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
    setenv(kReexecMarker, "1", 1);
    std::fflush(nullptr);
    execv("/proc/self/exe", argv);
    fail(std::string("re-executing with GLIBC_TUNABLES=") + tunables + ": " + std::strerror(errno));
}

template <class Function>
Function symbol(void* handle, const char* name) {
    void* address = dlsym(handle, name);
    if (address == nullptr) {
        fail(std::string(kJemallocSoname) + " has no symbol " + name);
    }
    return reinterpret_cast<Function>(address);
}

} // namespace

void* static_arena(unsigned index) {
    return g_arenas[index];
}

ClockworkContender::ClockworkContender(void* arena, size_t size, bool validate)
    : arena_(arena), size_(size), validate_(validate) {
    reset();
}

void ClockworkContender::reset() {
    HeapOptions options = Heap::default_options();
    options.validate = validate_ ? 1 : 0;
    if (heap_.init(arena_, size_, options) != Status::ok) {
        fail("clockwork heap init failed on a " + std::to_string(size_) + "-byte arena");
    }
}

bool Jemalloc::owns(void* p) const {
    unsigned arena = 0;
    size_t size = sizeof(arena);
    return mallctl("arenas.lookup", &arena, &size, &p, sizeof(p)) == 0;
}

Jemalloc load_jemalloc(char** argv) {
    void* handle = dlopen(kJemallocSoname, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (handle == nullptr) {
        const std::string error = dlerror();
        if (error.find("static TLS") != std::string::npos &&
            std::getenv(kReexecMarker) == nullptr) {
            reexec_with_static_tls(argv);
        }
        fail("cannot load " + std::string(kJemallocSoname) + ": " + error +
             " (Debian package libjemalloc2, installed with libjemalloc-dev)");
    }
    Jemalloc je;
    je.handle = handle;
    je.malloc = symbol<void* (*)(size_t)>(handle, "malloc");
    je.free = symbol<void (*)(void*)>(handle, "free");
    je.mallctl = symbol<int (*)(const char*, void*, size_t*, void*, size_t)>(handle, "mallctl");
    je.usable_size = symbol<size_t (*)(void*)>(handle, "malloc_usable_size");
    const char* version = nullptr;
    size_t size = sizeof(version);
    if (je.mallctl("version", &version, &size, nullptr, 0) != 0 || version == nullptr) {
        fail("jemalloc's mallctl(\"version\") failed");
    }
    je.version = version;
    link_map* map = nullptr;
    if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map != nullptr) {
        je.path = map->l_name;
    }
    return je;
}

std::string verify_isolation(const Jemalloc& je) {
    void* libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    if (libc == nullptr) {
        fail("libc.so.6 is not loaded");
    }
    const auto as_address = [](auto function) { return reinterpret_cast<void*>(function); };
    std::string report;
    const auto check = [&report](bool holds, const std::string& what) {
        if (!holds) {
            fail("allocator isolation: " + what + " does not hold");
        }
        report += "  ok: " + what + "\n";
    };
    check(dlsym(RTLD_DEFAULT, "malloc") == dlsym(libc, "malloc") &&
              dlsym(RTLD_DEFAULT, "free") == dlsym(libc, "free"),
          "the process's malloc/free are libc.so.6's");
    check(as_address(&__libc_malloc) == dlsym(libc, "__libc_malloc") &&
              as_address(&__libc_free) == dlsym(libc, "__libc_free"),
          "__libc_malloc/__libc_free are libc.so.6's");
    check(as_address(je.malloc) != dlsym(libc, "malloc") &&
              as_address(je.malloc) != dlsym(RTLD_DEFAULT, "malloc"),
          "jemalloc's malloc is a different function");
    void* global_new = dlsym(RTLD_DEFAULT, "_Znwm");
    check(global_new != nullptr && global_new != dlsym(je.handle, "_Znwm"),
          "the process's operator new is not jemalloc's");
    void* block = je.malloc(100);
    check(block != nullptr && je.owns(block) && je.usable_size(block) >= 100,
          "a block from jemalloc's malloc is in jemalloc's extent map (mallctl arenas.lookup)");
    je.free(block);
    return report;
}

std::string describe_versions(const Jemalloc& je) {
    std::string text = "glibc ";
    text += gnu_get_libc_version();
    text += std::string(" (") + gnu_get_libc_release() + "), called as __libc_malloc/__libc_free\n";
    text += "jemalloc " + je.version + " (" + je.path +
            ", dlopen RTLD_LOCAL|RTLD_DEEPBIND), called as its malloc/free\n";
    if (std::getenv(kReexecMarker) != nullptr) {
        text += std::string("  (its initial-exec TLS needed a larger static TLS reserve: "
                            "re-executed with GLIBC_TUNABLES=") +
                std::getenv("GLIBC_TUNABLES") + ")\n";
    }
    text += "clockwork " CLOCKWORK_VERSION ", CW_HEAP_SPACING_LOG2=" +
            std::to_string(CW_HEAP_SPACING_LOG2) + ", static arena of " +
            std::to_string(kArenaBytes >> 20) + " MiB\n";
    text += "compiler " __VERSION__ "\n";
    return text;
}

} // namespace clockwork::bench
