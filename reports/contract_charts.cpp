#include "reports/contract_charts.h"

#include "reports/chart_spec.h"
#include "reports/format.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace sciperf::reports {
namespace {

// A case of the suite and the bundle it is from.
struct Placed {
  const CaseResult* record = nullptr;
  std::size_t bundle = 0;
};

std::vector<Placed> cases_of(const SuiteRows& suite) {
  std::vector<Placed> cases;
  for (const CaseRow& row : suite.rows)
    for (std::size_t b = 0; b < row.records.size(); ++b)
      if (row.records[b] != nullptr) cases.push_back({row.records[b], b});
  return cases;
}

// The metric, when the case has a value for it.
const Metric* measured(const CaseResult& record, std::string_view name) {
  const auto it = record.metrics.find(name);
  return it == record.metrics.end() || !it->second.value ? nullptr : &it->second;
}

std::string axis_label(std::string_view metric, const std::string& unit, Scale scale) {
  return fmt::format("{}{}{}", metric, unit.empty() ? "" : fmt::format(" ({})", unit), scale == Scale::linear ? "" : ", log scale");
}

// "[2] lab-b · model=mlp · held-out loss": the parts that tell a series apart, empty ones left out.
std::string series_label(const std::vector<Bundle>& bundles, std::size_t bundle, std::vector<std::string> parts) {
  if (bundles.size() > 1) parts.insert(parts.begin(), tagged(bundles, bundle, bundles[bundle].system));
  std::erase(parts, std::string());
  return fmt::format("{}", fmt::join(parts, " · "));
}

std::string param_values(const CaseResult& record, const std::vector<std::string>& params) {
  std::vector<std::string> values;
  for (const std::string& name : params) values.push_back(fmt::format("{}={}", name, format_case_param(record, name)));
  return fmt::format("{}", fmt::join(values, ", "));
}

}  // namespace

std::optional<LineChart> loss_curve_chart(const std::vector<Bundle>& bundles, const SuiteRows& suite) {
  std::vector<Placed> curves;
  std::vector<const CaseResult*> records;
  for (const Placed& placed : cases_of(suite))
    if (!placed.record->loss_curve.empty()) {
      curves.push_back(placed);
      records.push_back(placed.record);
    }
  if (curves.empty()) return std::nullopt;
  const std::vector<std::string> params = varying_params(records);

  // A colour per case, the same in every run; a dash per run; a marker per loss, as the size
  // charts have a marker per metric.
  constexpr std::pair<const char*, double LossPoint::*> kLosses[] = {{"training loss", &LossPoint::train_loss},
                                                                      {"held-out loss", &LossPoint::eval_loss}};
  std::map<std::string, std::size_t> colours;
  LineChart chart;
  for (const Placed& curve : curves) {
    const std::size_t colour = colours.emplace(curve.record->name, colours.size()).first->second;
    for (std::size_t m = 0; m < std::size(kLosses); ++m) {
      const auto [name, loss] = kLosses[m];
      Series series{series_label(bundles, curve.bundle, {param_values(*curve.record, params), name}), colour, curve.bundle, m, {}};
      for (const LossPoint& point : curve.record->loss_curve)
        series.points.push_back({point.step, point.*loss, std::nullopt,
                                 tagged(bundles, curve.bundle,
                                        fmt::format("{}: step {:g}, {} {}", curve.record->name, point.step, name,
                                                    format_value(point.*loss, "")))});
      chart.series.push_back(std::move(series));
    }
  }
  chart.title = fmt::format("{}: loss vs step", suite.suite);
  chart.x = {"step", Scale::linear, {}};
  chart.y.scale = wide_range(chart.series) ? Scale::log10 : Scale::linear;
  chart.y.label = axis_label("loss", "", chart.y.scale);
  chart.description = fmt::format(
      "Training loss (circles) and held-out loss (squares) at each evaluation (details.loss_curve), one line each per "
      "case{}. A held-out loss that stops falling while the training loss still does is overfitting; a curve that ends "
      "early reached its target loss.",
      bundles.size() > 1 ? " and run" : "");
  return chart;
}

