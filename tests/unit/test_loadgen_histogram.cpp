// The latency histogram: 1 % relative error or better from 100 ns to 1000 s, exact count, min,
// max and mean, known percentiles, merging equal to recording everything in one, and a JSON
// round trip.
#include "suites/inference/loadgen/latency_histogram.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

namespace sciperf::loadgen {
namespace {

// What a percentile reports for a lone bucket: its middle, as percentile() computes it.
double bucket_middle(std::int64_t value) {
  const std::size_t index = LatencyHistogram::bucket_index(value);
  return (static_cast<double>(LatencyHistogram::bucket_lowest(index)) +
          static_cast<double>(LatencyHistogram::bucket_highest(index))) / 2;
}

TEST(LoadgenHistogram, RelativeErrorBelowOnePercentFrom100nsTo1000s) {
  double worst = 0;
  // 2,000 values spread logarithmically over 100 ns .. 1000 s, plus every power-of-two edge.
  std::vector<std::int64_t> values;
  for (int i = 0; i <= 2000; ++i) values.push_back(std::llround(100 * std::pow(1e10, i / 2000.0)));
  for (int bits = 7; bits < 40; ++bits) {
    values.push_back((std::int64_t{1} << bits) - 1);
    values.push_back(std::int64_t{1} << bits);
  }
  for (std::int64_t v : values) {
    const std::size_t index = LatencyHistogram::bucket_index(v);
    ASSERT_LE(LatencyHistogram::bucket_lowest(index), v);
    ASSERT_GE(LatencyHistogram::bucket_highest(index), v);
    worst = std::max(worst, std::abs(bucket_middle(v) - static_cast<double>(v)) / static_cast<double>(v));
  }
  EXPECT_LE(worst, 0.01);
  EXPECT_LE(worst, 1.0 / 256);  // what the layout promises: half of a 1/128 bucket
}

TEST(LoadgenHistogram, SmallValuesAreExact) {
  for (std::int64_t v = 0; v < 128; ++v) {
    EXPECT_EQ(LatencyHistogram::bucket_lowest(LatencyHistogram::bucket_index(v)), v);
    EXPECT_EQ(LatencyHistogram::bucket_highest(LatencyHistogram::bucket_index(v)), v);
  }
}

TEST(LoadgenHistogram, BucketsTileTheRange) {
  for (std::size_t i = 0; i + 1 < LatencyHistogram::kBucketCount; ++i) {
    ASSERT_EQ(LatencyHistogram::bucket_highest(i) + 1, LatencyHistogram::bucket_lowest(i + 1)) << i;
    ASSERT_EQ(LatencyHistogram::bucket_index(LatencyHistogram::bucket_lowest(i)), i);
  }
  // Beyond 2^40 ns everything lands in the last bucket; negative values count as 0.
  EXPECT_EQ(LatencyHistogram::bucket_index(std::int64_t{1} << 50), LatencyHistogram::kBucketCount - 1);
  EXPECT_EQ(LatencyHistogram::bucket_index(-5), 0u);
}

TEST(LoadgenHistogram, CountMinMaxMeanAreExact) {
  LatencyHistogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.percentile(0.99), 0);
  for (std::int64_t v : {1'000, 2'500, 123'456'789, 7}) h.record(v);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.min(), 7);
  EXPECT_EQ(h.max(), 123'456'789);
  EXPECT_DOUBLE_EQ(h.mean(), (1'000 + 2'500 + 123'456'789 + 7) / 4.0);
  EXPECT_EQ(h.percentile(0), 7);
  EXPECT_EQ(h.percentile(1), 123'456'789);
  h.record(std::chrono::microseconds(3));
  EXPECT_EQ(h.count(), 5u);
  EXPECT_THROW(h.percentile(1.5), std::invalid_argument);
}

TEST(LoadgenHistogram, PercentilesOfAUniformDistribution) {
  // 1 us, 2 us, ..., 100,000 us: the p-quantile (nearest rank) is p * 100,000 us.
  LatencyHistogram h;
  for (std::int64_t i = 1; i <= 100'000; ++i) h.record(i * 1'000);
  for (double p : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = p * 100'000 * 1'000;
    EXPECT_NEAR(h.percentile(p), exact, 0.01 * exact) << p;
  }
  EXPECT_NEAR(h.percentile_seconds(0.5), 0.05, 0.0005);
}

