#include "reports/history_trend.h"

#include "reports/format.h"
#include "reports/table.h"

#include <fmt/format.h>

#include <map>
#include <regex>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

namespace sciperf::reports {
namespace {

std::regex case_regex(const std::string& pattern) {
  try {
    return std::regex(pattern);
  } catch (const std::regex_error& error) {
    throw std::invalid_argument(fmt::format("{}: not a regular expression: {}", pattern, error.what()));
  }
}

void check_same_meaning(const std::string& db, const TrendSeries& series, const MetricRow& row) {
  if (series.unit == row.unit && series.direction == row.direction) return;
  throw HistoryError(fmt::format("{}: case {}: metric {}: {} ({}) before run {} (started {}), {} ({}) from it on; a "
                                 "trend needs one unit and direction",
                                 db, series.case_name, series.metric, series.unit, to_string(series.direction),
                                 row.run_id, row.started, row.unit, to_string(row.direction)));
}

std::string describe_change(const TrendSeries& series, const ChangePoint& change) {
  const double shift = change.after / change.before - 1.0;
  const bool better = (shift > 0) == (series.direction == Direction::higher_is_better);
  return fmt::format("change point: {} -> {}, {} {} (p {:.2g})", format_value(change.before, series.unit),
                     format_value(change.after, series.unit), format_percent(shift), better ? "better" : "worse",
                     change.p_value);
}

std::string heading(const TrendSeries& series) {
  std::string text = fmt::format("{}: {} ({}, {}) on {}, config {}", series.case_name, series.metric, series.unit,
                                 to_string(series.direction), series.system, series.config);
  if (!series.cluster.empty()) text += fmt::format(", cluster {}", series.cluster);
  return text;
}

}  // namespace

std::vector<TrendSeries> trend(const HistoryStore& store, const TrendRequest& request) {
  const std::regex pattern = case_regex(request.case_pattern);
  std::unordered_map<std::string, bool> matches;  // case name → whether the pattern matches it
  std::vector<TrendSeries> all;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::size_t> by_key;
  store.for_each_metric_row(request.runs, request.metric, [&](const MetricRow& row) {
    auto match = matches.find(row.case_name);
    if (match == matches.end()) match = matches.emplace(row.case_name, std::regex_search(row.case_name, pattern)).first;
    if (!match->second || !row.value) return;
    const auto [it, fresh] = by_key.emplace(std::tuple(row.system, row.config, row.cluster, row.case_name), all.size());
    if (fresh) {
      TrendSeries& series = all.emplace_back();
      std::tie(series.case_name, series.system, series.config, series.cluster) =
          std::tie(row.case_name, row.system, row.config, row.cluster);
      series.metric = row.metric;
      series.unit = row.unit;
      series.direction = row.direction;
    }
    TrendSeries& series = all[it->second];
    check_same_meaning(store.path(), series, row);
    series.points.push_back({row.run_id, row.started, row.revision, *row.value});
  });
  for (TrendSeries& series : all) {
    if (request.last && series.points.size() > *request.last)
      series.points.erase(series.points.begin(), series.points.end() - static_cast<std::ptrdiff_t>(*request.last));
    std::vector<double> values;
    for (const TrendPoint& point : series.points) values.push_back(point.value);
    series.changes = find_change_points(values, request.change_points);
  }
  return all;
}

std::string render_trend(const std::vector<TrendSeries>& all) {
  std::string text;
  std::size_t changes = 0;
  for (const TrendSeries& series : all) {
    Table table{{"run", "started", "revision", series.metric, "change"}, {}};
    auto change = series.changes.begin();
    for (std::size_t i = 0; i < series.points.size(); ++i) {
      const TrendPoint& point = series.points[i];
      std::vector<std::string> row{std::to_string(point.run_id), point.started, point.revision,
                                   format_value(point.value, series.unit)};
      if (change != series.changes.end() && change->index == i) row.push_back(describe_change(series, *change++));
      table.rows.push_back(std::move(row));
    }
    text += fmt::format("{}\n{}\n", heading(series), render_text(table));
    changes += series.changes.size();
  }
  return text + fmt::format("{} series, {} change point{}\n", all.size(), changes, changes == 1 ? "" : "s");
}

}  // namespace sciperf::reports
