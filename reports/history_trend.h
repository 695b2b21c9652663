// `sciperf history trend`: one metric of the cases a pattern matches, run after run, with
// its change points. A series is one case on one system with one config and cluster
// configuration: values from other shapes or settings are not comparable points.
#pragma once

#include "reports/history_changepoints.h"
#include "reports/history_store.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::reports {

struct TrendRequest {
  std::string case_pattern;  // a regular expression searched in case names, as `run --filter` does
  std::string metric;
  RunFilter runs;
  std::optional<std::size_t> last;  // only the newest N points of each series
  ChangePointSettings change_points;
};

struct TrendPoint {
  std::int64_t run_id = 0;
  std::string started;
  std::string revision;
  double value = 0;
};

struct TrendSeries {
  std::string case_name;
  std::string system;
  std::string config;
  std::string cluster;
  std::string metric;
  std::string unit;
  Direction direction = Direction::lower_is_better;
  std::vector<TrendPoint> points;    // oldest first; runs without a value for the metric are left out
  std::vector<ChangePoint> changes;  // indices into points
};

// std::invalid_argument when the pattern is not a regular expression; HistoryError when a
// series changes its unit or direction (the metric changed meaning: no trend across that).
std::vector<TrendSeries> trend(const HistoryStore& store, const TrendRequest& request);
// A table per series, the change points marked in the last column.
std::string render_trend(const std::vector<TrendSeries>& series);

}  // namespace sciperf::reports
