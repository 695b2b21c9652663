// How many queries a run needs before its tail percentile means anything: MLPerf LoadGen's
// early-stopping bound (binomial, 99 % confidence by default).
//
// Derivation. Let q = 1 - p be the share of queries allowed over the latency target. If a
// system's true p-quantile were exactly the target, the number of over-latency queries among n
// is Binomial(n, q), and seeing at most t of them has probability
//     P(X <= t) = sum_{k=0..t} C(n, k) q^k (1 - q)^(n - k).
// A run passes early stopping when that is <= 1 - confidence: with t or fewer over-latency
// queries it shows, at that confidence, that the true p-quantile is within the target.
// Equivalently, the (t + 1)-th highest of n latencies is, at that confidence, an upper bound on
// the true p-quantile.
//
// LoadGen (results.cc) requires the smallest n that passes with t = 1: find_min_passing(1, p)
// gives the fewest under-latency queries h, and it asks for h + 1 queries. This gives exactly
// the numbers in NOTES.md: 64 for p90, 662 for p99, 6,636 for p99.9. The zero-over-latency
// bound (smallest n with p^n <= 1 - confidence, t = 0) gives 44, 459 and 4,603 instead: it
// only proves a bound when every query met the target, so LoadGen does not use it.
#pragma once

#include <cstdint>

namespace sciperf::loadgen {

// P(X <= k) for X ~ Binomial(n, q), computed in log space (exact to ~1e-13 where it matters).
double binomial_cdf(std::uint64_t k, std::uint64_t n, double q);

// The smallest n with binomial_cdf(overlatency, n, 1 - percentile) <= 1 - confidence: the
// fewest queries that can show the percentile at that confidence while `overlatency` of them
// missed it. Throws std::invalid_argument unless percentile and confidence are in (0, 1).
std::uint64_t min_queries_for_percentile(double percentile, double confidence, std::uint64_t overlatency);

// LoadGen's minimum: one over-latency query allowed, 99 % confidence by default.
std::uint64_t early_stopping_min_queries(double percentile, double confidence = 0.99);

}  // namespace sciperf::loadgen
