// Latencies as an HDR-style log-linear histogram: every power of two is split into 128 equal
// buckets, so a bucket's width is at most 1/128 of its lower bound and the value a percentile
// reports (the bucket's middle) is within 0.4 % of every value in it. Recording is constant time
// and memory is fixed (4,352 counters, 1 ns to 2^40 ns ~ 18 min), whatever the number of
// queries; count, min, max and mean are exact. Percentiles of several generators or ranks come
// from merged counts, never from averaged percentiles.
#pragma once

#include <mpi.h>
#include <nlohmann/json_fwd.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace sciperf::loadgen {

class LatencyHistogram {
 public:
  // Values below 2^kSubBucketBits ns get one bucket per nanosecond (exact); above, each power of
  // two gets 2^kSubBucketBits buckets. Values at or above 2^kMaxBits ns (about 1,100 s) land in
  // the last bucket (max() stays exact).
  static constexpr int kSubBucketBits = 7;
  static constexpr int kMaxBits = 40;
  static constexpr std::size_t kSubBuckets = std::size_t{1} << kSubBucketBits;
  static constexpr std::size_t kBucketCount = kSubBuckets + (kMaxBits - kSubBucketBits) * kSubBuckets;

  // Negative values (a completion stamped before its scheduled time) are recorded as 0.
  void record(std::int64_t nanoseconds);
  void record(std::chrono::nanoseconds latency) { record(latency.count()); }

  std::uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Exact, in nanoseconds; 0 when empty.
  std::int64_t min() const { return empty() ? 0 : min_; }
  std::int64_t max() const { return empty() ? 0 : max_; }
  double mean() const { return empty() ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_); }
  std::uint64_t sum() const { return sum_; }

  // The nearest-rank p-quantile (p in [0, 1]) in nanoseconds: the middle of the bucket holding
  // the ceil(p * count)-th smallest value, clamped to [min, max]. 0 when empty.
  double percentile(double p) const;
  // The same in seconds (what ScenarioResult reports).
  double percentile_seconds(double p) const { return percentile(p) * 1e-9; }

  // Adds another histogram's values: afterwards this one is what recording both would give.
  void merge(const LatencyHistogram& other);
  // Collective over comm: every rank ends up with the histogram of all ranks' values (bucket
  // counts, count and sum summed; min and max reduced).
  void merge_across_ranks(MPI_Comm comm);

  // The buckets' layout, for tests and serialization: index of the bucket holding value, and
  // the smallest and largest value that bucket holds.
  static std::size_t bucket_index(std::int64_t nanoseconds);
  static std::int64_t bucket_lowest(std::size_t index);
  static std::int64_t bucket_highest(std::size_t index);
  std::uint64_t bucket_count(std::size_t index) const { return counts_[index]; }

  friend bool operator==(const LatencyHistogram&, const LatencyHistogram&) = default;
  friend LatencyHistogram latency_histogram_from_json(const nlohmann::json& json);

 private:
  std::array<std::uint64_t, kBucketCount> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;  // exact; overflows only after ~584 years of summed latency
  std::int64_t min_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t max_ = std::numeric_limits<std::int64_t>::min();
};

// {"unit": "ns", "count", "min", "max", "sum", "sub_bucket_bits", "buckets": [[lowest value of
// the bucket, count], ...]} with only the non-empty buckets, in increasing order. from_json
// checks the layout and that the counts add up, and throws std::invalid_argument otherwise.
nlohmann::json to_json(const LatencyHistogram& histogram);
LatencyHistogram latency_histogram_from_json(const nlohmann::json& json);

}  // namespace sciperf::loadgen
