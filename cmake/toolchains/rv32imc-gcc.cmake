# rv32imc-gcc: the rv32imc target (DESIGN.md, "Targets and metrics") built with GCC
# (riscv64-unknown-elf, which also targets RV32), the second supported compiler.
# Memory map: targets/rv32imc/heap_image.ld.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_CXX_COMPILER riscv64-unknown-elf-g++)
set(CLOCKWORK_TARGET_NAME rv32imc-gcc)
set(CLOCKWORK_TARGET_FLAGS "-march=rv32imc -mabi=ilp32")
get_filename_component(CLOCKWORK_MEMORY_MAP
                       ${CMAKE_CURRENT_LIST_DIR}/../../targets/rv32imc/heap_image.ld ABSOLUTE)
include(${CMAKE_CURRENT_LIST_DIR}/gcc-bare-metal.cmake)
