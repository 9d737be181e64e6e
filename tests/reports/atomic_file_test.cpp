#include <clockwork/reports/atomic_file.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace clockwork::reports {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::path fresh_directory(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() /
                         ("clockwork-" + name + "-" +
                          std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    fs::remove_all(dir);
    return dir;
}

TEST(AtomicFile, CreatesDirectoriesAndLeavesNoTemporary) {
    const fs::path dir = fresh_directory("atomic");
    const fs::path target = dir / "reports" / "evidence.json";
    EXPECT_EQ(write_file_atomically(target.string(), "{}\n"), "");
    EXPECT_EQ(read(target), "{}\n");
    EXPECT_EQ(std::distance(fs::directory_iterator(target.parent_path()), fs::directory_iterator()),
              1);
    fs::remove_all(dir);
}

TEST(AtomicFile, ReplacesAnExistingReportWhole) {
    const fs::path dir = fresh_directory("replace");
    const fs::path target = dir / "report.md";
    ASSERT_EQ(write_file_atomically(target.string(), "old and longer"), "");
    ASSERT_EQ(write_file_atomically(target.string(), "new"), "");
    EXPECT_EQ(read(target), "new");
    fs::remove_all(dir);
}

TEST(AtomicFile, UnwritablePlaceIsAnErrorNamingThePath) {
    const fs::path dir = fresh_directory("blocked");
    fs::create_directories(dir);
    std::ofstream(dir / "file") << "a file, not a directory";
    const std::string target = (dir / "file" / "report.json").string();
    const std::string error = write_file_atomically(target, "x");
    EXPECT_EQ(error.rfind(target + ": cannot create directory", 0), 0u) << error;
    fs::remove_all(dir);
}

} // namespace
} // namespace clockwork::reports
