#include "reports/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <random>

namespace sciperf::reports {
namespace {

// numpy's default percentile: linear interpolation between order statistics. Sorts `values`.
double percentile(std::vector<double>& values, double fraction) {
  std::sort(values.begin(), values.end());
  const double position = fraction * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

// Twice the mid-rank of every value of x followed by y (1-based ranks; tied values share
// the mean of their ranks). Doubled, so that mid-ranks stay integers and sums compare exactly.
std::vector<std::int64_t> doubled_ranks(std::span<const double> x, std::span<const double> y) {
  std::vector<double> values(x.begin(), x.end());
  values.insert(values.end(), y.begin(), y.end());
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<std::int64_t> ranks(values.size());
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first;
    while (last + 1 < order.size() && values[order[last + 1]] == values[order[first]]) ++last;
    for (std::size_t i = first; i <= last; ++i) ranks[order[i]] = static_cast<std::int64_t>(first + last + 2);
    first = last + 1;
  }
  return ranks;
}

// P(|S - mean| >= |observed - mean|) where S is the doubled rank sum of `k` ranks drawn
// without replacement from `ranks`: the exact two-sided p-value, ties included. Counts
// subsets by their sum, one rank at a time (a subset of j doubled ranks sums to at most 2Nj).
double exact_p_value(const std::vector<std::int64_t>& ranks, std::size_t k, std::int64_t observed) {
  const auto n = static_cast<std::int64_t>(ranks.size());
  const std::size_t width = static_cast<std::size_t>(2 * n) * k + 1;
  std::vector<std::uint64_t> counts((k + 1) * width, 0);  // counts[j * width + s]: j-subsets summing to s
  counts[0] = 1;
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    const auto r = static_cast<std::size_t>(ranks[i]);
    for (std::size_t j = std::min(i + 1, k); j >= 1; --j) {
      const std::size_t top = static_cast<std::size_t>(2 * n) * j;
      for (std::size_t s = top; s >= r; --s) counts[j * width + s] += counts[(j - 1) * width + s - r];
    }
  }
  const std::int64_t mean = static_cast<std::int64_t>(k) * (n + 1);
  const std::int64_t distance = std::llabs(observed - mean);
  double extreme = 0, total = 0;
  for (std::size_t s = 0; s < width; ++s) {
    const auto count = static_cast<double>(counts[k * width + s]);
    total += count;
    if (std::llabs(static_cast<std::int64_t>(s) - mean) >= distance) extreme += count;
  }
  return extreme / total;
}

// The normal approximation: U's variance corrected for ties, a continuity correction of 1/2.
double approximate_p_value(const std::vector<std::int64_t>& ranks, std::size_t n1, std::size_t n2, double u) {
  std::vector<std::int64_t> sorted = ranks;
  std::sort(sorted.begin(), sorted.end());
  double tie_term = 0;  // sum of t^3 - t over groups of t tied values
  for (std::size_t first = 0; first < sorted.size();) {
    std::size_t last = first;
    while (last + 1 < sorted.size() && sorted[last + 1] == sorted[first]) ++last;
    const auto t = static_cast<double>(last - first + 1);
    tie_term += t * t * t - t;
    first = last + 1;
  }
  const double a = static_cast<double>(n1), b = static_cast<double>(n2), n = a + b;
  const double variance = a * b / 12.0 * ((n + 1) - tie_term / (n * (n - 1)));
  if (variance <= 0) return 1.0;  // every value tied: nothing to tell apart
  const double z = std::max(0.0, std::fabs(u - a * b / 2.0) - 0.5) / std::sqrt(variance);
  return std::min(1.0, std::erfc(z / std::sqrt(2.0)));
}

}  // namespace

double median(std::vector<double> samples) { return percentile(samples, 0.5); }

MannWhitney mann_whitney_u(std::span<const double> x, std::span<const double> y) {
  const std::vector<std::int64_t> ranks = doubled_ranks(x, y);
  const std::int64_t x_sum = std::accumulate(ranks.begin(), ranks.begin() + static_cast<std::ptrdiff_t>(x.size()),
                                             std::int64_t{0});
  const auto n1 = static_cast<std::int64_t>(x.size());
  MannWhitney result;
  result.u = static_cast<double>(x_sum) / 2.0 - static_cast<double>(n1 * (n1 + 1)) / 2.0;
  result.exact = x.size() * y.size() <= kExactMannWhitneyPairs;
  if (!result.exact) {
    result.p_value = approximate_p_value(ranks, x.size(), y.size(), result.u);
  } else if (x.size() <= y.size()) {
    result.p_value = exact_p_value(ranks, x.size(), x_sum);
  } else {
    // Fewer subsets to count from the smaller side, whose rank sum is as far from its mean.
    const std::int64_t total = std::accumulate(ranks.begin(), ranks.end(), std::int64_t{0});
    result.p_value = exact_p_value(ranks, y.size(), total - x_sum);
  }
  return result;
}

double smallest_p_value(std::size_t n1, std::size_t n2) {
  std::vector<double> x(n1), y(n2);
  std::iota(y.begin(), y.end(), 0.0);
  std::iota(x.begin(), x.end(), static_cast<double>(n2));
  return mann_whitney_u(x, y).p_value;
}

std::optional<Interval> median_ratio_interval(std::span<const double> baseline, std::span<const double> candidate,
                                              const BootstrapSettings& settings) {
  const auto positive = [](std::span<const double> values) {
    return std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
  };
  if (baseline.size() < 2 || candidate.size() < 2 || !positive(baseline) || !positive(candidate)) return std::nullopt;
  // mt19937_64's sequence is fixed by the standard; std::uniform_int_distribution is not, so
  // indices come from a plain modulo (its bias, n / 2^64, is far below anything measurable).
  std::mt19937_64 generator(settings.seed);
  std::vector<double> scratch;
  const auto resampled_median = [&](std::span<const double> values) {
    scratch.resize(values.size());
    for (double& value : scratch) value = values[generator() % values.size()];
    return percentile(scratch, 0.5);
  };
  std::vector<double> ratios(static_cast<std::size_t>(std::max(settings.resamples, 1)));
  for (double& ratio : ratios) {
    const double base = resampled_median(baseline);
    ratio = resampled_median(candidate) / base;
  }
  const double tail = (1.0 - settings.confidence) / 2.0;
  return Interval{percentile(ratios, tail), percentile(ratios, 1.0 - tail)};
}

}  // namespace sciperf::reports
