# rv32imc (DESIGN.md, "Targets and metrics"): Clang 19, RV32IMC, ilp32, linked by ld.lld alone
# (clang-bare-metal.cmake). Memory map: targets/rv32imc/heap_image.ld.
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CLOCKWORK_TARGET_NAME rv32imc)
set(CLOCKWORK_CLANG_TARGET riscv32-unknown-elf)
set(CLOCKWORK_TARGET_FLAGS "-march=rv32imc -mabi=ilp32")
get_filename_component(CLOCKWORK_MEMORY_MAP
                       ${CMAKE_CURRENT_LIST_DIR}/../../targets/rv32imc/heap_image.ld ABSOLUTE)
include(${CMAKE_CURRENT_LIST_DIR}/clang-bare-metal.cmake)
