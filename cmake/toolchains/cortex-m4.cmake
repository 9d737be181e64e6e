# cortex-m4 (DESIGN.md, "Targets and metrics"): Clang 19, Thumb-2, soft float, linked by ld.lld
# alone (clang-bare-metal.cmake). Memory map: targets/cortex-m4/heap_image.ld.
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CLOCKWORK_TARGET_NAME cortex-m4)
set(CLOCKWORK_CLANG_TARGET thumbv7em-none-eabi)
set(CLOCKWORK_TARGET_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft")
get_filename_component(CLOCKWORK_MEMORY_MAP
                       ${CMAKE_CURRENT_LIST_DIR}/../../targets/cortex-m4/heap_image.ld ABSOLUTE)
include(${CMAKE_CURRENT_LIST_DIR}/clang-bare-metal.cmake)
