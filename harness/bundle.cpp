#include "harness/bundle.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace sciperf {

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path temporary = path.string() + fmt::format(".tmp.{}", ::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error(fmt::format("{}: cannot write: {}", temporary.string(), std::strerror(errno)));
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      throw std::runtime_error(fmt::format("{}: write failed: {}", temporary.string(), std::strerror(error)));
    }
    written += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw std::runtime_error(fmt::format("{}: cannot replace: {}", path.string(), std::strerror(error)));
  }
}

ResultBundle::ResultBundle(std::filesystem::path directory, nlohmann::json document)
    : directory_(std::move(directory)), document_(std::move(document)) {}

ResultBundle::ResultBundle(std::filesystem::path directory, nlohmann::json run, nlohmann::json config,
                           nlohmann::json inventory, nlohmann::json cluster)
    : directory_(std::move(directory)) {
  run["status"] = "running";
  run["started"] = utc_timestamp();
  document_ = {{"context", nlohmann::json::object()},
               {"benchmarks", nlohmann::json::array()},
               {"sciperf",
                {{"schema_version", kResultSchemaVersion},
                 {"run", std::move(run)},
                 {"config", std::move(config)},
                 {"inventory", std::move(inventory)},
                 {"cluster", std::move(cluster)},
                 {"cases", nlohmann::json::array()}}}};
}

ResultBundle ResultBundle::open(const std::filesystem::path& directory) {
  const auto path = directory / "results.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read", path.string()));
  try {
    return ResultBundle(directory, nlohmann::json::parse(in));
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(fmt::format("{}: not a valid result bundle: {}", path.string(), error.what()));
  }
}

void ResultBundle::add_case(nlohmann::json sciperf_case, const nlohmann::json& benchmark_json) {
  if (benchmark_json.is_object()) {
    if (document_["context"].empty() && benchmark_json.contains("context")) document_["context"] = benchmark_json["context"];
    for (const auto& row : benchmark_json.value("benchmarks", nlohmann::json::array())) document_["benchmarks"].push_back(row);
  }
  document_["sciperf"]["cases"].push_back(std::move(sciperf_case));
}

void ResultBundle::finish(const std::string& status, const std::string& reason) {
  auto& run = document_["sciperf"]["run"];
  run["status"] = status;
  run["finished"] = utc_timestamp();
  if (!reason.empty()) run["reason"] = reason;
}

void ResultBundle::reopen() {
  auto& run = document_["sciperf"]["run"];
  run["status"] = "running";
  run.erase("finished");
  run.erase("reason");
  run["resumed"] = run.value("resumed", 0) + 1;
}

void ResultBundle::write() const { write_file_atomically(file(), document_.dump(1) + "\n"); }

}  // namespace sciperf
