// Statistics for comparing two runs' per-repetition samples: the Mann–Whitney U test and a
// bootstrap confidence interval of the ratio of medians. Both work on ranks or resamples,
// so they assume no shape for the distributions (timings are skewed, often bimodal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace sciperf::reports {

// numpy's median: the mean of the middle pair for an even count. `samples` is not empty.
double median(std::vector<double> samples);

// Up to this many pairs (n1 × n2: 20 repetitions a side) the p-value is exact, from the
// permutation distribution of the rank sum; beyond it the normal approximation is close.
inline constexpr std::size_t kExactMannWhitneyPairs = 400;

struct MannWhitney {
  double u = 0;        // U of the first sample: pairs (x, y) with x > y, a tie counting one half
  double p_value = 1;  // two-sided
  bool exact = false;  // from the exact distribution, not the normal approximation
};
// Two-sided test of "x and y come from the same distribution". Ties take their mean rank;
// the exact distribution is the one given those ties, the approximation corrects its
// variance for them and applies a continuity correction of 1/2. Both samples are non-empty.
MannWhitney mann_whitney_u(std::span<const double> x, std::span<const double> y);

// The smallest two-sided p-value samples of these sizes can reach (every x above every y).
// When it is not below alpha, no amount of change could be called significant.
double smallest_p_value(std::size_t n1, std::size_t n2);

struct Interval {
  double low = 0;
  double high = 0;
};

struct BootstrapSettings {
  double confidence = 0.95;
  int resamples = 2000;
  // Fixed, so that the same samples always give the same interval (and the same verdict).
  std::uint64_t seed = 0x5c1'9e2f'0000'0001;
};
// Percentile bootstrap interval of median(candidate) / median(baseline), each side resampled
// on its own. nullopt when a side has fewer than 2 samples or a sample is not positive (a
// ratio of medians means nothing then).
std::optional<Interval> median_ratio_interval(std::span<const double> baseline, std::span<const double> candidate,
                                              const BootstrapSettings& settings = {});

}  // namespace sciperf::reports
