#include "suites/training/mllog.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <system_error>

namespace sciperf::suites::training {
namespace {

std::string_view event_name(MllogEvent event) {
  switch (event) {
    case MllogEvent::interval_start: return "INTERVAL_START";
    case MllogEvent::interval_end: return "INTERVAL_END";
    case MllogEvent::point_in_time: break;
  }
  return "POINT_IN_TIME";
}

std::int64_t unix_milliseconds() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

void MlLog::add(std::string_view key, nlohmann::json value, MllogEvent event, nlohmann::json metadata) {
  const nlohmann::json line{{"namespace", ""},           {"time_ms", unix_milliseconds()},
                            {"event_type", event_name(event)}, {"key", key},
                            {"value", std::move(value)}, {"metadata", std::move(metadata)}};
  lines_.push_back(":::MLLOG " + line.dump());
}

void MlLog::append_to(const std::filesystem::path& file) const {
  std::error_code error;
  std::filesystem::create_directories(file.parent_path(), error);
  std::ofstream out(file, std::ios::app);
  for (const std::string& line : lines_) out << line << '\n';
  if (!out) fmt::print(stderr, "sciperf: could not write the MLLOG lines to {}\n", file.string());
}

}  // namespace sciperf::suites::training
