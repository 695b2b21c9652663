// Early stopping: the binomial bound that says how many queries a percentile needs (NOTES.md:
// 64 for p90, 662 for p99, 6,636 for p99.9 at 99 % confidence), computed, not tabulated.
#include "suites/inference/loadgen/early_stopping.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace sciperf::loadgen {
namespace {

TEST(LoadgenEarlyStopping, MinimaMatchLoadGen) {
  EXPECT_EQ(early_stopping_min_queries(0.90), 64u);
  EXPECT_EQ(early_stopping_min_queries(0.99), 662u);
  EXPECT_EQ(early_stopping_min_queries(0.999), 6636u);
}

TEST(LoadgenEarlyStopping, ZeroOverlatencyBoundIsTheClosedForm) {
  // With no over-latency query allowed the bound is the smallest n with p^n <= 1 - c.
  for (double p : {0.90, 0.99, 0.999}) {
    const auto closed_form = static_cast<std::uint64_t>(std::ceil(std::log(0.01) / std::log(p)));
    EXPECT_EQ(min_queries_for_percentile(p, 0.99, 0), closed_form) << p;
  }
  EXPECT_EQ(min_queries_for_percentile(0.90, 0.99, 0), 44u);
  EXPECT_EQ(min_queries_for_percentile(0.99, 0.99, 0), 459u);
}

TEST(LoadgenEarlyStopping, TheMinimumIsTheFirstCountThatPasses) {
  for (double p : {0.90, 0.99, 0.999}) {
    const std::uint64_t n = early_stopping_min_queries(p);
    EXPECT_LE(binomial_cdf(1, n, 1 - p), 0.01) << p;
    EXPECT_GT(binomial_cdf(1, n - 1, 1 - p), 0.01) << p;
  }
}

TEST(LoadgenEarlyStopping, BinomialCdfKnownValues) {
  EXPECT_NEAR(binomial_cdf(0, 10, 0.5), 1.0 / 1024, 1e-15);
  EXPECT_NEAR(binomial_cdf(1, 10, 0.5), 11.0 / 1024, 1e-15);
  EXPECT_NEAR(binomial_cdf(5, 10, 0.5), 638.0 / 1024, 1e-14);
  EXPECT_DOUBLE_EQ(binomial_cdf(10, 10, 0.3), 1.0);
  // Large n, tiny q: (1 - q)^n without losing precision.
  EXPECT_NEAR(binomial_cdf(0, 1'000'000, 1e-6), std::exp(1'000'000 * std::log1p(-1e-6)), 1e-15);
}

TEST(LoadgenEarlyStopping, StricterTargetsNeedMoreQueries) {
  EXPECT_GT(early_stopping_min_queries(0.99, 0.999), early_stopping_min_queries(0.99, 0.99));
  EXPECT_GT(min_queries_for_percentile(0.99, 0.99, 2), min_queries_for_percentile(0.99, 0.99, 1));
}

TEST(LoadgenEarlyStopping, RejectsPercentilesAndConfidencesOutsideTheOpenUnitInterval) {
  EXPECT_THROW(early_stopping_min_queries(1.0), std::invalid_argument);
  EXPECT_THROW(early_stopping_min_queries(0.0), std::invalid_argument);
  EXPECT_THROW(early_stopping_min_queries(0.99, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace sciperf::loadgen
