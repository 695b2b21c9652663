// Reading result bundles (results.json, schema version 1; see docs/results.md) into the model
// every report works on. Only the bundle format is known here, so a new suite's cases read
// like any other. Every problem names the file and the field.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf::reports {

inline constexpr int kReadableSchemaVersion = 1;

enum class Direction { higher_is_better, lower_is_better };
std::string_view to_string(Direction direction);

struct Metric {
  std::optional<double> value;  // null in the bundle: the measurement gave no finite number
  std::string unit;
  Direction direction = Direction::lower_is_better;
};

struct CaseResult {
  std::size_t index = 0;  // position in sciperf.cases, so errors can name the field
  std::string name;
  std::string suite;
  nlohmann::json params = nlohmann::json::object();    // name → string, number or boolean
  std::map<std::string, std::string> param_kinds;      // name → integer, size, duration, ...
  std::string status;                                  // ok, failed, skipped, timeout
  std::string reason;                                  // why it is not ok
  std::vector<std::string> headline;
  std::map<std::string, Metric> metrics;
  // Metric → its value in each repetition. Null samples (no finite value) are left out,
  // since a rank test cannot order them.
  std::map<std::string, std::vector<double>> samples;

  // "sciperf.cases[3]": where this record lives, for error messages.
  std::string field() const;
};

struct RunInfo {
  std::string status;  // complete, running (the run never finished), failed, interrupted
  std::string reason;
  std::string started;
  std::string finished;
  std::string sciperf_version;
  std::string git_revision;
  std::string config_name;
};

// What the run ran on, for a report's header; empty or 0 where the bundle does not say.
struct Platform {
  std::vector<std::string> cpu_models;  // the nodes' distinct CPU models, in node order
  std::string mpi_library;
  std::int64_t node_count = 0;
  std::int64_t ranks = 0;
};

struct Bundle {
  std::string label;  // the path the user gave: what reports show
  std::string file;   // the results.json that was read: what errors name
  RunInfo run;
  std::string system;  // the config's system.name, else the first node's host name
  Platform platform;
  std::vector<CaseResult> cases;
};

// A bundle that cannot be read; what() is "FILE: FIELD: what is wrong".
class BundleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `path` is a bundle directory or its results.json.
Bundle load_bundle(const std::filesystem::path& path);
// A document already parsed; `file` names it in errors.
Bundle read_bundle(const nlohmann::json& document, const std::string& file);

struct LoadedBundles {
  std::vector<Bundle> bundles;        // the readable ones, in the order given
  std::vector<std::string> errors;    // one per unreadable bundle
  std::vector<std::string> warnings;  // readable but incomplete runs
};
// Reads every path; a bad bundle is reported in `errors` and the rest are still read.
LoadedBundles load_bundles(const std::vector<std::string>& paths);

}  // namespace sciperf::reports
