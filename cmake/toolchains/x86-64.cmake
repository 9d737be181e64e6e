# Cross toolchain for the x86-64 target (DESIGN.md, "Targets and metrics"): Clang 19, bare x86-64 (the host's ISA, no OS).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER clang-19)
set(CMAKE_CXX_COMPILER clang++-19)
set(CMAKE_C_COMPILER_TARGET x86_64-unknown-elf)
set(CMAKE_CXX_COMPILER_TARGET x86_64-unknown-elf)
set(CLOCKWORK_TARGET_NAME x86-64)
set(CLOCKWORK_TARGET_FLAGS "")
set(CMAKE_C_FLAGS_INIT "${CLOCKWORK_TARGET_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${CLOCKWORK_TARGET_FLAGS}")
# Nothing but the allocator is linked: no C library, no start files, so that a call to memcpy or
# any other library function the compiler might introduce fails the link.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -fuse-ld=lld -Wl,-Ttext=0x400000")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
