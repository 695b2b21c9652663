// When the Server scenario issues its queries: a Poisson process, i.e. exponentially
// distributed gaps with mean 1 / target_qps. Deterministic: the gaps come from a seeded
// mt19937_64 through the inverse CDF (-ln(u) / qps), both fully specified by the standard, so
// a seed gives the same schedule with any compiler or standard library (std::
// exponential_distribution's algorithm is left to the library).
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <vector>

namespace sciperf::loadgen {

class PoissonArrivals {
 public:
  // Throws std::invalid_argument when target_qps is not > 0.
  PoissonArrivals(double target_qps, std::uint64_t seed);
  // The next gap, in seconds.
  double next_interval();
  // The next issue time, counted from the start of the run (the first query comes one gap in).
  std::chrono::nanoseconds next_issue_time();

 private:
  double target_qps_;
  std::mt19937_64 random_;
  double elapsed_seconds_ = 0;
};

// The issue times of a whole run: as many as it takes to reach both min_queries and
// min_duration, but none after max_duration (a run never issues past it).
std::vector<std::chrono::nanoseconds> poisson_schedule(double target_qps, std::uint64_t seed,
                                                       std::uint64_t min_queries,
                                                       std::chrono::nanoseconds min_duration,
                                                       std::chrono::nanoseconds max_duration);

}  // namespace sciperf::loadgen
