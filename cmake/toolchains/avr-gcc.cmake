# avr-gcc: the avr target (DESIGN.md, "Targets and metrics") built with GCC (avr-gcc), the
# second supported compiler. The allocator is C++20, so this needs avr-gcc 10 or later; Debian
# 12 ships 5.4, and targets/CMakeLists.txt then leaves this build out.
# Memory map: targets/avr/heap_image.ld.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR avr)
set(CMAKE_C_COMPILER avr-gcc)
set(CMAKE_CXX_COMPILER avr-g++)
set(CLOCKWORK_TARGET_NAME avr-gcc)
set(CLOCKWORK_TARGET_FLAGS "-mmcu=atmega2560")
get_filename_component(CLOCKWORK_MEMORY_MAP
                       ${CMAKE_CURRENT_LIST_DIR}/../../targets/avr/heap_image.ld ABSOLUTE)
include(${CMAKE_CURRENT_LIST_DIR}/gcc-bare-metal.cmake)
