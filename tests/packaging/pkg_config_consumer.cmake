# A C consumer that knows nothing but pkg-config: compiles SOURCE with the installed
# clockwork-alloc.pc's flags, links it with the C compiler (the allocator needs no C++ runtime)
# and runs it.
set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${LIBDIR}/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --modversion clockwork-alloc
                OUTPUT_VARIABLE version ERROR_VARIABLE err RESULT_VARIABLE code
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "pkg-config does not find clockwork-alloc in ${PREFIX}: ${err}")
endif()
if(NOT version STREQUAL VERSION)
  message(FATAL_ERROR "clockwork-alloc.pc says version ${version}, the project is ${VERSION}")
endif()
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs clockwork-alloc
                OUTPUT_VARIABLE flags RESULT_VARIABLE code OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs clockwork-alloc failed")
endif()
message(STATUS "pkg-config --cflags --libs clockwork-alloc: ${flags}")
separate_arguments(flags UNIX_COMMAND "${flags}")
execute_process(COMMAND ${CC} -std=c99 -Wall -Wextra -Wpedantic -Werror ${SOURCE} ${flags}
                        -o ${OUT}
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "the pkg-config consumer did not build:\n${out}${err}")
endif()
execute_process(COMMAND ${OUT} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "the pkg-config consumer exited ${code}:\n${out}${err}")
endif()
