// Reading result bundles (results.json, schema version 1; see docs/results.md) into the model
// every report works on. Only the bundle format is known here, so a new suite's cases read
// like any other. Every problem names the file and the field.
#pragma once

#include "reports/string_map.h"

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

// One evaluation in a training case's details.loss_curve; NaN where the bundle has null.
struct LossPoint {
  double step = 0;
  double train_loss = 0;
  double eval_loss = 0;  // on held-out data
  double quality = 0;    // the task's quality metric on held-out data
};

// A ceiling that a case measured (details.roofline_ceiling), for the roofline chart.
struct RooflineCeiling {
  enum class Kind { compute, memory };
  Kind kind = Kind::compute;
  std::string precision;  // of a compute ceiling: fp32, bf16, int8, ...; may be empty
  double value = 0;       // compute: GFLOP/s; memory: GB/s; positive
};

struct CaseResult {
  std::size_t index = 0;  // position in sciperf.cases, so errors can name the field
  std::string name;
  std::string suite;
  nlohmann::json params = nlohmann::json::object();    // name → string, number or boolean
  StringMap<std::string> param_kinds;                  // name → integer, size, duration, ...
  std::string status;                                  // ok, failed, skipped, timeout
  std::string reason;                                  // why it is not ok
  std::vector<std::string> headline;
  StringMap<Metric> metrics;
  // Metric → its value in each repetition. Null samples (no finite value) are left out,
  // since a rank test cannot order them.
  StringMap<std::vector<double>> samples;
  std::int64_t iterations = 0;   // operations per repetition (timing.iterations); 0 when not given
  std::int64_t repetitions = 0;  // timing.repetitions; 0 when not given
  // The counters in joules (energy: RAPL zones and the like), each summed over ranks.
  StringMap<double> energy;
  // What the charts read of `details` (docs/results.md); empty where the case has none.
  std::vector<LossPoint> loss_curve;
  std::optional<RooflineCeiling> roofline_ceiling;

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
  std::int64_t devices_per_rank = 0;  // GPUs per rank
};

struct Bundle {
  std::string label;  // the path the user gave: what reports show
  std::string file;   // the results.json that was read: what errors name
  RunInfo run;
  std::string system;  // the config's system.name, else the first node's host name
  Platform platform;
  // sciperf.config as written: the run config, whose `compare` section and `system.price`
  // reports read (reports/compare_config.h, reports/scorecard.h).
  nlohmann::json config = nlohmann::json::object();
  std::vector<CaseResult> cases;
};

// A bundle that cannot be read; what() is "FILE: FIELD: what is wrong".
class BundleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `path` is a bundle directory or its results.json. The file is parsed as a stream
// (reports/bundle_stream.h): only the model is kept, never the whole document.
Bundle load_bundle(const std::filesystem::path& path);
// A document already parsed; `file` names it in errors.
Bundle read_bundle(const nlohmann::json& document, const std::string& file);

// A file's bytes: mapped into memory where it can be (no copy, and the pages come from the
// page cache in one go rather than zeroed and faulted in one by one: a 100,000-case bundle
// is over 100 MB), read otherwise. BundleError naming the file when it cannot be read.
class FileBytes {
 public:
  explicit FileBytes(const std::filesystem::path& file);
  FileBytes(FileBytes&& other) noexcept;
  FileBytes& operator=(FileBytes&&) = delete;
  ~FileBytes();
  std::string_view view() const { return mapped_ ? std::string_view(mapped_, size_) : std::string_view(read_); }

 private:
  const char* mapped_ = nullptr;
  std::size_t size_ = 0;
  std::string read_;
};

// What load_bundle does in two steps, for a caller that wants the bytes too (history hashes them).
struct BundleText {
  std::string file;  // the results.json read
  FileBytes text;
};
BundleText read_bundle_text(const std::filesystem::path& path);
Bundle parse_bundle(std::string_view text, const std::string& file);

struct LoadedBundles {
  std::vector<Bundle> bundles;        // the readable ones, in the order given
  std::vector<std::string> errors;    // one per unreadable bundle
  std::vector<std::string> warnings;  // readable but incomplete runs
};
// Reads every path; a bad bundle is reported in `errors` and the rest are still read.
LoadedBundles load_bundles(const std::vector<std::string>& paths);

}  // namespace sciperf::reports
