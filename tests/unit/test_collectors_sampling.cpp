// Reading collectors around a region (harness/collection.h RegionCounters): with a sample
// interval, gauge collectors are sampled from a thread between begin() and end() and never
// after; without one, or without gauges, never. Timing bounds are generous: a loaded
// machine may delay the thread, never make it sample more often than asked.
#include "harness/collection.h"
#include "harness/gauge_series.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace sciperf {
namespace {

using namespace std::chrono_literals;

class CountingCollector final : public Collector {
 public:
  explicit CountingCollector(bool gauges) : gauges_(gauges) {}
  std::string_view name() const override { return "counting"; }
  std::optional<std::string> unavailable_reason() const override { return std::nullopt; }
  bool has_gauges() const override { return gauges_; }
  void begin() override { in_region_ = true; }
  void sample() override {
    ++samples_;
    if (!in_region_) ++outside_region_;
  }
  std::vector<Counter> end() override {
    in_region_ = false;
    return {{"counting.samples", static_cast<double>(samples_), "count"}};
  }
  int samples() const { return samples_; }
  int outside_region() const { return outside_region_; }

 private:
  bool gauges_;
  std::atomic<bool> in_region_ = false;
  std::atomic<int> samples_ = 0;
  std::atomic<int> outside_region_ = 0;
};

struct Collectors {
  explicit Collectors(bool gauges) {
    owned.push_back(std::make_unique<CountingCollector>(gauges));
    counting = static_cast<CountingCollector*>(owned.back().get());
  }
  std::vector<std::unique_ptr<Collector>> owned;
  CountingCollector* counting;
};

TEST(RegionSampling, SamplesGaugesDuringTheRegionOnlyAndStopsAtEnd) {
  Collectors collectors(true);
  RegionCounters region(collectors.owned, 0.005);
  const auto start = std::chrono::steady_clock::now();
  region.begin();
  std::this_thread::sleep_for(100ms);
  const auto counters = region.end();
  const auto region_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const int samples = collectors.counting->samples();
  EXPECT_GE(samples, 1);
  EXPECT_LE(samples, region_ms / 5 + 1) << "never more often than every 5 ms";
  ASSERT_EQ(counters.size(), 1u);
  EXPECT_EQ(counters[0].value, samples) << "end() comes after the last sample";
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(collectors.counting->samples(), samples) << "sampling stopped at end()";
  EXPECT_EQ(collectors.counting->outside_region(), 0);
  // A second region samples again.
  region.begin();
  std::this_thread::sleep_for(30ms);
  region.end();
  EXPECT_GT(collectors.counting->samples(), samples);
}

TEST(RegionSampling, EndComesPromptlyEvenWithALongInterval) {
  Collectors collectors(true);
  RegionCounters region(collectors.owned, 60);
  region.begin();
  const auto start = std::chrono::steady_clock::now();
  region.end();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s) << "end() wakes the sampler rather than waiting a minute";
  EXPECT_EQ(collectors.counting->samples(), 0);
}

TEST(RegionSampling, NoIntervalOrNoGaugesMeansNoSampling) {
  Collectors unsampled(true), no_gauges(false);
  RegionCounters without_interval(unsampled.owned, 0);
  RegionCounters without_gauges(no_gauges.owned, 0.001);
  without_interval.begin();
  without_gauges.begin();
  std::this_thread::sleep_for(20ms);
  without_interval.end();
  without_gauges.end();
  EXPECT_EQ(unsampled.counting->samples(), 0);
  EXPECT_EQ(no_gauges.counting->samples(), 0);
}

TEST(RegionSampling, DestroyingARegionInProgressStopsTheSampler) {
  Collectors collectors(true);
  {
    RegionCounters region(collectors.owned, 0.001);
    region.begin();
  }
  const int samples = collectors.counting->samples();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(collectors.counting->samples(), samples);
}

TEST(GaugeSeries, LastReadingAndSpread) {
  GaugeSeries series;
  std::vector<Counter> counters;
  series.report(counters, "g", "W", true);
  EXPECT_TRUE(counters.empty()) << "no reading, no counter";
  for (double value : {3.0, 1.0, 2.0}) series.add(value);
  series.report(counters, "g", "W", false);
  ASSERT_EQ(counters.size(), 1u);
  EXPECT_EQ(counters[0].name, "g");
  EXPECT_EQ(counters[0].value, 2);
  counters.clear();
  series.report(counters, "g", "W", true);
  ASSERT_EQ(counters.size(), 4u);
  EXPECT_EQ(counters[1].name, "g.min");
  EXPECT_EQ(counters[1].value, 1);
  EXPECT_EQ(counters[2].name, "g.avg");
  EXPECT_EQ(counters[2].value, 2);
  EXPECT_EQ(counters[3].name, "g.max");
  EXPECT_EQ(counters[3].value, 3);
  series.clear();
  EXPECT_TRUE(series.empty());
}

}  // namespace
}  // namespace sciperf
