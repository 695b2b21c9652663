// MLPerf-style `:::MLLOG {json}` lines, the log format MLPerf Training users and their
// tools (the compliance checker, result summarizers) read: one JSON object per line with the
// key, value, event type, time and metadata.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sciperf::suites::training {

enum class MllogEvent { point_in_time, interval_start, interval_end };

class MlLog {
 public:
  // Lines are timed from the Unix epoch in milliseconds, as MLPerf's mllog library does.
  void add(std::string_view key, nlohmann::json value, MllogEvent event = MllogEvent::point_in_time,
           nlohmann::json metadata = nlohmann::json::object());
  const std::vector<std::string>& lines() const { return lines_; }
  // Appends the lines to `file` (creating its folder); a log that cannot be written is
  // reported, never fatal to the case.
  void append_to(const std::filesystem::path& file) const;

 private:
  std::vector<std::string> lines_;
};

}  // namespace sciperf::suites::training