TEST(LoadgenHistogram, PercentilesOfAnExponentialDistribution) {
  // Mean 200 us: the p-quantile is -ln(1 - p) * 200 us; 10^6 draws put the empirical quantile
  // within ~0.5 % of it, the histogram adds at most 0.4 %.
  std::mt19937_64 random(5);
  std::exponential_distribution<double> exponential(1.0 / 200e3);
  LatencyHistogram h;
  std::vector<double> values(1'000'000);
  for (double& v : values) {
    v = std::round(exponential(random));
    h.record(static_cast<std::int64_t>(v));
  }
  std::sort(values.begin(), values.end());
  for (double p : {0.5, 0.9, 0.99}) {
    const double empirical = values[static_cast<std::size_t>(std::ceil(p * values.size())) - 1];
    EXPECT_NEAR(h.percentile(p), empirical, 0.005 * empirical) << p;
    const double theoretical = -std::log(1 - p) * 200e3;
    EXPECT_NEAR(h.percentile(p), theoretical, 0.02 * theoretical) << p;
  }
}

TEST(LoadgenHistogram, NearestRankIsNotFooledByRounding) {
  // 0.99 * 100 is 98.99999999999999 or 99.00000000000001 in binary; the rank must be 99.
  LatencyHistogram h;
  for (std::int64_t i = 1; i <= 100; ++i) h.record(i);
  EXPECT_EQ(h.percentile(0.99), 99);
  EXPECT_EQ(h.percentile(0.9), 90);
  EXPECT_EQ(h.percentile(0.5), 50);
  EXPECT_EQ(h.percentile(0.001), 1);
}

TEST(LoadgenHistogram, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 random(9);
  std::lognormal_distribution<double> latency(std::log(50e3), 1.5);
  LatencyHistogram a, b, c, all;
  for (int i = 0; i < 30'000; ++i) {
    const auto v = static_cast<std::int64_t>(latency(random));
    (i % 3 == 0 ? a : i % 3 == 1 ? b : c).record(v);
    all.record(v);
  }
  LatencyHistogram merged = a;
  merged.merge(b);
  merged.merge(c);
  EXPECT_EQ(merged, all);
  EXPECT_EQ(merged.percentile(0.99), all.percentile(0.99));
  // Merging an empty histogram changes nothing.
  merged.merge(LatencyHistogram{});
  EXPECT_EQ(merged, all);
}

TEST(LoadgenHistogram, MergedPercentileIsNotTheAverageOfPercentiles) {
  // A fast and a slow generator: averaging their p99s (~505 us) is wrong; the merged p99 lies
  // among the slow generator's values.
  LatencyHistogram fast, slow;
  for (int i = 0; i < 1000; ++i) {
    fast.record(10'000);
    slow.record(1'000'000);
  }
  LatencyHistogram merged = fast;
  merged.merge(slow);
  EXPECT_NEAR(merged.percentile(0.99), 1e6, 0.01 * 1e6);
  EXPECT_NEAR(merged.percentile(0.25), 1e4, 0.01 * 1e4);
}

TEST(LoadgenHistogram, JsonRoundTrip) {
  LatencyHistogram h;
  for (std::int64_t v : {0LL, 5LL, 127LL, 128LL, 1'000LL, 1'004LL, 250'000LL, 3'000'000'000LL}) h.record(v);
  h.record(250'100);
  const nlohmann::json json = to_json(h);
  EXPECT_EQ(json["unit"], "ns");
  EXPECT_EQ(json["count"], 9);
  EXPECT_EQ(json["buckets"].size(), 8u);  // 250,000 and 250,100 share a bucket
  EXPECT_EQ(latency_histogram_from_json(json), h);
  EXPECT_EQ(latency_histogram_from_json(nlohmann::json::parse(json.dump())), h);
  EXPECT_EQ(latency_histogram_from_json(to_json(LatencyHistogram{})), LatencyHistogram{});
}

TEST(LoadgenHistogram, JsonThatDoesNotAddUpIsRejected) {
  LatencyHistogram h;
  h.record(1'000);
  nlohmann::json json = to_json(h);
  json["count"] = 2;
  EXPECT_THROW(latency_histogram_from_json(json), std::invalid_argument);
  json = to_json(h);
  json["buckets"][0][0] = 1'001;  // not where a bucket starts
  EXPECT_THROW(latency_histogram_from_json(json), std::invalid_argument);
  json = to_json(h);
  json["sub_bucket_bits"] = 5;
  EXPECT_THROW(latency_histogram_from_json(json), std::invalid_argument);
  json = to_json(h);
  json.erase("sum");
  EXPECT_THROW(latency_histogram_from_json(json), std::invalid_argument);
}

}  // namespace
}  // namespace sciperf::loadgen
