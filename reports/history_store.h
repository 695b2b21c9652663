// The history store: result bundles ingested into one SQLite file (see history_schema.h
// for the layout), listed by system, config and revision, and read back as the same model
// every report works on, so that trends and comparisons need no history-specific logic.
#pragma once

#include "reports/bundle_reader.h"
#include "reports/history_sqlite.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::reports {

// Where the history lives unless --db or $SCIPERF_HISTORY says otherwise.
inline constexpr const char* kDefaultHistoryDb = "sciperf-history.db";

// Which runs: every field left empty matches all.
struct RunFilter {
  std::string system;
  std::string config;
  std::string cluster;
  std::string revision;              // a prefix, so that a short git hash matches
  std::optional<std::size_t> last;   // only the newest N (after `skip`)
  std::size_t skip = 0;              // leave out the newest N: "the runs before this one"
};

struct StoredRun {
  std::int64_t id = 0;
  std::string system;
  std::string config;
  std::string cluster;  // the cluster configuration (sciperf.config.cluster); "" when the bundle has none
  std::string revision;
  std::string sciperf_version;
  std::string started;
  std::string status;
  std::string file;  // the results.json it was ingested from, absolute
  std::size_t cases = 0;
};

enum class IngestOutcome {
  added,
  unchanged,  // the same run with the same content: nothing written
  updated     // the same run, but the bundle changed since (a resumed or finished run): replaced
};

struct Ingested {
  IngestOutcome outcome = IngestOutcome::added;
  StoredRun run;
};

// One metric value of one case of one run, with what identifies it.
struct MetricRow {
  std::int64_t run_id = 0;
  std::string started;
  std::string system;
  std::string config;
  std::string cluster;
  std::string revision;
  std::string sciperf_version;
  std::string run_status;
  std::string case_name;
  std::string suite;
  std::string case_status;
  std::string params;  // JSON
  std::string metric;
  std::optional<double> value;
  std::string unit;
  Direction direction = Direction::lower_is_better;
};

class HistoryStore {
 public:
  // Opens `path` and brings it to the current schema version; HistoryError when it cannot.
  HistoryStore(const std::string& path, OpenMode mode);

  // BundleError when the bundle cannot be read (nothing is written then), HistoryError
  // when the database cannot be written.
  Ingested ingest(const std::filesystem::path& bundle);

  // Oldest first.
  std::vector<StoredRun> runs(const RunFilter& filter) const;
  std::optional<StoredRun> run(std::int64_t id) const;
  // A stored run as load_bundle would have read it (label and file name the database).
  Bundle load_run(std::int64_t id) const;
  // Every value of `metric` ("" for every metric) in the runs `filter` selects, oldest run
  // first and in each run's case order.
  void for_each_metric_row(const RunFilter& filter, const std::string& metric,
                           const std::function<void(const MetricRow&)>& visit) const;

  const std::string& path() const { return db_.path(); }

 private:
  Database db_;
};

}  // namespace sciperf::reports
