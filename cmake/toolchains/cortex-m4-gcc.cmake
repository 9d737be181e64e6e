# cortex-m4-gcc: the cortex-m4 target (DESIGN.md, "Targets and metrics") built with GCC
# (arm-none-eabi), the second supported compiler. Memory map: targets/cortex-m4/heap_image.ld.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CLOCKWORK_TARGET_NAME cortex-m4-gcc)
set(CLOCKWORK_TARGET_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft")
get_filename_component(CLOCKWORK_MEMORY_MAP
                       ${CMAKE_CURRENT_LIST_DIR}/../../targets/cortex-m4/heap_image.ld ABSOLUTE)
include(${CMAKE_CURRENT_LIST_DIR}/gcc-bare-metal.cmake)
