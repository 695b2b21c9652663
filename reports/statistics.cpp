#include "reports/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <utility>

namespace sciperf::reports {
namespace {

// numpy's default percentile: linear interpolation between order statistics. Reorders
// `values`, putting in place only the two order statistics it needs.
double percentile(std::vector<double>& values, double fraction) {
  const double position = fraction * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const auto at = [&](std::size_t i) { return values.begin() + static_cast<std::ptrdiff_t>(i); };
  std::nth_element(values.begin(), at(below), values.end());
  const double low = values[below];
  const double high = above == below ? low : *std::min_element(at(above), values.end());
  return low + (position - static_cast<double>(below)) * (high - low);
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

// How many k-subsets of `ranks` have each doubled rank sum s (index s, 0 to 2Nk). Counted
// one rank at a time: a subset of j doubled ranks sums to at most 2Nj.
std::vector<std::uint64_t> subset_sum_counts(const std::vector<std::int64_t>& ranks, std::size_t k) {
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
  counts.erase(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(k * width));
  return counts;
}

// Tied values share a (doubled mid-)rank, so ties show as a rank that repeats.
bool tied(const std::vector<std::int64_t>& ranks) {
  std::vector<bool> seen(2 * ranks.size() + 1);
  for (const std::int64_t rank : ranks) {
    if (seen[static_cast<std::size_t>(rank)]) return true;
    seen[static_cast<std::size_t>(rank)] = true;
  }
  return false;
}

// P(|S - mean| >= distance) from the counts of each rank sum S.
double tail(const std::vector<std::uint64_t>& counts, std::int64_t mean, std::int64_t distance) {
  double extreme = 0, total = 0;
  for (std::size_t s = 0; s < counts.size(); ++s) {
    const auto count = static_cast<double>(counts[s]);
    total += count;
    if (std::llabs(static_cast<std::int64_t>(s) - mean) >= distance) extreme += count;
  }
  return extreme / total;
}

// P(|S - mean| >= |observed - mean|) where S is the doubled rank sum of `k` ranks drawn
// without replacement from `ranks`: the exact two-sided p-value, ties included. Without
// ties the ranks are 2, 4, ..., 2N whatever the samples, so the tail probabilities depend
// on N and k only: they are counted once per pair of sizes (a comparison of many cases with
// the same repetitions counts them once) and looked up by distance.
double exact_p_value(const std::vector<std::int64_t>& ranks, std::size_t k, std::int64_t observed) {
  const auto n = static_cast<std::int64_t>(ranks.size());
  const std::int64_t mean = static_cast<std::int64_t>(k) * (n + 1);
  const std::int64_t distance = std::llabs(observed - mean);
  if (tied(ranks)) return tail(subset_sum_counts(ranks, k), mean, distance);
  thread_local std::map<std::pair<std::size_t, std::size_t>, std::vector<double>> untied;  // by distance
  auto [it, fresh] = untied.try_emplace({ranks.size(), k});
  if (fresh) {
    const std::vector<std::uint64_t> counts = subset_sum_counts(ranks, k);
    const auto farthest = std::max(mean, static_cast<std::int64_t>(counts.size()) - 1 - mean);
    for (std::int64_t d = 0; d <= farthest; ++d) it->second.push_back(tail(counts, mean, d));
  }
  return it->second.at(static_cast<std::size_t>(distance));
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

ResampledMedian::ResampledMedian(std::span<const double> values)
    : sorted_(values.begin(), values.end()), drawn_(values.size()) {
  std::sort(sorted_.begin(), sorted_.end());
}

Random::Random(std::uint64_t seed) {
  for (std::uint64_t& word : state_) {  // splitmix64
    seed += 0x9e3779b97f4a7c15;
    std::uint64_t z = seed;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    word = z ^ (z >> 31);
  }
}

std::uint64_t Random::operator()() {
  const auto rotl = [](std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double ResampledMedian::operator()(Random& random) {
  const std::size_t n = sorted_.size();
  std::fill(drawn_.begin(), drawn_.end(), 0);
  for (std::size_t i = 0; i < n; ++i) ++drawn_[random.below(n)];
  // numpy's median of the resample: its order statistics (n - 1) / 2 and the next one.
  const double position = 0.5 * static_cast<double>(n - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, n - 1);
  std::size_t seen = 0, k = 0;
  while (seen + drawn_[k] <= below) seen += drawn_[k++];
  const double low = sorted_[k];
  while (seen + drawn_[k] <= above) seen += drawn_[k++];
  const double high = sorted_[k];
  return low + (position - static_cast<double>(below)) * (high - low);
}

double geometric_mean(std::span<const double> values) {
  double sum = 0;
  for (double value : values) sum += std::log(value);
  return std::exp(sum / static_cast<double>(values.size()));
}

Interval percentile_interval(std::vector<double> values, double confidence) {
  const double tail = (1.0 - confidence) / 2.0;
  return Interval{percentile(values, tail), percentile(values, 1.0 - tail)};
}

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
  thread_local std::map<std::pair<std::size_t, std::size_t>, double> known;  // asked once per metric compared
  const auto [it, fresh] = known.try_emplace({n1, n2});
  if (fresh) {
    std::vector<double> x(n1), y(n2);
    std::iota(y.begin(), y.end(), 0.0);
    std::iota(x.begin(), x.end(), static_cast<double>(n2));
    it->second = mann_whitney_u(x, y).p_value;
  }
  return it->second;
}

std::optional<Interval> median_ratio_interval(std::span<const double> baseline, std::span<const double> candidate,
                                              const BootstrapSettings& settings) {
  const auto positive = [](std::span<const double> values) {
    return std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
  };
  if (baseline.size() < 2 || candidate.size() < 2 || !positive(baseline) || !positive(candidate)) return std::nullopt;
  Random generator(settings.seed);
  ResampledMedian base(baseline), cand(candidate);
  std::vector<double> ratios(static_cast<std::size_t>(std::max(settings.resamples, 1)));
  for (double& ratio : ratios) {
    const double base_median = base(generator);
    ratio = cand(generator) / base_median;
  }
  return percentile_interval(std::move(ratios), settings.confidence);
}

}  // namespace sciperf::reports
