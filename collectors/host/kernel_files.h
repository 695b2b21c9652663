// Reading the one-value files of sysfs and procfs. These are read around every measured
// region, so a read is one open/read/close with no stream machinery.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace sciperf::host {

// What a read gave: the value, or the errno that prevented it (EINVAL when the file's text
// is not what was asked for).
template <typename Value>
struct FileRead {
  std::optional<Value> value{};
  int error = 0;
};

// The file's content without surrounding whitespace.
FileRead<std::string> read_file_text(const std::filesystem::path& file);
FileRead<long long> read_file_integer(const std::filesystem::path& file);

// "ENOENT" for ENOENT: the name people search for, where strerror's sentence is vaguer.
std::string errno_name(int error);

}  // namespace sciperf::host
