#include "reports/chart_spec.h"

#include "reports/contract_charts.h"
#include "reports/format.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <tuple>

namespace sciperf::reports {
namespace {

using nlohmann::json;

std::vector<const CaseResult*> records_of(const SuiteRows& suite) {
  std::vector<const CaseResult*> records;
  for (const CaseRow& row : suite.rows)
    for (const CaseResult* record : row.records)
      if (record != nullptr) records.push_back(record);
  return records;
}

// A parameter's kind as the first case that has it declares it.
std::string kind_of(const std::vector<const CaseResult*>& records, const std::string& name) {
  for (const CaseResult* record : records)
    if (const auto kind = record->param_kinds.find(name); kind != record->param_kinds.end()) return kind->second;
  return "";
}

bool in_facet(const ChartSpec& spec, const CaseResult& record) {
  return spec.facet_param.empty() || record.params.value(spec.facet_param, json()) == spec.facet_value;
}

// The suite's rows by their value of `param`, in the order the values first appear; one
// group of every row when there is no parameter. One pass, however many values there are.
std::vector<std::pair<json, SuiteRows>> split_by(const SuiteRows& suite, const std::string& param) {
  if (param.empty()) return {{json(), suite}};
  std::vector<std::pair<json, SuiteRows>> groups;
  std::map<json, std::size_t> group_of;
  for (const CaseRow& row : suite.rows) {
    json value = row.any().params.value(param, json());
    const auto [it, fresh] = group_of.emplace(value, groups.size());
    if (fresh) groups.emplace_back(std::move(value), SuiteRows{suite.suite, {}});
    groups[it->second].second.rows.push_back(row);
  }
  return groups;
}

bool has_metric(const std::vector<const CaseResult*>& records, const std::string& name) {
  return std::any_of(records.begin(), records.end(), [&](const CaseResult* r) { return r->metrics.contains(name); });
}

std::vector<std::string> headline_metrics(const std::vector<const CaseResult*>& records) {
  std::vector<std::string> metrics;
  for (const CaseResult* record : records)
    for (const std::string& name : record->headline)
      if (std::find(metrics.begin(), metrics.end(), name) == metrics.end()) metrics.push_back(name);
  return metrics;
}

// NAME_avg is bounded by NAME_min and NAME_max when the cases have them.
void add_band(ChartSpec& spec, const std::vector<const CaseResult*>& records) {
  const std::string& metric = spec.metrics.front();
  if (!metric.ends_with("_avg")) return;
  const std::string base = metric.substr(0, metric.size() - 4);
  if (!has_metric(records, base + "_min") || !has_metric(records, base + "_max")) return;
  spec.band_low = base + "_min";
  spec.band_high = base + "_max";
}

// Every NAME_median that has NAME_pNN beside it, with those percentiles in increasing order.
std::vector<std::vector<std::string>> percentile_sets(const std::vector<const CaseResult*>& records) {
  std::set<std::string> names;
  for (const CaseResult* record : records)
    for (const auto& [name, metric] : record->metrics) names.insert(name);
  std::vector<std::vector<std::string>> sets;
  for (const std::string& median : names) {
    if (!median.ends_with("_median")) continue;
    const std::string prefix = median.substr(0, median.size() - 7) + "_p";
    std::vector<std::pair<int, std::string>> percentiles;
    for (const std::string& name : names) {
      const std::string digits = name.starts_with(prefix) ? name.substr(prefix.size()) : "";
      if (!digits.empty() && digits.size() <= 2 && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        percentiles.emplace_back(std::stoi(digits), name);
    }
    if (percentiles.empty()) continue;
    std::sort(percentiles.begin(), percentiles.end());
    sets.push_back({median});
    for (const auto& [number, name] : percentiles) sets.back().push_back(name);
  }
  return sets;
}

// The cases of one value of the leading parameter (all of the suite's when it does not split
// them) and their charts.
struct Facet {
  SuiteRows rows;
  std::vector<ChartSpec> specs;
};

std::vector<Facet> facets(const SuiteRows& suite) {
  const std::vector<const CaseResult*> records = records_of(suite);
  if (records.empty()) return {};
  const std::vector<std::string> varying = varying_params(records);
  const auto x = std::find_if(varying.begin(), varying.end(), [&](const std::string& name) { return kind_of(records, name) == "size"; });
  if (x == varying.end()) return {};
  std::vector<std::string> others;
  std::copy_if(varying.begin(), varying.end(), std::back_inserter(others), [&](const std::string& name) { return name != *x; });
  const std::string facet_param = others.size() >= 2 ? others.front() : "";

  std::vector<Facet> facets;
  for (auto& [value, rows] : split_by(suite, facet_param)) {
    ChartSpec common{.suite = suite.suite, .x_param = *x, .facet_param = facet_param, .facet_value = value};
    const std::vector<const CaseResult*> group = records_of(rows);
    for (const std::string& name : varying_params(group))
      if (name != *x && name != facet_param) common.series_params.push_back(name);
    Facet& facet = facets.emplace_back(Facet{std::move(rows), {}});
    for (const std::string& metric : headline_metrics(group)) {
      ChartSpec& spec = facet.specs.emplace_back(common);
      spec.metrics = {metric};
      add_band(spec, group);
    }
    for (std::vector<std::string>& metrics : percentile_sets(group)) facet.specs.emplace_back(common).metrics = std::move(metrics);
  }
  return facets;
}

}  // namespace

std::vector<ChartSpec> chart_specs(const SuiteRows& suite) {
  std::vector<ChartSpec> specs;
  for (Facet& facet : facets(suite)) std::move(facet.specs.begin(), facet.specs.end(), std::back_inserter(specs));
  return specs;
}

namespace {

// Seconds read best in the unit that puts the largest value below 1000; other units stay.
std::pair<std::string, double> display_unit(const std::string& unit, double largest) {
  if (unit != "s") return {unit, 1.0};
  static constexpr std::array<std::pair<const char*, double>, 3> kScales{{{"ns", 1e9}, {"us", 1e6}, {"ms", 1e3}}};
  for (const auto& [name, scale] : kScales)
    if (largest * scale < 1000) return {name, scale};
  return {"s", 1.0};
}

// The unit most of the chart's values are in: the axis's. A bundle with a value in another
// unit should not decide how all the others are drawn.
std::string common_unit(const ChartSpec& spec, const std::vector<const CaseResult*>& records) {
  std::map<std::string, std::size_t> counts;
  for (const CaseResult* record : records) {
    if (!in_facet(spec, *record)) continue;
    for (const std::string& name : spec.metrics)
      if (const auto metric = record->metrics.find(name); metric != record->metrics.end() && metric->second.value)
        ++counts[metric->second.unit];
  }
  const auto most = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  return most == counts.end() ? "" : most->first;
}

// The values of the series parameters in a case: what decides its line.
json combination(const CaseResult& record, const std::vector<std::string>& params) {
  json values = json::object();
  for (const std::string& name : params) values[name] = record.params.value(name, json());
  return values;
}

// A line being gathered: its points in the metric's own unit, and the case of each.
struct Line {
  Series series;
  std::vector<std::string> cases;
};

class ChartBuilder {
 public:
  ChartBuilder(const ChartSpec& spec, const std::vector<Bundle>& bundles, std::string unit)
      : spec_(spec), bundles_(bundles), unit_(std::move(unit)) {}

