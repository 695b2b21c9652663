// Line and scatter charts drawn as SVG by our own code, so that an HTML report needs no
// script and no network to show them (docs/DECISIONS.md). Nothing here knows bundles: a chart
// is two axes and series of points, already in the units its axes name.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sciperf::reports {

enum class Scale { linear, log2, log10 };

struct Axis {
  std::string label;  // with its unit: "busbw (GB/s)"
  Scale scale = Scale::linear;
  // A tick's text; plain numbers when unset. Sizes read better as "64KiB".
  std::function<std::string(double)> tick_text;
};

struct Point {
  double x = 0;
  double y = 0;
  std::optional<std::pair<double, double>> range;  // low and high, shaded around y
  std::string tooltip;
  std::string label;  // written beside the point (a Pareto point's variant); usually none
};

// What a series shows of its points: a roof is a bare line, a scatter bare markers.
enum class Draw { line_and_markers, line, markers };

struct Series {
  std::string label;
  // Style indices, wrapping around their palettes: series that share one look alike in it.
  std::size_t colour = 0;
  std::size_t dash = 0;
  std::size_t marker = 0;
  std::vector<Point> points;  // any order: they are joined by increasing x
  Draw draw = Draw::line_and_markers;
};

struct LineChart {
  std::string title;        // the <title> a screen reader announces, also drawn above the plot
  std::string description;  // the <desc>: what the chart shows and what it leaves out
  Axis x;
  Axis y;
  std::vector<Series> series;
};

// The chart as one <svg> element with a legend; `id` keeps its element ids unique in a page.
// Points a log axis cannot place (zero or negative) are not drawn.
std::string render_svg(const LineChart& chart, const std::string& id);

}  // namespace sciperf::reports