std::vector<std::size_t> pareto_front(const std::vector<Point>& points) {
  const auto beats = [](const Point& a, const Point& b) { return a.x >= b.x && a.y >= b.y && (a.x > b.x || a.y > b.y); };
  std::vector<std::size_t> front;
  for (std::size_t i = 0; i < points.size(); ++i)
    if (std::none_of(points.begin(), points.end(), [&](const Point& other) { return beats(other, points[i]); }))
      front.push_back(i);
  return front;
}

namespace {

// A point's label: its variant, with the other parameters that vary between the points (the
// engine, say), so that two points of one variant tell apart; the case name without a variant.
std::string variant_label(const CaseResult& record, const std::vector<std::string>& others) {
  if (!record.params.contains("variant")) return record.name;
  const std::string rest = param_values(record, others);
  return format_case_param(record, "variant") + (rest.empty() ? "" : " · " + rest);
}

}  // namespace

std::optional<LineChart> pareto_chart(const std::vector<Bundle>& bundles, const SuiteRows& suite) {
  std::vector<Placed> cases;
  std::vector<const CaseResult*> records;
  for (const Placed& placed : cases_of(suite))
    if (measured(*placed.record, "speedup") && measured(*placed.record, "accuracy_delta")) {
      cases.push_back(placed);
      records.push_back(placed.record);
    }
  if (cases.empty()) return std::nullopt;
  std::vector<std::string> others = varying_params(records);
  std::erase(others, "variant");
  std::vector<std::vector<Point>> points(bundles.size());
  std::string speedup_unit, delta_unit;  // the axes': the first case's that has one
  for (const Placed& placed : cases) {
    const CaseResult& record = *placed.record;
    const Metric& speedup = *measured(record, "speedup");
    const Metric& delta = *measured(record, "accuracy_delta");
    if (speedup_unit.empty()) speedup_unit = speedup.unit;
    if (delta_unit.empty()) delta_unit = delta.unit;
    const std::string tooltip = fmt::format("{}: speedup {}, accuracy_delta {}", record.name,
                                            format_value(*speedup.value, speedup.unit), format_value(*delta.value, delta.unit));
    points[placed.bundle].push_back(
        {*speedup.value, *delta.value, std::nullopt, tagged(bundles, placed.bundle, tooltip), variant_label(record, others)});
  }
  LineChart chart;
  std::size_t dominated_count = 0, total = 0;
  for (std::size_t b = 0; b < bundles.size(); ++b) {
    if (points[b].empty()) continue;
    const std::vector<std::size_t> on_front = pareto_front(points[b]);
    Series front{series_label(bundles, b, {"Pareto front"}), b, 0, 0, {}};
    Series dominated{series_label(bundles, b, {"dominated"}), b, 0, 1, {}, Draw::markers};
    for (std::size_t i = 0; i < points[b].size(); ++i)
      (std::binary_search(on_front.begin(), on_front.end(), i) ? front : dominated).points.push_back(points[b][i]);
    dominated_count += dominated.points.size();
    total += points[b].size();
    chart.series.push_back(std::move(front));
    if (!dominated.points.empty()) chart.series.push_back(std::move(dominated));
  }
  chart.title = fmt::format("{}: accuracy_delta vs speedup", suite.suite);
  chart.x = {axis_label("speedup", speedup_unit, Scale::linear), Scale::linear, {}};
  chart.y = {axis_label("accuracy_delta", delta_unit, Scale::linear), Scale::linear, {}};
  chart.description = fmt::format(
      "Accuracy change against speedup over the dense model, one point per case, labelled by its variant; up and to "
      "the right is better. Joined{}: the Pareto front, the variants that no other beats in both speed and accuracy. "
      "{} of {} dominated.",
      bundles.size() > 1 ? ", per run" : "", dominated_count, total);
  return chart;
}

