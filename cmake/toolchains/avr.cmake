# avr (DESIGN.md, "Targets and metrics"): Clang 19 for the ATmega2560 (3-byte PC), linked by
# ld.lld alone (clang-bare-metal.cmake). Memory map: targets/avr/heap_image.ld.
set(CMAKE_SYSTEM_PROCESSOR avr)
set(CLOCKWORK_TARGET_NAME avr)
set(CLOCKWORK_CLANG_TARGET avr)
set(CLOCKWORK_TARGET_FLAGS "-mmcu=atmega2560")
get_filename_component(CLOCKWORK_MEMORY_MAP
                       ${CMAKE_CURRENT_LIST_DIR}/../../targets/avr/heap_image.ld ABSOLUTE)
include(${CMAKE_CURRENT_LIST_DIR}/clang-bare-metal.cmake)
