#include "reports/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace sciperf::reports {
namespace {

// The exact two-sided p-value by brute force: every way of choosing which values are x's.
double enumerated_p_value(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> values = x;
  values.insert(values.end(), y.begin(), y.end());
  const std::size_t n = values.size();
  std::vector<double> ranks(n);
  for (std::size_t i = 0; i < n; ++i) {
    double below = 0, equal = 0;
    for (double v : values) {
      below += v < values[i];
      equal += v == values[i];
    }
    ranks[i] = below + (equal + 1) / 2;
  }
  const auto rank_sum = [&](unsigned mask) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (mask & (1u << i)) sum += ranks[i];
    return sum;
  };
  const double mean = static_cast<double>(x.size()) * static_cast<double>(n + 1) / 2;
  const double observed = std::fabs(rank_sum((1u << x.size()) - 1) - mean);
  double extreme = 0, total = 0;
  for (unsigned mask = 0; mask < (1u << n); ++mask) {
    if (static_cast<std::size_t>(__builtin_popcount(mask)) != x.size()) continue;
    ++total;
    extreme += std::fabs(rank_sum(mask) - mean) >= observed - 1e-9;
  }
  return extreme / total;
}

std::vector<double> normal_samples(std::mt19937_64& generator, std::size_t n, double mean, double stddev) {
  std::normal_distribution<double> distribution(mean, stddev);
  std::vector<double> samples(n);
  for (double& sample : samples) sample = distribution(generator);
  return samples;
}

TEST(ReportsStatistics, Median) {
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(median({7}), 7.0);
}

// scipy.stats.mannwhitneyu's documented example (males vs females): U = 17, exact p = 1/9,
// asymptotic p = 0.11134688653314041.
TEST(ReportsStatistics, MannWhitneyMatchesScipysExample) {
  const std::vector<double> males{19, 22, 16, 29, 24}, females{20, 11, 17, 12};
  const MannWhitney result = mann_whitney_u(males, females);
  EXPECT_DOUBLE_EQ(result.u, 17.0);
  EXPECT_TRUE(result.exact);
  EXPECT_NEAR(result.p_value, 1.0 / 9.0, 1e-15);
  EXPECT_DOUBLE_EQ(mann_whitney_u(females, males).u, 3.0);  // n1 n2 - U
  EXPECT_NEAR(mann_whitney_u(females, males).p_value, 1.0 / 9.0, 1e-15);
}

TEST(ReportsStatistics, ExactPValueEqualsEnumerationWithAndWithoutTies) {
  std::mt19937_64 generator(42);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n1 = 1 + generator() % 7, n2 = 1 + generator() % 7;
    std::vector<double> x(n1), y(n2);
    // Few distinct values, so that most trials have ties, some across the samples.
    for (double& v : x) v = static_cast<double>(generator() % 6);
    for (double& v : y) v = static_cast<double>(generator() % 6) + (trial % 2 ? 0.5 : 0.0);
    const MannWhitney result = mann_whitney_u(x, y);
    ASSERT_TRUE(result.exact);
    EXPECT_NEAR(result.p_value, enumerated_p_value(x, y), 1e-12) << "trial " << trial;
  }
}

TEST(ReportsStatistics, LargeSamplesUseTheNormalApproximationWithTieAndContinuityCorrections) {
  // 25 and 20 values with many ties; the expected p-value is the textbook formula evaluated
  // independently: U = 176.5, sigma^2 = n1 n2 / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))),
  // z = (|U - n1 n2 / 2| - 1/2) / sigma, p = erfc(z / sqrt 2).
  std::vector<double> x, y;
  for (int i = 0; i < 25; ++i) x.push_back(i % 7 + 0.5 * (i % 3));
  for (int i = 0; i < 20; ++i) y.push_back(i % 7 + 0.5 * (i % 3) + 1);
  const MannWhitney result = mann_whitney_u(x, y);
  EXPECT_FALSE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 176.5);
  EXPECT_NEAR(result.p_value, 0.09441220223503094, 1e-12);
}

