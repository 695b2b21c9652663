// The four MLPerf scenarios as data (how queries arrive, their size, which percentile and metric
// count, what makes a run valid), and the result of one run with the judgement that turns what
// was measured into the scenario's metric and a verdict.
#pragma once

#include "suites/inference/loadgen/latency_histogram.h"
#include "suites/inference/loadgen/test_settings.h"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf::loadgen {

enum class Arrivals {
  after_previous,  // the next query is issued when the previous one completes (one in flight)
  poisson,         // at Poisson-distributed scheduled times, whatever is still in flight
  all_at_start,    // every query at once, at the start
};

enum class MetricKind {
  percentile_latency,  // the percentile's latency, seconds (lower is better)
  scheduled_qps,       // queries per second the schedule offered, valid only within the bound
  samples_per_second,  // completed samples over the run's duration
};

struct ScenarioTraits {
  Scenario scenario;
  Arrivals arrivals;
  std::size_t default_samples_per_query;  // 0: every loaded sample
  double default_percentile;
  MetricKind metric;
  bool latency_bound_applies;   // valid only if the percentile's latency <= latency_bound
  bool needs_early_stopping;    // valid only with the early-stopping minimum of queries
  bool runs_for_min_duration;   // keeps issuing until min_duration (Offline's size is fixed)
};

const ScenarioTraits& traits_of(Scenario scenario);

// The scenario defaults resolved against the settings.
double metric_percentile(const TestSettings& settings);
std::size_t resolved_samples_per_query(const TestSettings& settings, std::size_t loaded_samples);
// settings.min_queries, or when 0 the early-stopping minimum (Offline: its query count).
std::uint64_t resolved_min_queries(const TestSettings& settings);
// "p90", "p99", "p99.9".
std::string percentile_label(double percentile);

struct ScenarioMetric {
  std::string name;  // e.g. "p90_latency", "scheduled_qps", "samples_per_second"
  double value = 0;
  std::string unit;  // "s", "queries/s", "samples/s"
  bool higher_is_better = false;
};

struct ScenarioResult {
  TestSettings settings;
  std::string sut_name;

  // What the load generator measured.
  std::uint64_t queries_scheduled = 0;  // Server and Offline: the schedule's length
  std::uint64_t queries_issued = 0;
  std::uint64_t queries_completed = 0;
  std::uint64_t samples_completed = 0;
  std::uint64_t completion_errors = 0;  // completions of unknown or already completed ids
  double schedule_span = 0;             // seconds from the start to the last scheduled issue
  double duration = 0;                  // seconds from the start to the last completion
  // Per query, from its scheduled issue time (Server, Offline) or its issue (SingleStream,
  // MultiStream) to its completion, ns: a late issue is latency, never omitted.
  LatencyHistogram latencies;
  // How late the generator itself issued each query after its scheduled time, ns.
  LatencyHistogram issue_delays;

  // Derived by evaluate().
  double achieved_qps = 0;        // completed queries / duration
  double samples_per_second = 0;  // completed samples / duration
  double scheduled_qps = 0;       // scheduled queries / schedule span (Server)
  double percentile = 0;
  double percentile_latency = 0;  // seconds
  std::uint64_t early_stopping_min_queries = 0;
  ScenarioMetric metric;
  bool valid = false;
  std::string invalid_reason;  // every reason, "; "-separated; empty when valid
};

// Fills the derived fields of a result whose measured fields are set: the rates, the
// percentile, the scenario's metric, and validity (too few queries for early stopping or for
// min_queries, shorter than min_duration, the percentile over the bound, queries outstanding
// or not issued, completion errors).
void evaluate(ScenarioResult& result);

// For the result bundle: settings, counts, figures, metric, verdict and both histograms.
nlohmann::json to_json(const ScenarioResult& result);

}  // namespace sciperf::loadgen
