// `sciperf history`: ingest bundles into the history database, list its runs, show a
// metric's trend with change points, export every value as CSV. The harness's command
// line adds it through HistoryCommands, as it adds compare and report.
#pragma once

#include "reports/history_store.h"
#include "reports/history_trend.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace sciperf::reports {

inline constexpr const char* kHistoryDbVariable = "SCIPERF_HISTORY";
// A bundle could not be ingested (the others were), nothing matched, or the database
// could not be opened or written.
inline constexpr int kExitHistoryFailed = 2;

int ingest_command(const std::string& db, const std::vector<std::string>& bundles);
int runs_command(const std::string& db, const RunFilter& filter);
int trend_command(const std::string& db, const TrendRequest& request);
int export_command(const std::string& db, const std::string& csv_file);

// The option that names the history database: `path` keeps the value given, else
// $SCIPERF_HISTORY, else ./sciperf-history.db. compare has one too, for its history: sides.
CLI::Option* add_history_db_option(CLI::App& app, const std::string& name, std::string& path);

class HistoryCommands {
 public:
  explicit HistoryCommands(CLI::App& app);
  HistoryCommands(const HistoryCommands&) = delete;  // the parser holds pointers to the options
  HistoryCommands& operator=(const HistoryCommands&) = delete;

  // The exit code of the history command given, or nullopt when it was another command.
  std::optional<int> run() const;

 private:
  CLI::App* ingest_;
  CLI::App* runs_;
  CLI::App* trend_;
  CLI::App* export_;
  std::string db_ = kDefaultHistoryDb;
  std::vector<std::string> bundles_;
  RunFilter runs_filter_;
  std::size_t runs_last_ = 0;  // 0: all; CLI11 has no optional options here
  TrendRequest trend_request_;
  std::size_t trend_last_ = 0;
  std::string csv_file_;
};

}  // namespace sciperf::reports
