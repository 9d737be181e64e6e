# Installs the allocator's component of BUILD into a fresh PREFIX and checks that the package is
# all there: headers, the four libraries, the CMake package with its version file, the .pc file.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${PREFIX} --component alloc
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "cmake --install failed:\n${out}${err}")
endif()

set(expected "")
foreach(header IN ITEMS annotations.h cw_alloc.h heap.hpp heap_geometry.hpp heap_resource.hpp
                        global_heap.hpp)
  list(APPEND expected ${INCLUDEDIR}/clockwork/${header})
endforeach()
foreach(library IN ITEMS alloc alloc_halffit pmr global_new)
  list(APPEND expected ${LIBDIR}/libclockwork_${library}.a)
endforeach()
foreach(file IN ITEMS clockworkConfig.cmake clockworkConfigVersion.cmake clockworkTargets.cmake)
  list(APPEND expected ${LIBDIR}/cmake/clockwork/${file})
endforeach()
list(APPEND expected ${LIBDIR}/pkgconfig/clockwork-alloc.pc)

foreach(file IN LISTS expected)
  if(NOT EXISTS ${PREFIX}/${file})
    file(GLOB_RECURSE installed RELATIVE ${PREFIX} ${PREFIX}/*)
    list(JOIN installed "\n" installed)
    message(FATAL_ERROR "${file} is not installed; ${PREFIX} holds:\n${installed}")
  endif()
endforeach()
list(LENGTH expected count)
message(STATUS "all ${count} files of the package installed in ${PREFIX}")
