// Change points in a series of runs' values: where the level shifted and stayed shifted,
// as opposed to one unlucky run.
//
// Binary segmentation with a rank test: in a segment, every split that leaves at least
// `min_segment` points a side is scored by the Mann–Whitney U test of the points before
// against the points after; among the splits whose medians differ by at least
// `min_change`, the one with the smallest p-value is a change point when that p-value is
// below alpha divided by the number of splits tried (Bonferroni: the segment as a whole is
// tested at alpha). The two halves are then searched the same way, until no segment holds
// another change. Ranks make it indifferent to the shape of the noise and to outliers: one
// slow run moves no median and barely moves a rank sum. Why this method: docs/DECISIONS.md.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace sciperf::reports {

struct ChangePointSettings {
  // Points on each side of a split. Four is the fewest with which the two-sided test can
  // reach p < 0.05 at all (4 against 4: p ≥ 0.029), so fewer could never be significant.
  std::size_t min_segment = 4;
  double alpha = 0.05;
  // The smallest relative shift of the median worth reporting: compare's default noise floor.
  double min_change = 0.05;
};

struct ChangePoint {
  std::size_t index = 0;  // the first point of the new level
  double before = 0;      // median of the segment that ends at `index`
  double after = 0;       // median of the segment that starts there
  double p_value = 1;     // of the split when it was found
};

// In increasing order of index; empty for a series too short to split.
std::vector<ChangePoint> find_change_points(std::span<const double> series, const ChangePointSettings& settings = {});

}  // namespace sciperf::reports
