#include "version.hpp"

#include "clockwork_version.hpp"

#include <llvm/Config/llvm-config.h>
#include <z3.h>

namespace clockwork::cli {

std::string llvm_version() {
    return LLVM_VERSION_STRING;
}

std::string z3_version() {
    unsigned major = 0, minor = 0, build = 0, revision = 0;
    Z3_get_version(&major, &minor, &build, &revision);
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(build);
}

std::string version_line() {
    return std::string("clockwork ") + CLOCKWORK_VERSION + " (LLVM " + llvm_version() + ", Z3 " +
           z3_version() + ")";
}

} // namespace clockwork::cli
