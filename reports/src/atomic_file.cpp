#include <clockwork/reports/atomic_file.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace clockwork::reports {

std::string write_file_atomically(const std::string& path, const std::string& contents) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    std::error_code error;
    if (target.has_parent_path()) {
        fs::create_directories(target.parent_path(), error);
        if (error) {
            return path + ": cannot create directory " + target.parent_path().string() + ": " +
                   error.message();
        }
    }
    const fs::path temporary = target.parent_path() / ("." + target.filename().string() + ".tmp." +
                                                       std::to_string(getpid()));
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
        out.flush();
        if (!out) {
            const std::string reason = std::strerror(errno);
            fs::remove(temporary, error);
            return path + ": cannot write: " + reason;
        }
    }
    fs::rename(temporary, target, error);
    if (error) {
        const std::string reason = error.message();
        fs::remove(temporary, error);
        return path + ": cannot replace: " + reason;
    }
    return {};
}

} // namespace clockwork::reports