  void add(const CaseResult& record, std::size_t bundle) {
    if (!in_facet(spec_, record)) return;
    const json x = record.params.value(spec_.x_param, json());
    const bool placeable = x.is_number() && x.get<double>() > 0;
    const std::size_t combination_index = combination_of(record);
    for (std::size_t m = 0; m < spec_.metrics.size(); ++m) {
      const auto metric = record.metrics.find(spec_.metrics[m]);
      if (metric == record.metrics.end() || !metric->second.value) continue;
      if (!placeable || metric->second.unit != unit_) {
        ++unplaceable_;
        continue;
      }
      Point point{x.get<double>(), *metric->second.value, range(record), ""};
      point.tooltip = tooltip(record, bundle, metric->second, point.range);
      Line& line = lines_[{combination_index, bundle, m}];
      line.series.points.push_back(std::move(point));
      line.cases.push_back(tagged(bundles_, bundle, record.name));
    }
  }

  std::optional<LineChart> chart(const std::string& x_kind, const std::string& facet_kind) && {
    std::vector<std::pair<Key, Line>> drawn;
    std::size_t single_size = 0;
    for (auto& [key, line] : lines_) {
      std::set<double> sizes;
      for (const Point& point : line.series.points) sizes.insert(point.x);
      if (sizes.size() >= 2) drawn.emplace_back(key, std::move(line));
      else ++single_size;
    }
    if (drawn.empty()) return std::nullopt;
    choose_label_params(drawn);

    LineChart chart;
    std::vector<std::size_t> colours;  // combination indices in the order they are drawn
    for (auto& [key, line] : drawn) {
      const auto [combination_index, bundle, metric] = key;
      line.series.label = label(combination_index, bundle, metric);
      line.series.colour = static_cast<std::size_t>(std::find(colours.begin(), colours.end(), combination_index) - colours.begin());
      if (line.series.colour == colours.size()) colours.push_back(combination_index);
      line.series.dash = bundle;
      line.series.marker = metric;
      chart.series.push_back(line.series);
    }
    const auto [unit, scale] = display_unit(unit_, largest(chart.series));
    rescale(chart.series, scale);
    chart.title = title(facet_kind);
    chart.x = {spec_.x_param + ", log scale", Scale::log2, [x_kind](double value) {
                 return format_param(json(static_cast<std::uint64_t>(std::llround(value))), x_kind);
               }};
    chart.y.scale = wide_range(chart.series) ? Scale::log10 : Scale::linear;
    chart.y.label = fmt::format("{}{}{}", fmt::join(spec_.metrics, ", "), unit.empty() ? "" : fmt::format(" ({})", unit),
                                chart.y.scale == Scale::log10 ? ", log scale" : "");
    chart.description = description(drawn, single_size);
    return chart;
  }

