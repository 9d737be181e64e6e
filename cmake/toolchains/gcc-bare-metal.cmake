# Shared by the GCC toolchain files of this folder (cortex-m4-gcc, rv32imc-gcc, avr-gcc). The
# compiler driver links, without a C library or start files; libgcc, the compiler's own helpers
# (e.g. count-leading-zeros on a core without the instruction), is the one library linked.
#
# Expects CMAKE_C_COMPILER, CMAKE_CXX_COMPILER and CLOCKWORK_TARGET_FLAGS to be set.
set(CMAKE_C_FLAGS_INIT "${CLOCKWORK_TARGET_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${CLOCKWORK_TARGET_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -nostartfiles")
set(CMAKE_C_STANDARD_LIBRARIES "-lgcc")
set(CMAKE_CXX_STANDARD_LIBRARIES "-lgcc")

# Nothing runs on the host: compiler checks build a library instead of linking a program.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
