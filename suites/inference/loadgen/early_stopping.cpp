#include "suites/inference/loadgen/early_stopping.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sciperf::loadgen {

double binomial_cdf(std::uint64_t k, std::uint64_t n, double q) {
  if (k >= n) return 1.0;
  if (q <= 0) return 1.0;
  if (q >= 1) return 0.0;
  // Each term C(n, j) q^j (1-q)^(n-j) through lgamma and log1p: no overflow for large n, and
  // (1 - q)^n keeps its precision when q is tiny.
  const double log_q = std::log(q);
  const double log_not_q = std::log1p(-q);
  const auto nn = static_cast<double>(n);
  double sum = 0;
  for (std::uint64_t j = 0; j <= k; ++j) {
    const auto jj = static_cast<double>(j);
    const double log_choose = std::lgamma(nn + 1) - std::lgamma(jj + 1) - std::lgamma(nn - jj + 1);
    sum += std::exp(log_choose + jj * log_q + (nn - jj) * log_not_q);
  }
  return std::min(sum, 1.0);
}

std::uint64_t min_queries_for_percentile(double percentile, double confidence, std::uint64_t overlatency) {
  if (!(percentile > 0 && percentile < 1)) {
    throw std::invalid_argument(fmt::format("early stopping: percentile must be in (0, 1), got {}", percentile));
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw std::invalid_argument(fmt::format("early stopping: confidence must be in (0, 1), got {}", confidence));
  }
  const double q = 1 - percentile;
  const double target = 1 - confidence;
  const auto passes = [&](std::uint64_t n) { return binomial_cdf(overlatency, n, q) <= target; };
  // P(X <= t) falls as n grows: double until it passes, then bisect (lo fails, hi passes).
  std::uint64_t lo = overlatency;
  std::uint64_t hi = overlatency + 1;
  while (!passes(hi)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    (passes(mid) ? hi : lo) = mid;
  }
  return hi;
}

std::uint64_t early_stopping_min_queries(double percentile, double confidence) {
  return min_queries_for_percentile(percentile, confidence, 1);
}

}  // namespace sciperf::loadgen