 private:
  using Key = std::tuple<std::size_t, std::size_t, std::size_t>;  // combination, bundle, metric

  std::size_t combination_of(const CaseResult& record) {
    const auto [it, fresh] = combinations_.emplace(combination(record, spec_.series_params), examples_.size());
    if (fresh) examples_.push_back(&record);
    return it->second;
  }

  // Labels name only the parameters that differ between the lines drawn: the cases left out
  // (at one size only) may vary in more.
  void choose_label_params(const std::vector<std::pair<Key, Line>>& drawn) {
    std::vector<const CaseResult*> examples;
    for (const auto& [key, line] : drawn) examples.push_back(examples_[std::get<0>(key)]);
    for (const std::string& name : varying_params(examples))
      if (std::find(spec_.series_params.begin(), spec_.series_params.end(), name) != spec_.series_params.end())
        label_params_.push_back(name);
  }

  std::optional<std::pair<double, double>> range(const CaseResult& record) const {
    if (spec_.band_low.empty()) return std::nullopt;
    const auto low = record.metrics.find(spec_.band_low);
    const auto high = record.metrics.find(spec_.band_high);
    if (low == record.metrics.end() || high == record.metrics.end() || !low->second.value || !high->second.value) return std::nullopt;
    return std::pair(*low->second.value, *high->second.value);
  }

  std::string tooltip(const CaseResult& record, std::size_t bundle, const Metric& metric,
                      const std::optional<std::pair<double, double>>& band) const {
    std::string text = fmt::format("{}: {}", record.name, format_value(*metric.value, metric.unit));
    if (band)
      text += fmt::format(" ({} {}, {} {})", spec_.band_low, format_value(band->first, metric.unit), spec_.band_high,
                          format_value(band->second, metric.unit));
    return tagged(bundles_, bundle, text);
  }

  // "[1] node-a · algorithm=ring · time_p99", with only the parts that tell lines apart.
  std::string label(std::size_t combination_index, std::size_t bundle, std::size_t metric) const {
    std::vector<std::string> parts;
    if (bundles_.size() > 1) parts.push_back(tagged(bundles_, bundle, bundles_[bundle].system));
    std::vector<std::string> values;
    for (const std::string& name : label_params_)
      values.push_back(fmt::format("{}={}", name, format_case_param(*examples_[combination_index], name)));
    if (!values.empty()) parts.push_back(fmt::format("{}", fmt::join(values, ", ")));
    if (spec_.metrics.size() > 1 || parts.empty()) parts.push_back(spec_.metrics[metric]);
    return fmt::format("{}", fmt::join(parts, " · "));
  }

  std::string title(const std::string& facet_kind) const {
    const std::string facet =
        spec_.facet_param.empty() ? "" : fmt::format(", {}={}", spec_.facet_param, format_param(spec_.facet_value, facet_kind));
    return fmt::format("{}{}: {} vs {}", spec_.suite, facet, fmt::join(spec_.metrics, ", "), spec_.x_param);
  }

