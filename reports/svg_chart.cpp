#include "reports/svg_chart.h"

#include "reports/escape.h"
#include "reports/format.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace sciperf::reports {
namespace {

// Okabe and Ito's colour-blind-safe set (without its yellow, too faint on white), then Tol's.
constexpr std::array<const char*, 10> kColours{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                               "#56B4E9", "#000000", "#882255", "#44AA99", "#999933"};
constexpr std::array<const char*, 4> kDashes{"", "7 4", "2 3", "9 3 2 3"};
enum class Marker { circle, square, triangle, diamond };
constexpr std::size_t kMarkerCount = 4;

// Geometry in SVG user units; the page scales the whole drawing to fit.
constexpr double kWidth = 760;
constexpr double kLeft = 84;   // room for the y tick labels and the y axis label
constexpr double kRight = 24;
constexpr double kTop = 40;    // room for the title
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPlotHeight = 300;
constexpr double kBelowPlot = 56;  // x tick labels and the x axis label
constexpr double kLegendRow = 18;
// More ticks than this crowd each other's labels.
constexpr std::size_t kMaxTicks = 9;

double transform(Scale scale, double value) {
  switch (scale) {
    case Scale::log2: return std::log2(value);
    case Scale::log10: return std::log10(value);
    case Scale::linear: break;
  }
  return value;
}

bool placeable(Scale scale, double value) { return std::isfinite(value) && (scale == Scale::linear || value > 0); }

// An axis's transformed interval [low, high] and the values it puts ticks at.
struct Mapping {
  Scale scale = Scale::linear;
  double low = 0;
  double high = 1;
  std::vector<double> ticks;

  // 0 at the low end of the axis, 1 at the high end.
  double fraction(double value) const { return (transform(scale, value) - low) / (high - low); }
};

// 1, 2 or 5 times a power of ten, at least `rough`: steps whose ticks read easily.
double nice_step(double rough) {
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (const double multiple : {1.0, 2.0, 5.0})
    if (multiple * power >= rough) return multiple * power;
  return 10 * power;
}

// From zero when every value is positive, so that lengths compare honestly.
Mapping linear_mapping(double min, double max) {
  Mapping mapping;
  double low = std::min(0.0, min);
  double high = std::max(0.0, max);
  if (high <= low) high = low + 1;
  const double step = nice_step((high - low) / 5);
  mapping.low = std::floor(low / step) * step;
  mapping.high = std::ceil(high / step) * step;
  const auto steps = static_cast<long>(std::lround((mapping.high - mapping.low) / step));
  for (long i = 0; i <= steps; ++i) mapping.ticks.push_back(mapping.low + static_cast<double>(i) * step);
  return mapping;
}

// Whole powers of the base at the ends; ticks at every `stride`-th power so that at most
// kMaxTicks show, and at 2× and 5× too where a decimal axis spans two decades or less.
Mapping log_mapping(Scale scale, double min, double max) {
  Mapping mapping;
  mapping.scale = scale;
  const double base = scale == Scale::log2 ? 2.0 : 10.0;
  mapping.low = std::floor(transform(scale, min));
  mapping.high = std::max(std::ceil(transform(scale, max)), mapping.low + 1);
  const auto first = static_cast<long>(mapping.low);
  const auto last = static_cast<long>(mapping.high);
  const long count = last - first + 1;
  const long stride = (count + static_cast<long>(kMaxTicks) - 1) / static_cast<long>(kMaxTicks);
  const bool in_between = scale == Scale::log10 && count <= 3;
  for (long exponent = first; exponent <= last; ++exponent) {
    if ((exponent % stride + stride) % stride != 0) continue;
    const double power = std::pow(base, static_cast<double>(exponent));
    mapping.ticks.push_back(power);
    if (in_between && exponent < last)
      for (const double multiple : {2.0, 5.0}) mapping.ticks.push_back(multiple * power);
  }
  return mapping;
}

Mapping mapping_for(Scale scale, const std::vector<double>& values) {
  const auto [min, max] = values.empty() ? std::pair(1.0, 1.0) : std::pair(*std::min_element(values.begin(), values.end()),
                                                                            *std::max_element(values.begin(), values.end()));
  return scale == Scale::linear ? linear_mapping(min, max) : log_mapping(scale, min, max);
}

// Where the points go in the drawing.
struct Frame {
  Mapping x;
  Mapping y;
  double px(double value) const { return kLeft + x.fraction(value) * kPlotWidth; }
  double py(double value) const { return kTop + (1 - y.fraction(value)) * kPlotHeight; }
};

// A point is drawn when both axes can place it; its range only when both ends can be placed too.
std::vector<Point> drawable_points(const Series& series, const LineChart& chart) {
  std::vector<Point> points;
  for (Point point : series.points) {
    if (!placeable(chart.x.scale, point.x) || !placeable(chart.y.scale, point.y)) continue;
    if (point.range && !(placeable(chart.y.scale, point.range->first) && placeable(chart.y.scale, point.range->second)))
      point.range.reset();
    points.push_back(std::move(point));
  }
  std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.x < b.x; });
  return points;
}

