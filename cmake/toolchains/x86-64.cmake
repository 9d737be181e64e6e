# x86-64 (DESIGN.md, "Targets and metrics"): Clang 19 for a bare x86-64 (the host's ISA, no
# operating system, not position independent), linked by ld.lld alone (clang-bare-metal.cmake).
# Memory map: targets/x86-64/heap_image.ld.
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CLOCKWORK_TARGET_NAME x86-64)
set(CLOCKWORK_CLANG_TARGET x86_64-unknown-elf)
set(CLOCKWORK_TARGET_FLAGS "")
get_filename_component(CLOCKWORK_MEMORY_MAP
                       ${CMAKE_CURRENT_LIST_DIR}/../../targets/x86-64/heap_image.ld ABSOLUTE)
include(${CMAKE_CURRENT_LIST_DIR}/clang-bare-metal.cmake)
