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
// xoshiro256** (Blackman and Vigna) seeded through splitmix64: a sequence fixed by its seed
// on every platform, as the standard fixes mt19937_64's, at a fraction of the cost per
// number, which thousands of bootstrap intervals notice.
class Random {
 public:
  explicit Random(std::uint64_t seed);
  std::uint64_t operator()();
  // Uniform in [0, n), by multiplying rather than dividing (Lemire): bias n / 2^64.
  std::size_t below(std::size_t n) {
    return static_cast<std::size_t>((static_cast<unsigned __int128>((*this)()) * n) >> 64);
  }

 private:
  std::uint64_t state_[4];
};

// The median of a resample (with replacement) of some values, as many times as asked: the
// values are sorted once, and a resample is how often it drew each of them, so that its
// median is found by counting rather than by sorting it (a comparison of 100,000 cases may
// need thousands of intervals of 2,000 resamples each). `values` is not empty.
class ResampledMedian {
 public:
  explicit ResampledMedian(std::span<const double> values);
  double operator()(Random& random);

 private:
  std::vector<double> sorted_;
  std::vector<std::size_t> drawn_;  // how often each of sorted_ was drawn
};

// exp(mean(log(values))); the values are positive and there is at least one.
double geometric_mean(std::span<const double> values);

// The interval holding the middle `confidence` of `values` (numpy's percentiles at its tails).
Interval percentile_interval(std::vector<double> values, double confidence);

// Percentile bootstrap interval of median(candidate) / median(baseline), each side resampled
// on its own. nullopt when a side has fewer than 2 samples or a sample is not positive (a
// ratio of medians means nothing then).
std::optional<Interval> median_ratio_interval(std::span<const double> baseline, std::span<const double> candidate,
                                              const BootstrapSettings& settings = {});

}  // namespace sciperf::reports
