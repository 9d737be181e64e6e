# Links the memcpy probe of calls_memcpy.cpp the way the image in BUILD is linked; the linker
# must refuse it, and for memcpy. A link that fails for another reason proves nothing.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD} --target link_probe.elf
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(code EQUAL 0)
  message(FATAL_ERROR "a call to memcpy linked: the image's link would not catch library calls")
endif()
if(NOT "${out}${err}" MATCHES "undefined (symbol|reference)[^\n]*memcpy")
  message(FATAL_ERROR "the link failed, but not for memcpy:\n${out}${err}")
endif()
message(STATUS "the link refused memcpy, as it must")
