#include "harness/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

namespace sciperf {
namespace {

std::vector<double> one_to_hundred() {
  std::vector<double> values(100);
  std::iota(values.begin(), values.end(), 1.0);
  return values;
}

TEST(Statistics, MedianOfOddCountIsTheMiddleValue) { EXPECT_DOUBLE_EQ(median({5, 1, 3}), 3.0); }

TEST(Statistics, MedianOfEvenCountIsTheMeanOfTheMiddlePair) {
  EXPECT_DOUBLE_EQ(median({1, 2, 3, 4}), 2.5);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);  // order of the input does not matter
}

TEST(Statistics, PercentileInterpolatesLinearlyLikeNumpy) {
  // numpy.percentile(range(1, 101), 99) == 99.01
  EXPECT_NEAR(percentile(one_to_hundred(), 99.0), 99.01, 1e-12);
  EXPECT_NEAR(percentile(one_to_hundred(), 50.0), 50.5, 1e-12);
  EXPECT_NEAR(percentile(one_to_hundred(), 25.0), 25.75, 1e-12);
  EXPECT_NEAR(percentile({10, 20}, 10.0), 11.0, 1e-12);
}

TEST(Statistics, PercentileEndsAreMinimumAndMaximum) {
  const std::vector<double> values{7, -3, 12, 0.5};
  EXPECT_DOUBLE_EQ(percentile(values, 0.0), -3.0);
  EXPECT_DOUBLE_EQ(percentile(values, 100.0), 12.0);
  // Out-of-range percentiles clamp to the ends.
  EXPECT_DOUBLE_EQ(percentile(values, -5.0), -3.0);
  EXPECT_DOUBLE_EQ(percentile(values, 150.0), 12.0);
}

TEST(Statistics, PercentileOfOneSampleIsThatSample) {
  EXPECT_DOUBLE_EQ(percentile({42.0}, 0.0), 42.0);
  EXPECT_DOUBLE_EQ(percentile({42.0}, 99.0), 42.0);
  EXPECT_DOUBLE_EQ(median({42.0}), 42.0);
}

TEST(Statistics, Mean) {
  EXPECT_DOUBLE_EQ(mean({1, 2, 3, 4}), 2.5);
  EXPECT_DOUBLE_EQ(mean({-1, 1}), 0.0);
  EXPECT_DOUBLE_EQ(mean(one_to_hundred()), 50.5);
}

TEST(Statistics, SampleStddevUsesNMinusOne) {
  // Population stddev of this set is 2; the sample one is sqrt(32 / 7).
  EXPECT_NEAR(sample_stddev({2, 4, 4, 4, 5, 5, 7, 9}), std::sqrt(32.0 / 7.0), 1e-12);
  EXPECT_NEAR(sample_stddev({1, 2}), std::sqrt(0.5), 1e-12);
  EXPECT_DOUBLE_EQ(sample_stddev({3, 3, 3}), 0.0);
}

TEST(Statistics, SampleStddevOfFewerThanTwoSamplesIsZero) {
  EXPECT_DOUBLE_EQ(sample_stddev({5.0}), 0.0);
  EXPECT_DOUBLE_EQ(sample_stddev({}), 0.0);
}

TEST(Statistics, EmptyInputIsNaN) {
  EXPECT_TRUE(std::isnan(mean({})));
  EXPECT_TRUE(std::isnan(percentile({}, 50.0)));
  EXPECT_TRUE(std::isnan(median({})));
}

}  // namespace
}  // namespace sciperf
