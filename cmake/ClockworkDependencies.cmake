# Every dependency of the tools, with the Debian 12 package that provides it. A missing one
# stops the configuration with the package to install (scripts/install-deps installs them all).
function(clockwork_require found what package)
  if(NOT ${found})
    message(FATAL_ERROR "${what} not found: install the Debian package '${package}' "
                        "(or run scripts/install-deps)")
  endif()
endfunction()

# LLVMConfigVersion matches major.minor only, so "19" alone is never compatible.
find_package(LLVM 19.1 CONFIG QUIET PATHS /usr/lib/llvm-19/lib/cmake/llvm NO_DEFAULT_PATH)
clockwork_require(LLVM_FOUND "LLVM 19" llvm-19-dev)
find_package(Clang CONFIG QUIET PATHS /usr/lib/llvm-19/lib/cmake/clang NO_DEFAULT_PATH)
clockwork_require(Clang_FOUND "Clang 19 libraries" libclang-19-dev)
find_package(Z3 CONFIG QUIET)
if(NOT Z3_FOUND)
  find_path(Z3_INCLUDE_DIR z3++.h)
  find_library(Z3_LIBRARY z3)
  if(Z3_INCLUDE_DIR AND Z3_LIBRARY)
    set(Z3_FOUND TRUE)
    add_library(z3::libz3 UNKNOWN IMPORTED)
    set_target_properties(z3::libz3 PROPERTIES IMPORTED_LOCATION ${Z3_LIBRARY}
                                               INTERFACE_INCLUDE_DIRECTORIES ${Z3_INCLUDE_DIR})
  endif()
endif()
clockwork_require(Z3_FOUND "Z3" libz3-dev)
find_package(nlohmann_json 3 CONFIG QUIET)
clockwork_require(nlohmann_json_FOUND "nlohmann/json" nlohmann-json3-dev)
find_package(CLI11 CONFIG QUIET)
clockwork_require(CLI11_FOUND "CLI11" libcli11-dev)

# One LLVM for the whole process: the shared libLLVM (and libclang-cpp, which links it).
# Mixing it with the static component libraries registers LLVM's command-line options twice,
# which aborts at start-up.
add_library(clockwork_llvm INTERFACE)
target_include_directories(clockwork_llvm SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS})
target_compile_definitions(clockwork_llvm INTERFACE ${LLVM_DEFINITIONS})
target_link_libraries(clockwork_llvm INTERFACE LLVM)
add_library(clockwork::llvm ALIAS clockwork_llvm)

add_library(clockwork_clang INTERFACE)
target_include_directories(clockwork_clang SYSTEM INTERFACE ${CLANG_INCLUDE_DIRS})
target_link_libraries(clockwork_clang INTERFACE clang-cpp clockwork_llvm)
add_library(clockwork::clang ALIAS clockwork_clang)
