# Cross toolchain for the rv32imc-gcc target (DESIGN.md, "Targets and metrics"): GCC (riscv64-unknown-elf), the second supported compiler.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_CXX_COMPILER riscv64-unknown-elf-g++)

set(CLOCKWORK_TARGET_NAME rv32imc-gcc)
set(CLOCKWORK_TARGET_FLAGS "-march=rv32imc -mabi=ilp32")
set(CMAKE_C_FLAGS_INIT "${CLOCKWORK_TARGET_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${CLOCKWORK_TARGET_FLAGS}")
# Nothing but the allocator is linked: no C library, no start files, so that a call to memcpy or
# any other library function the compiler might introduce fails the link.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -nostartfiles -Wl,-Ttext=0x80000000")
# libgcc: the compiler's own helpers (count-leading-zeros on cores without one), not a C library.
set(CMAKE_CXX_STANDARD_LIBRARIES "-lgcc")
set(CMAKE_C_STANDARD_LIBRARIES "-lgcc")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
