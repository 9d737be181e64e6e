// Reports are written to a temporary file beside the target and renamed over it, so a reader
// never sees half a report and a failed run leaves the previous one intact.
#pragma once

#include <string>

namespace clockwork::reports {

// Empty on success; otherwise what failed, naming the path.
std::string write_file_atomically(const std::string& path, const std::string& contents);

} // namespace clockwork::reports
