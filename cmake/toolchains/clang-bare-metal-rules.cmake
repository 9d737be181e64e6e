# Link rules of the Clang bare-metal toolchains (clang-bare-metal.cmake): the linker itself,
# so link options are linker options and LINKER: options need no -Wl, wrapper.
foreach(lang IN ITEMS C CXX)
  set(CMAKE_${lang}_LINK_EXECUTABLE
      "<CMAKE_LINKER> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
  set(CMAKE_${lang}_LINKER_WRAPPER_FLAG "")
  set(CMAKE_${lang}_LINKER_WRAPPER_FLAG_SEP "")
endforeach()
