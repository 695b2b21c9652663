// Which charts a suite gets, derived from the bundle format alone so that a new suite is
// charted without code here: a size parameter that varies is the x axis (log2); each headline
// metric gets a chart, and so does each set of percentiles (NAME_median with NAME_pNN); the
// other parameters that vary make the series, one line per combination and bundle. When two
// or more of them vary, the suite's first (its leading parameter, e.g. the collective) splits
// the charts instead, so that one chart does not mix operations that are not comparable.
#pragma once

#include "reports/bundle_reader.h"
#include "reports/render.h"
#include "reports/svg_chart.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sciperf::reports {

struct ChartSpec {
  std::string suite;
  std::string x_param;               // a size parameter
  std::vector<std::string> metrics;  // one line per series and metric
  // Metrics bounding a band around each point, e.g. time_min and time_max around time_avg:
  // how far the slowest rank was from the average. Empty when there are none.
  std::string band_low;
  std::string band_high;
  std::vector<std::string> series_params;  // one line per combination of these (and bundle)
  // When set, the chart holds only the cases whose facet_param is facet_value.
  std::string facet_param;
  nlohmann::json facet_value;
};

std::vector<ChartSpec> chart_specs(const SuiteRows& suite);

// The chart a spec describes, drawn from those of `rows` in its facet; nullopt when no
// series has values at two sizes or more.
std::optional<LineChart> build_chart(const ChartSpec& spec, const std::vector<Bundle>& bundles, const SuiteRows& rows);

// Every chart of a suite: chart_specs' in their order, each facet's reading only its own rows
// (so a leading parameter with many values costs no more than one with few), then those of
// reports/contract_charts.h.
std::vector<LineChart> suite_charts(const std::vector<Bundle>& bundles, const SuiteRows& suite);

// Whether the series' values (and ranges) span over two orders of magnitude, as times and
// bandwidths across message sizes usually do: a linear axis would flatten the small ones into
// the floor, so the y axis is log10.
bool wide_range(const std::vector<Series>& series);

}  // namespace sciperf::reports
