#include "suites/inference/loadgen/poisson_schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sciperf::loadgen {

PoissonArrivals::PoissonArrivals(double target_qps, std::uint64_t seed) : target_qps_(target_qps), random_(seed) {
  if (!(target_qps > 0) || !std::isfinite(target_qps)) {
    throw std::invalid_argument(fmt::format("loadgen setting target_qps: must be > 0, got {}", target_qps));
  }
}

double PoissonArrivals::next_interval() {
  // u uniform in (0, 1] from the top 53 bits: never 0, so -ln(u) is finite.
  const double u = static_cast<double>((random_() >> 11) + 1) * 0x1p-53;
  return -std::log(u) / target_qps_;
}

std::chrono::nanoseconds PoissonArrivals::next_issue_time() {
  // Accumulated in seconds as a double: after 10^8 gaps the rounding is still below 1 ns.
  elapsed_seconds_ += next_interval();
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(elapsed_seconds_ * 1e9)));
}

std::vector<std::chrono::nanoseconds> poisson_schedule(double target_qps, std::uint64_t seed,
                                                       std::uint64_t min_queries,
                                                       std::chrono::nanoseconds min_duration,
                                                       std::chrono::nanoseconds max_duration) {
  PoissonArrivals arrivals(target_qps, seed);
  std::vector<std::chrono::nanoseconds> times;
  // The expected length, so the vector rarely grows (it is built before the run, untimed).
  const auto seconds = [](std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); };
  const double expected = std::min(std::max(static_cast<double>(min_queries), target_qps * seconds(min_duration)),
                                   target_qps * seconds(max_duration));
  times.reserve(static_cast<std::size_t>(expected * 1.05) + 16);
  while (times.size() < min_queries || times.empty() || times.back() < min_duration) {
    const auto next = arrivals.next_issue_time();
    if (next > max_duration) break;
    times.push_back(next);
  }
  return times;
}

}  // namespace sciperf::loadgen
