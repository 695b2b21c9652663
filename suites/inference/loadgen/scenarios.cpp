#include "suites/inference/loadgen/scenarios.h"

#include "suites/inference/loadgen/early_stopping.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cmath>

namespace sciperf::loadgen {
namespace {

// The whole difference between the scenarios (MLPerf Inference rules, NOTES.md).
constexpr std::array<ScenarioTraits, 4> kTraits{{
    {Scenario::single_stream, Arrivals::after_previous, 1, 0.90, MetricKind::percentile_latency,
     /*latency_bound_applies=*/false, /*needs_early_stopping=*/true, /*runs_for_min_duration=*/true},
    {Scenario::multi_stream, Arrivals::after_previous, 8, 0.99, MetricKind::percentile_latency, false, true, true},
    {Scenario::server, Arrivals::poisson, 1, 0.99, MetricKind::scheduled_qps, true, true, true},
    {Scenario::offline, Arrivals::all_at_start, 0, 0.99, MetricKind::samples_per_second, false, false, false},
}};

double per_second(double count, double seconds) { return seconds > 0 ? count / seconds : 0.0; }

// Durations in reasons: "12.3 ms", "250 us", "1.5 s".
std::string human_seconds(double seconds) {
  if (seconds >= 1) return fmt::format("{:.3g} s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.3g} ms", seconds * 1e3);
  return fmt::format("{:.3g} us", seconds * 1e6);
}

ScenarioMetric metric_of(const ScenarioResult& result) {
  switch (traits_of(result.settings.scenario).metric) {
    case MetricKind::percentile_latency:
      return {percentile_label(result.percentile) + "_latency", result.percentile_latency, "s", false};
    case MetricKind::scheduled_qps:
      return {"scheduled_qps", result.scheduled_qps, "queries/s", true};
    case MetricKind::samples_per_second:
      return {"samples_per_second", result.samples_per_second, "samples/s", true};
  }
  return {};
}

std::vector<std::string> invalid_reasons(const ScenarioResult& r) {
  const ScenarioTraits& traits = traits_of(r.settings.scenario);
  std::vector<std::string> reasons;
  if (r.completion_errors != 0) {
    reasons.push_back(fmt::format("{} completions named an unknown or already completed query", r.completion_errors));
  }
  if (r.queries_issued > r.queries_completed) {
    reasons.push_back(fmt::format("{} of {} queries still outstanding when the run ended (max_duration {} s)",
                                  r.queries_issued - r.queries_completed, r.queries_issued, r.settings.max_duration));
  }
  if (r.queries_scheduled > r.queries_issued) {
    reasons.push_back(fmt::format("issued only {} of {} scheduled queries before max_duration ({} s)", r.queries_issued,
                                  r.queries_scheduled, r.settings.max_duration));
  }
  if (traits.needs_early_stopping && r.queries_completed < r.early_stopping_min_queries) {
    reasons.push_back(fmt::format("{} queries completed; {} needs at least {} (early stopping, {:g} % confidence)",
                                  r.queries_completed, percentile_label(r.percentile), r.early_stopping_min_queries,
                                  r.settings.confidence * 100));
  }
  if (r.settings.min_queries > 0 && r.queries_completed < r.settings.min_queries) {
    reasons.push_back(fmt::format("{} queries completed, fewer than min_queries {}", r.queries_completed,
                                  r.settings.min_queries));
  }
  if (traits.runs_for_min_duration && r.duration < r.settings.min_duration) {
    reasons.push_back(fmt::format("ran {} s, shorter than min_duration {} s", r.duration, r.settings.min_duration));
  }
  if (traits.latency_bound_applies && r.percentile_latency > r.settings.latency_bound) {
    reasons.push_back(fmt::format("{} latency {} exceeds the bound {}", percentile_label(r.percentile),
                                  human_seconds(r.percentile_latency), human_seconds(r.settings.latency_bound)));
  }
  return reasons;
}

}  // namespace

const ScenarioTraits& traits_of(Scenario scenario) {
  for (const auto& traits : kTraits) {
    if (traits.scenario == scenario) return traits;
  }
  return kTraits[0];
}

double metric_percentile(const TestSettings& settings) {
  return settings.percentile != 0 ? settings.percentile : traits_of(settings.scenario).default_percentile;
}

std::size_t resolved_samples_per_query(const TestSettings& settings, std::size_t loaded_samples) {
  if (settings.samples_per_query != 0) return settings.samples_per_query;
  const std::size_t by_default = traits_of(settings.scenario).default_samples_per_query;
  return by_default != 0 ? by_default : loaded_samples;
}

std::uint64_t resolved_min_queries(const TestSettings& settings) {
  if (settings.min_queries != 0) return settings.min_queries;
  if (!traits_of(settings.scenario).needs_early_stopping) return settings.offline_queries;
  return early_stopping_min_queries(metric_percentile(settings), settings.confidence);
}

std::string percentile_label(double percentile) {
  // Up to four decimals of the percent, trailing zeros dropped: 0.9 -> p90, 0.999 -> p99.9.
  std::string digits = fmt::format("{:.4f}", percentile * 100);
  digits.erase(digits.find_last_not_of('0') + 1);
  if (digits.back() == '.') digits.pop_back();
  return "p" + digits;
}

void evaluate(ScenarioResult& r) {
  r.achieved_qps = per_second(static_cast<double>(r.queries_completed), r.duration);
  r.samples_per_second = per_second(static_cast<double>(r.samples_completed), r.duration);
  r.scheduled_qps = per_second(static_cast<double>(r.queries_scheduled), r.schedule_span);
  r.percentile = metric_percentile(r.settings);
  r.percentile_latency = r.latencies.percentile_seconds(r.percentile);
  r.early_stopping_min_queries = early_stopping_min_queries(r.percentile, r.settings.confidence);
  r.metric = metric_of(r);
  const std::vector<std::string> reasons = invalid_reasons(r);
  r.valid = reasons.empty();
  r.invalid_reason = fmt::format("{}", fmt::join(reasons, "; "));
}

nlohmann::json to_json(const ScenarioResult& r) {
  const TestSettings& s = r.settings;
  return {
      {"scenario", to_string(s.scenario)},
      {"sut", r.sut_name},
      {"settings",
       {{"target_qps", s.target_qps},
        {"latency_bound", s.latency_bound},
        {"samples_per_query", s.samples_per_query},
        {"offline_queries", s.offline_queries},
        {"min_queries", s.min_queries},
        {"min_duration", s.min_duration},
        {"max_duration", s.max_duration},
        {"percentile", r.percentile},
        {"confidence", s.confidence},
        {"seed", s.seed}}},
      {"queries_scheduled", r.queries_scheduled},
      {"queries_issued", r.queries_issued},
      {"queries_completed", r.queries_completed},
      {"samples_completed", r.samples_completed},
      {"completion_errors", r.completion_errors},
      {"schedule_span", r.schedule_span},
      {"duration", r.duration},
      {"achieved_qps", r.achieved_qps},
      {"samples_per_second", r.samples_per_second},
      {"scheduled_qps", r.scheduled_qps},
      {"percentile_latency", r.percentile_latency},
      {"early_stopping_min_queries", r.early_stopping_min_queries},
      {"metric",
       {{"name", r.metric.name},
        {"value", r.metric.value},
        {"unit", r.metric.unit},
        {"direction", r.metric.higher_is_better ? "higher_is_better" : "lower_is_better"}}},
      {"valid", r.valid},
      {"invalid_reason", r.invalid_reason},
      {"latencies", to_json(r.latencies)},
      {"issue_delays", to_json(r.issue_delays)},
  };
}

}  // namespace sciperf::loadgen
