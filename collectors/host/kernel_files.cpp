#include "collectors/host/kernel_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

namespace sciperf::host {

namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

}  // namespace

FileRead<std::string> read_file_text(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {.error = errno};
  // One-value kernel files are short: a zone name, a counter, a frequency.
  char buffer[256];
  const ssize_t size = ::read(fd, buffer, sizeof buffer);
  const int read_error = errno;
  ::close(fd);
  if (size < 0) return {.error = read_error};
  return {.value = std::string(trim(std::string_view(buffer, static_cast<std::size_t>(size))))};
}

FileRead<long long> read_file_integer(const std::filesystem::path& file) {
  const auto text = read_file_text(file);
  if (!text.value) return {.error = text.error};
  const std::string& digits = *text.value;
  long long value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return {.error = EINVAL};
  return {.value = value};
}

std::string errno_name(int error) {
  const char* name = ::strerrorname_np(error);
  return name != nullptr ? name : std::to_string(error);
}

}  // namespace sciperf::host