  std::string description(const std::vector<std::pair<Key, Line>>& drawn, std::size_t single_size) const {
    std::string text = fmt::format("{} against {}, one line per {}.", fmt::join(spec_.metrics, " and "), spec_.x_param,
                                   line_kinds());
    if (!spec_.band_low.empty())
      text += fmt::format(" Shaded: {} to {} across ranks; a band reaching far above the line means a slow rank.{}",
                          spec_.band_low, spec_.band_high, widest_band(drawn));
    if (single_size > 0) text += fmt::format(" Not drawn: {} series with a value at one size only (see the table).", single_size);
    if (unplaceable_ > 0)
      text += fmt::format(" Not drawn: {} value{} with no {} or in a unit other than {}.", unplaceable_,
                          unplaceable_ == 1 ? "" : "s", spec_.x_param, unit_);
    return text;
  }

  // The drawn case whose slowest rank was furthest from the average: where to look first.
  std::string widest_band(const std::vector<std::pair<Key, Line>>& drawn) const {
    double widest = 1;
    std::string where;
    for (const auto& [key, line] : drawn)
      for (std::size_t p = 0; p < line.series.points.size(); ++p) {
        const Point& point = line.series.points[p];
        if (!point.range || !(point.y > 0) || point.range->second / point.y <= widest) continue;
        widest = point.range->second / point.y;
        where = line.cases[p];
      }
    if (where.empty()) return "";
    return fmt::format(" Widest: {}, {} {:.2f}x {}.", where, spec_.band_high, widest, spec_.metrics.front());
  }

  std::string line_kinds() const {
    std::vector<std::string> kinds;
    if (bundles_.size() > 1) kinds.push_back("run");
    if (!label_params_.empty()) kinds.push_back(fmt::format("{}", fmt::join(label_params_, ", ")));
    if (spec_.metrics.size() > 1) kinds.push_back("metric");
    if (kinds.empty()) kinds.push_back("run");
    return fmt::format("{}", fmt::join(kinds, " and "));
  }

  static double largest(const std::vector<Series>& series) {
    double largest = 0;
    for (const Series& s : series)
      for (const Point& point : s.points)
        largest = std::max({largest, std::fabs(point.y), point.range ? std::fabs(point.range->second) : 0.0});
    return largest;
  }

  static void rescale(std::vector<Series>& series, double scale) {
    for (Series& s : series)
      for (Point& point : s.points) {
        point.y *= scale;
        if (point.range) point.range = std::pair(point.range->first * scale, point.range->second * scale);
      }
  }

  const ChartSpec& spec_;
  const std::vector<Bundle>& bundles_;
  std::map<Key, Line> lines_;
  std::map<json, std::size_t> combinations_;  // the series parameters' values → their index, in the order first seen
  std::vector<const CaseResult*> examples_;    // a case with each combination, by index
  std::vector<std::string> label_params_;
  std::string unit_;
  std::size_t unplaceable_ = 0;                // values with no size to place them at, or in another unit
};

}  // namespace

std::optional<LineChart> build_chart(const ChartSpec& spec, const std::vector<Bundle>& bundles, const SuiteRows& rows) {
  const std::vector<const CaseResult*> records = records_of(rows);
  ChartBuilder builder(spec, bundles, common_unit(spec, records));
  for (const CaseRow& row : rows.rows)
    for (std::size_t b = 0; b < row.records.size(); ++b)
      if (row.records[b] != nullptr) builder.add(*row.records[b], b);
  return std::move(builder).chart(kind_of(records, spec.x_param), kind_of(records, spec.facet_param));
}

std::vector<LineChart> suite_charts(const std::vector<Bundle>& bundles, const SuiteRows& suite) {
  std::vector<LineChart> charts;
  for (const Facet& facet : facets(suite))
    for (const ChartSpec& spec : facet.specs)
      if (auto chart = build_chart(spec, bundles, facet.rows)) charts.push_back(std::move(*chart));
  for (auto chart : {loss_curve_chart(bundles, suite), pareto_chart(bundles, suite), roofline_chart(bundles, suite)})
    if (chart) charts.push_back(std::move(*chart));
  return charts;
}

bool wide_range(const std::vector<Series>& series) {
  double low = std::numeric_limits<double>::infinity();
  double high = 0;
  for (const Series& s : series)
    for (const Point& point : s.points) {
      low = std::min({low, point.y, point.range ? point.range->first : point.y});
      high = std::max({high, point.y, point.range ? point.range->second : point.y});
    }
  return low > 0 && high / low > 100;
}

}  // namespace sciperf::reports