Frame frame_for(const LineChart& chart) {
  std::vector<double> xs;
  std::vector<double> ys;
  for (const Series& series : chart.series)
    for (const Point& point : drawable_points(series, chart)) {
      xs.push_back(point.x);
      ys.push_back(point.y);
      if (point.range) ys.insert(ys.end(), {point.range->first, point.range->second});
    }
  return {mapping_for(chart.x.scale, xs), mapping_for(chart.y.scale, ys)};
}

std::string number(double value) { return fmt::format("{:.1f}", value); }

std::string tick_text(const Axis& axis, double value) {
  return axis.tick_text ? axis.tick_text(value) : format_value(value, "");
}

std::string title_element(const std::string& tooltip) {
  return tooltip.empty() ? "" : fmt::format("<title>{}</title>", escape_xml(tooltip));
}

std::string marker_svg(std::size_t marker, double x, double y, const char* colour, const std::string& tooltip) {
  const auto polygon = [&](std::initializer_list<std::pair<double, double>> offsets) {
    std::string points;
    for (const auto& [dx, dy] : offsets) points += fmt::format("{}{},{}", points.empty() ? "" : " ", number(x + dx), number(y + dy));
    return fmt::format("<polygon points=\"{}\" fill=\"{}\">{}</polygon>", points, colour, title_element(tooltip));
  };
  switch (static_cast<Marker>(marker % kMarkerCount)) {
    case Marker::circle:
      return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\">{}</circle>", number(x), number(y), colour,
                         title_element(tooltip));
    case Marker::square:
      return fmt::format("<rect x=\"{}\" y=\"{}\" width=\"7\" height=\"7\" fill=\"{}\">{}</rect>", number(x - 3.5),
                         number(y - 3.5), colour, title_element(tooltip));
    case Marker::triangle: return polygon({{0, -4.5}, {-4.5, 3.5}, {4.5, 3.5}});
    case Marker::diamond: return polygon({{0, -5}, {5, 0}, {0, 5}, {-5, 0}});
  }
  return "";
}

std::string dash_attribute(std::size_t dash) {
  const char* pattern = kDashes[dash % kDashes.size()];
  return *pattern ? fmt::format(" stroke-dasharray=\"{}\"", pattern) : "";
}

std::string axes_svg(const LineChart& chart, const Frame& frame) {
  std::string out = "<g class=\"axes\">";
  const double bottom = kTop + kPlotHeight;
  for (const double tick : frame.x.ticks) {
    const double x = frame.px(tick);
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#ddd\"/>", number(x), number(kTop), number(bottom));
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", number(x), number(bottom + 18),
                       escape_xml(tick_text(chart.x, tick)));
  }
  for (const double tick : frame.y.ticks) {
    const double y = frame.py(tick);
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#ddd\"/>", number(kLeft), number(y),
                       number(kLeft + kPlotWidth));
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>",
                       number(kLeft - 8), number(y), escape_xml(tick_text(chart.y, tick)));
  }
  out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>", number(kLeft),
                     number(kTop), number(kPlotWidth), number(kPlotHeight));
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", number(kLeft + kPlotWidth / 2),
                     number(bottom + 40), escape_xml(chart.x.label));
  const double middle = kTop + kPlotHeight / 2;
  out += fmt::format("<text x=\"18\" y=\"{0}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {0})\">{1}</text>",
                     number(middle), escape_xml(chart.y.label));
  return out + "</g>";
}

