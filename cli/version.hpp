#pragma once

#include <string>

namespace clockwork::cli {

// "clockwork X.Y.Z (LLVM a.b.c, Z3 a.b.c)": the versions this binary links, which go into
// every Evidence document.
std::string version_line();
std::string llvm_version();
std::string z3_version();

} // namespace clockwork::cli
