// `sciperf compare` and `sciperf report`: their options and the glue from the command line
// to reading, comparing and rendering bundles. The harness's command line adds them through
// ReportCommands and knows nothing else of reports.
#pragma once

#include "reports/compare.h"
#include "reports/compare_config.h"
#include "reports/history_store.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace sciperf::reports {

struct CompareOptions {
  std::string baseline;   // bundle directory, results.json or a history query ("history:last=5,system=vm")
  std::string candidate;
  std::string history_db = kDefaultHistoryDb;  // where history: sides are looked up
  std::vector<std::string> metrics;
  // Each unset one comes from the config (--thresholds, else the baseline bundle's), else its default.
  std::optional<double> alpha;            // 0.05
  std::optional<std::string> noise;       // "5%": the threshold of every metric without a more specific one
  std::optional<std::string> noise_floor; // "0%": no threshold counts below it
  std::vector<std::string> noise_abs;   // "50ns", "0.1GB/s": a floor for the metrics in that unit
  std::vector<std::string> thresholds;  // "collectives.busbw=10%", "collectives=10%", "*.time_avg=3%"
  std::string thresholds_file;          // a YAML file with a compare section (reports/compare_config.h)
  bool all_intervals = false;           // a bootstrap interval for every metric, not only where it decides
  std::string format = "table";         // table, markdown, json
  std::string junit_file;               // also write JUnit XML here
  std::string output_file;              // empty: standard output
};

// `text` to `path`, or to standard output when `path` is empty. False, with the reason
// printed, when it cannot be written.
bool write_output(const std::string& path, const std::string& text, std::string_view command);

// The settings the options describe over those of `config` (reports/compare_config.h);
// std::invalid_argument naming the option when one is malformed.
CompareSettings compare_settings(const CompareOptions& options, const std::optional<CompareConfig>& config = std::nullopt);
// Exit code: kExitNoRegression, kExitRegression or kExitCouldNotCompare.
int compare_command(const CompareOptions& options);

struct ReportOptions {
  std::vector<std::string> bundles;
  std::string format = "table";  // table, markdown, csv, json, html
  std::string output_file;       // empty: standard output
  std::string scorecard;         // the reference bundle: a scorecard of `bundles` against it (reports/scorecard.h)
  std::vector<std::string> prices;  // "SYSTEM=AMOUNT", over the bundles' system.price
};
// A bundle could not be read (the others are still rendered), or the output not written.
inline constexpr int kExitReportIncomplete = 2;
// 0 when every bundle was read and rendered, else kExitReportIncomplete.
int report_command(const ReportOptions& options);

// Adds `compare` and `report` to sciperf's command line; after parsing, run() runs the one given.
class ReportCommands {
 public:
  explicit ReportCommands(CLI::App& app);
  ReportCommands(const ReportCommands&) = delete;  // the parser holds pointers to the options
  ReportCommands& operator=(const ReportCommands&) = delete;

  // The exit code of the command given, or nullopt when it was neither of these.
  std::optional<int> run() const;

 private:
  CLI::App* compare_;
  CLI::App* report_;
  CompareOptions compare_options_;
  ReportOptions report_options_;
};

}  // namespace sciperf::reports
