# Cross toolchain for the cortex-m4-gcc target (DESIGN.md, "Targets and metrics"): GCC (arm-none-eabi), the second supported compiler.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)

set(CLOCKWORK_TARGET_NAME cortex-m4-gcc)
set(CLOCKWORK_TARGET_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft")
set(CMAKE_C_FLAGS_INIT "${CLOCKWORK_TARGET_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${CLOCKWORK_TARGET_FLAGS}")
# Nothing but the allocator is linked: no C library, no start files, so that a call to memcpy or
# any other library function the compiler might introduce fails the link.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -nostartfiles -Wl,-Ttext=0x0")
# libgcc: the compiler's own helpers (count-leading-zeros on cores without one), not a C library.
set(CMAKE_CXX_STANDARD_LIBRARIES "-lgcc")
set(CMAKE_C_STANDARD_LIBRARIES "-lgcc")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
