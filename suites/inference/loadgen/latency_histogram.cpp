#include "suites/inference/loadgen/latency_histogram.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace sciperf::loadgen {
namespace {

constexpr std::int64_t kExactLimit = std::int64_t{1} << LatencyHistogram::kSubBucketBits;
constexpr std::int64_t kRangeLimit = std::int64_t{1} << LatencyHistogram::kMaxBits;

// The 1-based rank of the p-quantile among count values (nearest rank). p * count is rounded
// down when it is an integer up to floating-point noise: 0.99 * 100 must be rank 99, not 100.
std::uint64_t nearest_rank(double p, std::uint64_t count) {
  const double x = p * static_cast<double>(count);
  const double nearest = std::round(x);
  const double rank = std::abs(x - nearest) <= 1e-9 * std::max(1.0, x) ? nearest : std::ceil(x);
  return std::clamp<std::uint64_t>(static_cast<std::uint64_t>(rank), 1, count);
}

}  // namespace

std::size_t LatencyHistogram::bucket_index(std::int64_t nanoseconds) {
  if (nanoseconds < kExactLimit) return static_cast<std::size_t>(std::max<std::int64_t>(nanoseconds, 0));
  if (nanoseconds >= kRangeLimit) return kBucketCount - 1;
  const auto value = static_cast<std::uint64_t>(nanoseconds);
  // The power of two above the exact range, and the top kSubBucketBits + 1 bits of the value.
  const int shift = static_cast<int>(std::bit_width(value)) - 1 - kSubBucketBits;
  const std::uint64_t sub_bucket = (value >> shift) - kSubBuckets;
  return kSubBuckets + static_cast<std::size_t>(shift) * kSubBuckets + static_cast<std::size_t>(sub_bucket);
}

std::int64_t LatencyHistogram::bucket_lowest(std::size_t index) {
  if (index < kSubBuckets) return static_cast<std::int64_t>(index);
  const std::size_t shift = (index - kSubBuckets) / kSubBuckets;
  const std::size_t sub_bucket = (index - kSubBuckets) % kSubBuckets;
  return static_cast<std::int64_t>((kSubBuckets + sub_bucket) << shift);
}

std::int64_t LatencyHistogram::bucket_highest(std::size_t index) {
  if (index + 1 >= kBucketCount) return std::numeric_limits<std::int64_t>::max();
  return bucket_lowest(index + 1) - 1;
}

void LatencyHistogram::record(std::int64_t nanoseconds) {
  nanoseconds = std::max<std::int64_t>(nanoseconds, 0);
  ++counts_[bucket_index(nanoseconds)];
  ++count_;
  sum_ += static_cast<std::uint64_t>(nanoseconds);
  min_ = std::min(min_, nanoseconds);
  max_ = std::max(max_, nanoseconds);
}

double LatencyHistogram::percentile(double p) const {
  if (!(p >= 0 && p <= 1)) throw std::invalid_argument(fmt::format("percentile: p must be in [0, 1], got {}", p));
  if (empty()) return 0;
  const std::uint64_t rank = nearest_rank(p, count_);
  std::uint64_t seen = 0;
  std::size_t index = 0;
  for (; index < kBucketCount; ++index) {
    seen += counts_[index];
    if (seen >= rank) break;
  }
  // The last bucket is open-ended: its middle means nothing, the exact max is the best answer.
  const double middle = index + 1 >= kBucketCount
                            ? static_cast<double>(max_)
                            : (static_cast<double>(bucket_lowest(index)) + static_cast<double>(bucket_highest(index))) / 2;
  return std::clamp(middle, static_cast<double>(min_), static_cast<double>(max_));
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void LatencyHistogram::merge_across_ranks(MPI_Comm comm) {
  MPI_Allreduce(MPI_IN_PLACE, counts_.data(), static_cast<int>(counts_.size()), MPI_UINT64_T, MPI_SUM, comm);
  std::uint64_t totals[2] = {count_, sum_};
  MPI_Allreduce(MPI_IN_PLACE, totals, 2, MPI_UINT64_T, MPI_SUM, comm);
  count_ = totals[0];
  sum_ = totals[1];
  // An empty rank holds min = INT64_MAX and max = INT64_MIN, which the reductions ignore.
  MPI_Allreduce(MPI_IN_PLACE, &min_, 1, MPI_INT64_T, MPI_MIN, comm);
  MPI_Allreduce(MPI_IN_PLACE, &max_, 1, MPI_INT64_T, MPI_MAX, comm);
}

nlohmann::json to_json(const LatencyHistogram& histogram) {
  nlohmann::json buckets = nlohmann::json::array();
  for (std::size_t i = 0; i < LatencyHistogram::kBucketCount; ++i) {
    if (histogram.bucket_count(i) != 0) buckets.push_back({LatencyHistogram::bucket_lowest(i), histogram.bucket_count(i)});
  }
  return {{"unit", "ns"},
          {"count", histogram.count()},
          {"min", histogram.min()},
          {"max", histogram.max()},
          {"sum", histogram.sum()},
          {"sub_bucket_bits", LatencyHistogram::kSubBucketBits},
          {"buckets", std::move(buckets)}};
}

LatencyHistogram latency_histogram_from_json(const nlohmann::json& json) {
  const auto fail = [](const std::string& what) {
    throw std::invalid_argument("latency histogram JSON: " + what);
  };
  try {
    if (json.at("unit") != "ns") fail(fmt::format("unit must be \"ns\", got {}", json.at("unit").dump()));
    const int bits = json.at("sub_bucket_bits").get<int>();
    if (bits != LatencyHistogram::kSubBucketBits) {
      fail(fmt::format("sub_bucket_bits {} does not match this build's {}", bits, LatencyHistogram::kSubBucketBits));
    }
    const auto count = json.at("count").get<std::uint64_t>();
    const auto min = json.at("min").get<std::int64_t>();
    const auto max = json.at("max").get<std::int64_t>();
    const auto sum = json.at("sum").get<std::uint64_t>();
    LatencyHistogram histogram;
    std::uint64_t bucketed = 0;
    for (const auto& bucket : json.at("buckets")) {
      const auto lowest = bucket.at(0).get<std::int64_t>();
      const auto n = bucket.at(1).get<std::uint64_t>();
      const std::size_t index = LatencyHistogram::bucket_index(lowest);
      if (LatencyHistogram::bucket_lowest(index) != lowest) fail(fmt::format("{} ns is not a bucket boundary", lowest));
      if (n == 0 || histogram.bucket_count(index) != 0) fail(fmt::format("bucket {} ns is empty or repeated", lowest));
      histogram.counts_[index] = n;
      bucketed += n;
    }
    if (bucketed != count) fail(fmt::format("bucket counts add up to {}, count says {}", bucketed, count));
    if (count != 0 && min > max) {
      fail(fmt::format("min {} ns is above max {} ns", min, max));
    }
    histogram.count_ = count;
    histogram.sum_ = sum;
    if (count != 0) {
      histogram.min_ = min;
      histogram.max_ = max;
    }
    return histogram;
  } catch (const nlohmann::json::exception& error) {
    fail(error.what());
  }
  return {};
}

}  // namespace sciperf::loadgen
