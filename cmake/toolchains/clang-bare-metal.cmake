# Shared by the Clang toolchain files of this folder (cortex-m4, rv32imc, avr, x86-64): Clang 19
# compiles, and ld.lld 19 links directly, without a compiler driver in between. The driver would
# add what a bare-metal image must not silently get: for avr it passes --gc-sections, and for a
# bare x86_64-unknown-elf it hands the link to the host's g++, which brings its own ld.lld and
# makes a dynamically linked executable. Called directly, the linker links exactly the objects
# and options it is given: no C library, no start files, no compiler runtime.
#
# Expects CLOCKWORK_CLANG_TARGET (a Clang triple) and CLOCKWORK_TARGET_FLAGS to be set.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_C_COMPILER clang-19)
set(CMAKE_CXX_COMPILER clang++-19)
set(CMAKE_C_COMPILER_TARGET ${CLOCKWORK_CLANG_TARGET})
set(CMAKE_CXX_COMPILER_TARGET ${CLOCKWORK_CLANG_TARGET})
set(CMAKE_C_FLAGS_INIT "${CLOCKWORK_TARGET_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${CLOCKWORK_TARGET_FLAGS}")

find_program(CLOCKWORK_LLD NAMES ld.lld-19 PATHS /usr/lib/llvm-19/bin REQUIRED)
set(CMAKE_LINKER ${CLOCKWORK_LLD})
# The link rules are compiler rules, which CMake sets after reading a toolchain file; the
# override file runs after them.
set(CMAKE_USER_MAKE_RULES_OVERRIDE ${CMAKE_CURRENT_LIST_DIR}/clang-bare-metal-rules.cmake)

# Nothing runs on the host: compiler checks build a library instead of linking a program.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
