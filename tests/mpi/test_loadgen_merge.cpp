// Latency histograms merged across ranks: every rank ends with exactly the histogram of all
// ranks' values (not an average of per-rank percentiles), also when some ranks saw nothing.
#include "suites/inference/loadgen/latency_histogram.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <cstdint>

namespace sciperf::loadgen {
namespace {

int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int size() {
  int s = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

// Rank r's latencies: 1,000 x (r + 1) values around (r + 1) x 100 us, so ranks differ in both
// count and level, and the merged tail belongs to the slowest rank.
void record_rank_values(int r, LatencyHistogram& histogram) {
  const std::int64_t level = (r + 1) * 100'000;
  for (std::int64_t i = 0; i < 1'000 * (r + 1); ++i) histogram.record(level + (i * 7919) % 50'000);
}

TEST(LoadgenMerge, EveryRankGetsTheHistogramOfAllValues) {
  LatencyHistogram mine;
  record_rank_values(rank(), mine);
  LatencyHistogram expected;
  for (int r = 0; r < size(); ++r) record_rank_values(r, expected);

  LatencyHistogram merged = mine;
  merged.merge_across_ranks(MPI_COMM_WORLD);
  EXPECT_EQ(merged, expected);
  EXPECT_EQ(merged.count(), expected.count());
  EXPECT_EQ(merged.min(), 100'000);
  EXPECT_EQ(merged.max(), expected.max());
  EXPECT_DOUBLE_EQ(merged.percentile(0.99), expected.percentile(0.99));
}

TEST(LoadgenMerge, EmptyRanksDoNotDisturbMinAndMax) {
  // Only the last rank records anything.
  LatencyHistogram mine;
  if (rank() == size() - 1) {
    mine.record(5'000);
    mine.record(9'000'000);
  }
  mine.merge_across_ranks(MPI_COMM_WORLD);
  EXPECT_EQ(mine.count(), 2u);
  EXPECT_EQ(mine.min(), 5'000);
  EXPECT_EQ(mine.max(), 9'000'000);
  EXPECT_DOUBLE_EQ(mine.mean(), (5'000 + 9'000'000) / 2.0);

  LatencyHistogram nothing;
  nothing.merge_across_ranks(MPI_COMM_WORLD);
  EXPECT_TRUE(nothing.empty());
  EXPECT_EQ(nothing.min(), 0);
  EXPECT_EQ(nothing.max(), 0);
}

}  // namespace
}  // namespace sciperf::loadgen
