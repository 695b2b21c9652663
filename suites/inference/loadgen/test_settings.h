// What one load-generator run is asked to do: the scenario and its knobs, as plain data (after
// MLPerf LoadGen's test_settings.h). The scenarios differ only through this struct and the
// table in scenarios.h; nothing else branches on the scenario.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace sciperf::loadgen {

enum class Scenario {
  single_stream,  // one query of one sample at a time; metric p90 latency
  multi_stream,   // one query of N samples at a time; metric p99 latency
  server,         // Poisson arrivals at target_qps; valid when p99 <= latency_bound
  offline,        // every sample issued at once; metric samples/s
};

std::string_view to_string(Scenario scenario);
// Accepts the snake-case names ("single_stream") and LoadGen's ("SingleStream"), any case,
// '-' or '_' optional. Throws std::invalid_argument naming the value and the accepted names.
Scenario to_scenario(std::string_view name);

struct TestSettings {
  Scenario scenario = Scenario::single_stream;

  // Server: the mean arrival rate of the Poisson process, queries per second.
  double target_qps = 1000;
  // Server: the latency (seconds, from the scheduled issue time) the percentile must meet.
  double latency_bound = 0.010;

  // Samples in one query; 0 = the scenario's default (SingleStream and Server 1, MultiStream 8,
  // Offline every loaded sample).
  std::size_t samples_per_query = 0;
  // Offline: how many queries the samples are issued in, all at the start (LoadGen issues one).
  std::size_t offline_queries = 1;

  // The run lasts until both minima are met (Server: its schedule is built to meet both), or
  // until max_duration. min_queries 0 = the early-stopping minimum for the percentile, the
  // fewest queries that can make the run valid.
  std::uint64_t min_queries = 0;
  double min_duration = 1.0;   // seconds
  double max_duration = 60.0;  // seconds; also the deadline for the last completions

  // The percentile the scenario's metric and validity use; 0 = the scenario's default
  // (SingleStream 0.90, MultiStream and Server 0.99). The early-stopping confidence is 0.99.
  double percentile = 0;
  double confidence = 0.99;

  // One seed for every random choice (which samples are loaded, which each query uses, the
  // arrival times): equal settings give equal queries at equal scheduled times.
  std::uint64_t seed = 0x5c1e9f;

  // Server QPS search (server_qps_search): spend at most search_budget seconds of trial runs,
  // looking between search_min_qps and search_max_qps, and stop bisecting once the bracket
  // is within search_tolerance (relative) of the answer. Each trial is a Server run with
  // these settings and its own target_qps.
  double search_budget = 30.0;
  double search_min_qps = 100;
  double search_max_qps = 1e7;
  double search_tolerance = 0.05;
};

// Throws std::invalid_argument naming the first bad key and its value, e.g.
// "loadgen setting target_qps: must be > 0, got -5".
void validate(const TestSettings& settings);

// Sets one field from its text (the names are the field names above; durations in seconds,
// scenario by name). Throws std::invalid_argument naming the key and the value when the key is
// unknown or the value does not parse or is out of range.
void apply_setting(TestSettings& settings, std::string_view key, std::string_view value);
// Defaults, then every key in turn, then validate().
TestSettings settings_from_strings(const std::map<std::string, std::string>& values);

}  // namespace sciperf::loadgen
