// Poisson arrivals for the Server scenario: the right rate, the exponential shape, and the same
// schedule for the same seed.
#include "suites/inference/loadgen/poisson_schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace sciperf::loadgen {
namespace {

using std::chrono::nanoseconds;
using namespace std::chrono_literals;

TEST(LoadgenPoisson, MeanGapIsOneOverTheRate) {
  constexpr int kGaps = 100'000;
  constexpr double kQps = 5000;
  PoissonArrivals arrivals(kQps, 7);
  double sum = 0;
  int above_mean = 0;
  for (int i = 0; i < kGaps; ++i) {
    const double gap = arrivals.next_interval();
    ASSERT_GT(gap, 0);
    sum += gap;
    above_mean += gap > 1 / kQps ? 1 : 0;
  }
  // The mean of 10^5 exponential gaps is within 1 % of 1/qps (its standard error is 0.3 %).
  EXPECT_NEAR(sum / kGaps, 1 / kQps, 0.01 / kQps);
  // Exponential shape: P(gap > mean) = e^-1 (standard error 0.0015).
  EXPECT_NEAR(static_cast<double>(above_mean) / kGaps, std::exp(-1.0), 0.01);
}

TEST(LoadgenPoisson, ExponentialQuantiles) {
  constexpr int kGaps = 100'000;
  PoissonArrivals arrivals(1.0, 11);
  int above_3 = 0;
  int below_tenth = 0;
  for (int i = 0; i < kGaps; ++i) {
    const double gap = arrivals.next_interval();
    above_3 += gap > 3 ? 1 : 0;
    below_tenth += gap < 0.1 ? 1 : 0;
  }
  EXPECT_NEAR(static_cast<double>(above_3) / kGaps, std::exp(-3.0), 0.004);
  EXPECT_NEAR(static_cast<double>(below_tenth) / kGaps, 1 - std::exp(-0.1), 0.005);
}

TEST(LoadgenPoisson, IssueTimesAccumulateTheGaps) {
  PoissonArrivals gaps(1000, 3);
  PoissonArrivals times(1000, 3);
  double elapsed = 0;
  for (int i = 0; i < 1000; ++i) {
    elapsed += gaps.next_interval();
    EXPECT_NEAR(static_cast<double>(times.next_issue_time().count()), elapsed * 1e9, 1.0);
  }
}

TEST(LoadgenPoisson, SameSeedSameScheduleOtherSeedOther) {
  const auto a = poisson_schedule(1000, 42, 100, 0ms, 10s);
  const auto b = poisson_schedule(1000, 42, 100, 0ms, 10s);
  const auto c = poisson_schedule(1000, 43, 100, 0ms, 10s);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(LoadgenPoisson, ScheduleMeetsBothMinimaAndStopsAtMaxDuration) {
  // min_queries dominates: 1000 queries at 100,000/s last ~10 ms > min_duration 1 ms.
  auto times = poisson_schedule(100'000, 1, 1000, 1ms, 10s);
  EXPECT_EQ(times.size(), 1000u);
  // min_duration dominates: ~0.5 s at 1000/s, far more than 10 queries.
  times = poisson_schedule(1000, 1, 10, 500ms, 10s);
  EXPECT_GE(times.back(), 500ms);
  EXPECT_LT(times[times.size() - 2], 500ms);
  EXPECT_NEAR(static_cast<double>(times.size()), 500, 100);
  // max_duration cuts it short: nothing after it, fewer than min_queries.
  times = poisson_schedule(1000, 1, 10'000, 0ms, 100ms);
  EXPECT_LE(times.back(), 100ms);
  EXPECT_LT(times.size(), 10'000u);
  for (std::size_t i = 1; i < times.size(); ++i) ASSERT_GE(times[i], times[i - 1]);
}

TEST(LoadgenPoisson, RejectsANonPositiveRate) {
  EXPECT_THROW(PoissonArrivals(0, 1), std::invalid_argument);
  EXPECT_THROW(PoissonArrivals(-3, 1), std::invalid_argument);
}

}  // namespace
}  // namespace sciperf::loadgen