TEST(ReportsStatistics, IdenticalSamplesGivePOfOne) {
  EXPECT_DOUBLE_EQ(mann_whitney_u(std::vector<double>{5, 5, 5}, std::vector<double>{5, 5}).p_value, 1.0);
  std::vector<double> many(30, 2.0);
  EXPECT_DOUBLE_EQ(mann_whitney_u(many, many).p_value, 1.0);
}

TEST(ReportsStatistics, SmallestPValueIsTwoOverTheArrangements) {
  EXPECT_NEAR(smallest_p_value(3, 3), 2.0 / 20, 1e-15);  // cannot reach 0.05
  EXPECT_NEAR(smallest_p_value(4, 4), 2.0 / 70, 1e-15);
  EXPECT_NEAR(smallest_p_value(5, 5), 2.0 / 252, 1e-15);
  EXPECT_DOUBLE_EQ(smallest_p_value(1, 1), 1.0);
  EXPECT_LT(smallest_p_value(30, 30), 1e-9);
}

// Identical distributions: a level-alpha test rejects at most alpha of the time. The exact
// test is discrete, hence conservative; the slack covers the randomness of 2000 trials.
TEST(ReportsStatistics, FalsePositiveRateOnIdenticalDistributionsStaysWithinAlpha) {
  std::mt19937_64 generator(2026);
  for (const std::size_t n : {5u, 10u, 25u}) {  // 25 a side uses the normal approximation
    int rejections = 0;
    const int trials = 2000;
    for (int trial = 0; trial < trials; ++trial)
      rejections += mann_whitney_u(normal_samples(generator, n, 100, 2), normal_samples(generator, n, 100, 2)).p_value < 0.05;
    EXPECT_LE(rejections, 0.05 * trials + 30) << n << " samples a side";
  }
}

TEST(ReportsStatistics, TenPercentShiftWithTwoPercentNoiseIsDetected) {
  std::mt19937_64 generator(7);
  int detected = 0;
  for (int trial = 0; trial < 200; ++trial)
    detected += mann_whitney_u(normal_samples(generator, 10, 100, 2), normal_samples(generator, 10, 110, 2.2)).p_value < 0.05;
  EXPECT_EQ(detected, 200);
}

TEST(ReportsStatistics, BootstrapIntervalOfConstantSamplesIsTheRatio) {
  const auto interval = median_ratio_interval(std::vector<double>{2, 2, 2}, std::vector<double>{3, 3, 3, 3});
  ASSERT_TRUE(interval.has_value());
  EXPECT_DOUBLE_EQ(interval->low, 1.5);
  EXPECT_DOUBLE_EQ(interval->high, 1.5);
}

TEST(ReportsStatistics, BootstrapIntervalCoversTheShiftAndIsDeterministic) {
  std::mt19937_64 generator(11);
  const auto baseline = normal_samples(generator, 10, 100, 2);
  const auto candidate = normal_samples(generator, 10, 110, 2.2);
  const auto interval = median_ratio_interval(baseline, candidate);
  ASSERT_TRUE(interval.has_value());
  EXPECT_GT(interval->low, 1.0);
  EXPECT_LT(interval->low, 1.1);
  EXPECT_GT(interval->high, 1.1);
  EXPECT_LT(interval->high, 1.2);
  const auto again = median_ratio_interval(baseline, candidate);
  EXPECT_EQ(again->low, interval->low);
  EXPECT_EQ(again->high, interval->high);
  // A higher confidence, a wider interval.
  const auto wide = median_ratio_interval(baseline, candidate, {.confidence = 0.99});
  EXPECT_LE(wide->low, interval->low);
  EXPECT_GE(wide->high, interval->high);
  // Another seed, another (but close) interval.
  const auto reseeded = median_ratio_interval(baseline, candidate, {.seed = 1});
  EXPECT_NEAR(reseeded->low, interval->low, 0.02);
}

TEST(ReportsStatistics, BootstrapNeedsTwoPositiveSamplesASide) {
  EXPECT_FALSE(median_ratio_interval(std::vector<double>{1}, std::vector<double>{1, 2}).has_value());
  EXPECT_FALSE(median_ratio_interval(std::vector<double>{1, 2}, std::vector<double>{}).has_value());
  EXPECT_FALSE(median_ratio_interval(std::vector<double>{0, 2}, std::vector<double>{1, 2}).has_value());
}

}  // namespace
}  // namespace sciperf::reports
