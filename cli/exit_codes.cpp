#include "exit_codes.hpp"

#include <iostream>

namespace clockwork::cli {

int usage_error(const std::string& verb, const std::string& what, const std::string& fix) {
    std::cerr << "clockwork" << (verb.empty() ? "" : " ") << verb << ": error: " << what;
    if (!fix.empty()) {
        std::cerr << "; note: " << fix;
    }
    std::cerr << '\n';
    return kExitUsage;
}

} // namespace clockwork::cli
