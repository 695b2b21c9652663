#include "reports/history_commands.h"

#include "reports/commands.h"
#include "reports/table.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <map>
#include <stdexcept>

namespace sciperf::reports {
namespace {

void print_error(std::string_view command, std::string_view message) {
  fmt::print(stderr, "sciperf history {}: {}\n", command, message);
}

std::string describe(const StoredRun& run) {
  std::string text = fmt::format("run {}: {}, config {}", run.id, run.system, run.config);
  if (!run.cluster.empty()) text += fmt::format(", cluster {}", run.cluster);
  return text + fmt::format(", started {}, {} cases ({})", run.started, run.cases, run.file);
}

std::string_view to_string(IngestOutcome outcome) {
  switch (outcome) {
    case IngestOutcome::added: return "added";
    case IngestOutcome::unchanged: return "unchanged";
    case IngestOutcome::updated: return "updated";
  }
  return "?";
}

// One row per run × case × metric, every column a spreadsheet may want to pivot on.
Table export_table(const HistoryStore& store) {
  Table table{{"run", "started", "system", "config", "cluster", "revision", "sciperf_version", "run_status", "case",
               "suite", "case_status", "params", "metric", "value", "unit", "direction"},
              {}};
  store.for_each_metric_row({}, "", [&](const MetricRow& row) {
    // "{}" prints the shortest text that reads back as the same double.
    table.rows.push_back({std::to_string(row.run_id), row.started, row.system, row.config, row.cluster, row.revision,
                          row.sciperf_version, row.run_status, row.case_name, row.suite, row.case_status, row.params,
                          row.metric, row.value ? fmt::format("{}", *row.value) : "", row.unit,
                          std::string(to_string(row.direction))});
  });
  return table;
}

}  // namespace

int ingest_command(const std::string& db, const std::vector<std::string>& bundles) {
  try {
    HistoryStore store(db, OpenMode::create);
    std::map<IngestOutcome, std::size_t> counts;
    std::size_t unreadable = 0;
    for (const std::string& bundle : bundles) {
      try {
        const Ingested ingested = store.ingest(bundle);
        ++counts[ingested.outcome];
        fmt::print("{}: {}\n", to_string(ingested.outcome), describe(ingested.run));
      } catch (const BundleError& error) {
        print_error("ingest", fmt::format("cannot ingest: {}", error.what()));
        ++unreadable;
      }
    }
    fmt::print("{}: {} added, {} updated, {} unchanged{}\n", db, counts[IngestOutcome::added],
               counts[IngestOutcome::updated], counts[IngestOutcome::unchanged],
               unreadable ? fmt::format(", {} could not be read", unreadable) : "");
    return unreadable ? kExitHistoryFailed : 0;
  } catch (const HistoryError& error) {
    print_error("ingest", error.what());
    return kExitHistoryFailed;
  }
}

int runs_command(const std::string& db, const RunFilter& filter) {
  try {
    const HistoryStore store(db, OpenMode::existing);
    Table table{{"run", "started", "system", "config", "cluster", "revision", "sciperf", "status", "cases", "file"}, {}};
    for (const StoredRun& run : store.runs(filter))
      table.rows.push_back({std::to_string(run.id), run.started, run.system, run.config, run.cluster, run.revision,
                            run.sciperf_version, run.status, std::to_string(run.cases), run.file});
    if (table.rows.empty()) fmt::print("{}: no runs match\n", db);
    else fmt::print("{}", render_text(table));
    return 0;
  } catch (const HistoryError& error) {
    print_error("runs", error.what());
    return kExitHistoryFailed;
  }
}

int trend_command(const std::string& db, const TrendRequest& request) {
  try {
    const HistoryStore store(db, OpenMode::existing);
    const std::vector<TrendSeries> series = trend(store, request);
    if (series.empty()) {
      print_error("trend", fmt::format("{}: no case matching \"{}\" has a value of {} in the runs selected", db,
                                       request.case_pattern, request.metric));
      return kExitHistoryFailed;
    }
    fmt::print("{}", render_trend(series));
    return 0;
  } catch (const HistoryError& error) {
    print_error("trend", error.what());
  } catch (const std::invalid_argument& error) {
    print_error("trend", error.what());
  }
  return kExitHistoryFailed;
}

int export_command(const std::string& db, const std::string& csv_file) {
  try {
    const HistoryStore store(db, OpenMode::existing);
    const Table table = export_table(store);
    if (!write_output(csv_file, render_csv(table), "history export")) return kExitHistoryFailed;
    fmt::print(stderr, "{}: {} metric values to {}\n", db, table.rows.size(), csv_file);
    return 0;
  } catch (const HistoryError& error) {
    print_error("export", error.what());
    return kExitHistoryFailed;
  }
}

CLI::Option* add_history_db_option(CLI::App& app, const std::string& name, std::string& path) {
  return app.add_option(name, path, "History database")
      ->envname(kHistoryDbVariable)
      ->capture_default_str();
}

HistoryCommands::HistoryCommands(CLI::App& app) {
  CLI::App* history = app.add_subcommand("history", "Keep runs in a history database: trends, change points, export");
  history->require_subcommand(1);
  history->fallthrough();  // inherited by the subcommands: --db may also follow them
  add_history_db_option(*history, "--db", db_);

  ingest_ = history->add_subcommand("ingest", "Add bundles to the history (again: nothing changes)");
  ingest_->add_option("bundles", bundles_, "Bundles (directories or results.json files)")->required();

  runs_ = history->add_subcommand("runs", "List the runs in the history, oldest first");
  runs_->add_option("--system", runs_filter_.system, "Only runs on this system");
  runs_->add_option("--config", runs_filter_.config, "Only runs of this config");
  runs_->add_option("--cluster", runs_filter_.cluster, "Only runs of this cluster configuration (e.g. n2-r8-g1-t8)");
  runs_->add_option("--revision", runs_filter_.revision, "Only runs of this git revision (a prefix will do)");
  runs_->add_option("--last", runs_last_, "Only the newest N")->check(CLI::PositiveNumber);

  trend_ = history->add_subcommand("trend", "A metric's values run after run, with change points marked");
  trend_->add_option("case", trend_request_.case_pattern, "Regular expression searched in case names")->required();
  trend_->add_option("metric", trend_request_.metric, "Metric, e.g. busbw or time_avg")->required();
  trend_->add_option("--system", trend_request_.runs.system, "Only runs on this system");
  trend_->add_option("--config", trend_request_.runs.config, "Only runs of this config");
  trend_->add_option("--last", trend_last_, "Only the newest N points of each series")->check(CLI::PositiveNumber);

  export_ = history->add_subcommand("export", "Write every metric value as CSV, one row per run, case and metric");
  export_->add_option("--csv", csv_file_, "CSV file to write")->required();
}

std::optional<int> HistoryCommands::run() const {
  const auto limit = [](std::size_t last) { return last ? std::optional(last) : std::nullopt; };
  if (*ingest_) return ingest_command(db_, bundles_);
  if (*runs_) {
    RunFilter filter = runs_filter_;
    filter.last = limit(runs_last_);
    return runs_command(db_, filter);
  }
  if (*trend_) {
    TrendRequest request = trend_request_;
    request.last = limit(trend_last_);
    return trend_command(db_, request);
  }
  if (*export_) return export_command(db_, csv_file_);
  return std::nullopt;
}

}  // namespace sciperf::reports
