#include "reports/history_changepoints.h"

#include "reports/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace sciperf::reports {
namespace {

double median_of(std::span<const double> points) { return median({points.begin(), points.end()}); }

double relative_shift(double before, double after) {
  if (before == 0) return after == 0 ? 0 : std::numeric_limits<double>::infinity();
  return std::fabs(after / before - 1.0);
}

struct Split {
  std::size_t index = 0;
  double p_value = 1;
};

// The most significant split of series[begin, end) that moves the median enough, when it
// passes the Bonferroni-corrected threshold.
std::optional<Split> best_split(std::span<const double> series, std::size_t begin, std::size_t end,
                                const ChangePointSettings& settings) {
  const std::size_t side = std::max<std::size_t>(settings.min_segment, 1);
  if (end - begin < 2 * side) return std::nullopt;
  const std::size_t tried = end - begin - 2 * side + 1;
  std::optional<Split> best;
  for (std::size_t k = begin + side; k + side <= end; ++k) {
    const auto before = series.subspan(begin, k - begin);
    const auto after = series.subspan(k, end - k);
    if (relative_shift(median_of(before), median_of(after)) < settings.min_change) continue;
    const double p_value = mann_whitney_u(before, after).p_value;
    if (!best || p_value < best->p_value) best = Split{k, p_value};
  }
  if (best && best->p_value < settings.alpha / static_cast<double>(tried)) return best;
  return std::nullopt;
}

void segment(std::span<const double> series, std::size_t begin, std::size_t end, const ChangePointSettings& settings,
             std::vector<Split>& found) {
  const auto split = best_split(series, begin, end, settings);
  if (!split) return;
  found.push_back(*split);
  segment(series, begin, split->index, settings, found);
  segment(series, split->index, end, settings, found);
}

}  // namespace

std::vector<ChangePoint> find_change_points(std::span<const double> series, const ChangePointSettings& settings) {
  std::vector<Split> splits;
  segment(series, 0, series.size(), settings, splits);
  std::sort(splits.begin(), splits.end(), [](const Split& a, const Split& b) { return a.index < b.index; });
  // Levels are reported over the final segments, not the larger ones each split was found
  // in: those are what a reader sees between two marks.
  std::vector<ChangePoint> changes;
  for (std::size_t i = 0; i < splits.size(); ++i) {
    const std::size_t begin = i == 0 ? 0 : splits[i - 1].index;
    const std::size_t end = i + 1 == splits.size() ? series.size() : splits[i + 1].index;
    const std::size_t at = splits[i].index;
    changes.push_back({at, median_of(series.subspan(begin, at - begin)), median_of(series.subspan(at, end - at)),
                       splits[i].p_value});
  }
  return changes;
}

}  // namespace sciperf::reports