double ridge_intensity(double peak, double bandwidth) { return peak / bandwidth; }

namespace {

// A bundle's roofs: the highest bandwidth and, per precision, the highest peak its cases measured.
struct Roofs {
  std::optional<double> bandwidth;       // GB/s
  std::map<std::string, double> peaks;  // precision → GFLOP/s
};

Roofs roofs_of(const Bundle& bundle) {
  Roofs roofs;
  for (const CaseResult& record : bundle.cases) {
    if (!record.roofline_ceiling) continue;
    const RooflineCeiling& ceiling = *record.roofline_ceiling;
    if (ceiling.kind == RooflineCeiling::Kind::memory) {
      roofs.bandwidth = std::max(roofs.bandwidth.value_or(0.0), ceiling.value);
    } else {
      double& peak = roofs.peaks[ceiling.precision];
      peak = std::max(peak, ceiling.value);
    }
  }
  return roofs;
}

// What a precision's kernels count, as the kernels suite has it: operations (OP) for integers,
// floating-point operations (FLOP) otherwise.
std::string operation_unit(const std::string& precision) {
  return precision.starts_with("int") || precision.starts_with("uint") ? "OP" : "FLOP";
}

// One roof from `low` to `high` intensity: min(peak, bandwidth × intensity), bent at the ridge.
Series roof_series(std::string label, std::size_t colour, std::size_t dash, double peak, double bandwidth, double low,
                   double high) {
  Series roof{std::move(label), colour, dash, 0, {}, Draw::line};
  std::vector<double> xs{low, high};
  if (const double ridge = ridge_intensity(peak, bandwidth); ridge > low && ridge < high) xs.insert(xs.begin() + 1, ridge);
  for (const double x : xs) roof.points.push_back({x, std::min(peak, bandwidth * x), std::nullopt, ""});
  return roof;
}

// Each bundle's roofs across the intensities from `low` to `high`.
std::vector<Series> roof_lines(const std::vector<Bundle>& bundles, const std::vector<Roofs>& roofs, double low, double high) {
  constexpr double kNone = std::numeric_limits<double>::infinity();  // no ceiling of that kind: the other alone bounds
  std::vector<Series> lines;
  for (std::size_t b = 0; b < bundles.size(); ++b) {
    const double bandwidth = roofs[b].bandwidth.value_or(kNone);
    const std::string memory = roofs[b].bandwidth ? format_value(bandwidth, "GB/s") : "";
    if (roofs[b].peaks.empty() && roofs[b].bandwidth)
      lines.push_back(roof_series(series_label(bundles, b, {"memory roof: " + memory}), b, 0, kNone, bandwidth, low, high));
    std::size_t dash = 0;
    for (const auto& [precision, peak] : roofs[b].peaks) {
      const std::string operation = operation_unit(precision);
      std::string text = fmt::format("{} roof: {}", precision.empty() ? "compute" : precision, format_value(peak, "G" + operation + "/s"));
      if (roofs[b].bandwidth)
        text += fmt::format(" and {}, ridge at {}", memory, format_value(ridge_intensity(peak, bandwidth), operation + "/B"));
      lines.push_back(roof_series(series_label(bundles, b, {text}), b, dash++, peak, bandwidth, low, high));
    }
  }
  return lines;
}

}  // namespace