// The shaded range (a band where there are two points or more, a whisker at each point),
// then the line, then the markers on top, each with its tooltip.
std::string series_svg(const Series& series, const LineChart& chart, const Frame& frame) {
  const char* colour = kColours[series.colour % kColours.size()];
  std::vector<std::string> line;
  std::vector<std::string> band;  // along the highs, then back along the lows
  std::vector<std::string> lows;
  std::string whiskers;
  std::string markers;
  for (const Point& point : drawable_points(series, chart)) {
    const std::string x = number(frame.px(point.x));
    line.push_back(fmt::format("{},{}", x, number(frame.py(point.y))));
    markers += marker_svg(series.marker, frame.px(point.x), frame.py(point.y), colour, point.tooltip);
    if (!point.label.empty())
      markers += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>", number(frame.px(point.x) + 7),
                             number(frame.py(point.y) - 6), escape_xml(point.label));
    if (!point.range) continue;
    const std::string low = number(frame.py(point.range->first));
    const std::string high = number(frame.py(point.range->second));
    band.push_back(fmt::format("{},{}", x, high));
    lows.push_back(fmt::format("{},{}", x, low));
    whiskers += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\"/>", x, low, high, colour);
  }
  std::string out = "<g class=\"series\">";
  if (band.size() >= 2) {
    band.insert(band.end(), lows.rbegin(), lows.rend());
    out += fmt::format("<polygon class=\"band\" points=\"{}\" fill=\"{}\" fill-opacity=\"0.15\"/>",
                       fmt::join(band, " "), colour);
  }
  out += whiskers;
  if (series.draw != Draw::markers)
    out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>", fmt::join(line, " "),
                       colour, dash_attribute(series.dash));
  return out + (series.draw == Draw::line ? "" : markers) + "</g>";
}

double legend_top() { return kTop + kPlotHeight + kBelowPlot; }

// Two columns, read down then across, when the labels are short enough to sit side by side:
// a long legend then takes half the height.
std::size_t legend_columns(const LineChart& chart) {
  constexpr std::size_t kShortLabel = 44;  // bytes of text that fit in half the plot's width
  const bool short_labels = std::all_of(chart.series.begin(), chart.series.end(),
                                        [](const Series& series) { return series.label.size() <= kShortLabel; });
  return chart.series.size() > 4 && short_labels ? 2 : 1;
}

std::size_t legend_rows(const LineChart& chart) {
  const std::size_t columns = legend_columns(chart);
  return (chart.series.size() + columns - 1) / columns;
}

std::string legend_svg(const LineChart& chart) {
  std::string out = "<g class=\"legend\">";
  const std::size_t rows = legend_rows(chart);
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& series = chart.series[i];
    const char* colour = kColours[series.colour % kColours.size()];
    const double x = kLeft + static_cast<double>(i / rows) * kPlotWidth / 2;
    const double y = legend_top() + static_cast<double>(i % rows) * kLegendRow;
    out += "<g class=\"legend-entry\">";
    if (series.draw != Draw::markers)
      out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"2\"{4}/>", number(x),
                         number(y), number(x + 28), colour, dash_attribute(series.dash));
    if (series.draw != Draw::line) out += marker_svg(series.marker, x + 14, y, colour, "");
    out += fmt::format("<text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\">{}</text></g>", number(x + 36), number(y),
                       escape_xml(series.label));
  }
  return out + "</g>";
}

}  // namespace

std::string render_svg(const LineChart& chart, const std::string& id) {
  const Frame frame = frame_for(chart);
  const double height = legend_top() + static_cast<double>(legend_rows(chart)) * kLegendRow;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{0}\" viewBox=\"0 0 {1} {2}\" width=\"{1}\" "
      "height=\"{2}\" role=\"img\" aria-labelledby=\"{0}-title {0}-desc\" font-family=\"sans-serif\" font-size=\"12\">",
      escape_xml(id), number(kWidth), number(height));
  // A line per part, so that a diff of two reports reads.
  out += fmt::format("\n<title id=\"{}-title\">{}</title>", escape_xml(id), escape_xml(chart.title));
  out += fmt::format("<desc id=\"{}-desc\">{}</desc>\n", escape_xml(id), escape_xml(chart.description));
  out += fmt::format("<text x=\"{}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{}</text>\n", number(kLeft),
                     escape_xml(chart.title));
  out += axes_svg(chart, frame) + "\n";
  for (const Series& series : chart.series) out += series_svg(series, chart, frame) + "\n";
  return out + legend_svg(chart) + "\n</svg>";
}

}  // namespace sciperf::reports