std::optional<LineChart> roofline_chart(const std::vector<Bundle>& bundles, const SuiteRows& suite) {
  // The roofs are in G(FL)OP/s and GB/s: only a point in operations per byte and G(FL)OP/s
  // sits under them (integer kernels count OP, as int8's peak does).
  static constexpr std::array<std::string_view, 4> kIntensityUnits{"FLOP/B", "OP/B", "FLOP/byte", "OP/byte"};
  static constexpr std::array<std::string_view, 2> kRateUnits{"GFLOP/s", "GOP/s"};
  const auto one_of = [](const auto& units, const std::string& unit) {
    return std::find(units.begin(), units.end(), unit) != units.end();
  };
  std::vector<Series> measured_points(bundles.size());
  std::vector<std::string> intensity_units, rate_units;  // as the points have them, for the axes
  std::size_t other_units = 0;
  for (const Placed& placed : cases_of(suite)) {
    const CaseResult& record = *placed.record;
    const Metric* intensity = measured(record, "arithmetic_intensity");
    const Metric* gflops = measured(record, "gflops");
    if (!intensity || !gflops) continue;
    if (!one_of(kIntensityUnits, intensity->unit) || !one_of(kRateUnits, gflops->unit)) {
      ++other_units;
      continue;
    }
    if (!one_of(intensity_units, intensity->unit)) intensity_units.push_back(intensity->unit);
    if (!one_of(rate_units, gflops->unit)) rate_units.push_back(gflops->unit);
    const std::string tooltip = fmt::format("{}: {}, {}", record.name, format_value(*intensity->value, intensity->unit),
                                            format_value(*gflops->value, gflops->unit));
    measured_points[placed.bundle].points.push_back(
        {*intensity->value, *gflops->value, std::nullopt, tagged(bundles, placed.bundle, tooltip)});
  }
  if (std::all_of(measured_points.begin(), measured_points.end(), [](const Series& s) { return s.points.empty(); }))
    return std::nullopt;

  // The intensities shown: every point's and every ridge's, with room on either side.
  std::vector<Roofs> roofs;
  std::vector<double> intensities;
  for (const Bundle& bundle : bundles) {
    roofs.push_back(roofs_of(bundle));
    if (roofs.back().bandwidth)
      for (const auto& [precision, peak] : roofs.back().peaks) intensities.push_back(ridge_intensity(peak, *roofs.back().bandwidth));
  }
  for (const Series& series : measured_points)
    for (const Point& point : series.points)
      if (point.x > 0) intensities.push_back(point.x);
  const auto [low, high] = std::minmax_element(intensities.begin(), intensities.end());
  const bool any_roof = std::any_of(roofs.begin(), roofs.end(), [](const Roofs& r) { return r.bandwidth || !r.peaks.empty(); });

  LineChart chart;
  if (!intensities.empty()) chart.series = roof_lines(bundles, roofs, *low / 2, *high * 2);
  for (std::size_t b = 0; b < bundles.size(); ++b) {
    if (measured_points[b].points.empty()) continue;
    Series& points = chart.series.emplace_back(std::move(measured_points[b]));
    points.label = series_label(bundles, b, {suite.suite});
    points.colour = b;
    points.draw = Draw::markers;
  }
  chart.title = fmt::format("{}: roofline, gflops vs arithmetic_intensity", suite.suite);
  chart.x = {axis_label("arithmetic_intensity", fmt::format("{}", fmt::join(intensity_units, ", ")), Scale::log10), Scale::log10, {}};
  chart.y = {axis_label("gflops", fmt::format("{}", fmt::join(rate_units, ", ")), Scale::log10), Scale::log10, {}};
  chart.description = fmt::format(
      "Each case at its arithmetic intensity and the GFLOP/s it reached, log-log, under the roofs of its run: per "
      "precision min(peak, bandwidth × intensity), from the highest ceilings the run's cases measured "
      "(details.roofline_ceiling). Left of a ridge memory bandwidth bounds a kernel, right of it compute; the gap "
      "to the roof is performance left unused.{}{}",
      any_roof ? "" : " No case measured a ceiling, so no roof is drawn.",
      other_units == 0 ? "" : fmt::format(" Not drawn: {} case{} not in (FL)OP/B and G(FL)OP/s.", other_units,
                                          other_units == 1 ? "" : "s"));
  return chart;
}

}  // namespace sciperf::reports
