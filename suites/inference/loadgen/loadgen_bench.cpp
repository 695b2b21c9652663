// The load generator alone, against the issue's target: "a no-op SUT: Server scenario sustains
// >= 100,000 queries/s with < 20 us added p99". With a SUT that completes inline, a query's
// latency (scheduled issue time to completion) is exactly what the generator adds: how late it
// issued plus the cost of issuing and recording. Each round is a Server run whose latency bound
// is the target's 20 us, so "valid" means the target was met.
//
//   sciperf_loadgen_bench [--qps 100000] [--duration 5] [--rounds 3] [--search]
#include "suites/inference/loadgen/load_generator.h"
#include "suites/inference/loadgen/no_op.h"
#include "suites/inference/loadgen/server_qps_search.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <sys/resource.h>

#include <cstdio>

namespace {

using sciperf::loadgen::ScenarioResult;

rusage thread_usage() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage;
}

// CPU seconds the calling thread has used (user + system): unlike wall time, a busy machine
// does not inflate it.
double cpu_seconds(const rusage& usage) {
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double micros(const sciperf::loadgen::LatencyHistogram& histogram, double p) { return histogram.percentile(p) / 1e3; }

// preempted: how often the OS took the CPU away from the issuing thread during the round
// (involuntary context switches). On a shared machine these, not the generator, decide the tail.
void print_round(int round, const ScenarioResult& r, long preempted) {
  fmt::print("{:>5} {:>10.0f} {:>10.0f} {:>9} {:>8.2f} {:>8.2f} {:>8.2f} {:>9.1f} {:>9.2f} {:>9}  {}\n", round,
             r.scheduled_qps, r.achieved_qps, r.queries_completed, micros(r.latencies, 0.5), micros(r.latencies, 0.99),
             micros(r.latencies, 0.999), static_cast<double>(r.latencies.max()) / 1e3, micros(r.issue_delays, 0.99),
             preempted, r.valid ? "target met" : "NOT met: " + r.invalid_reason);
}

// The generator's own cost per query: a schedule far faster than it can issue (every query is
// late), so it issues back to back and never waits. Queries per CPU second is its ceiling.
void print_saturation(sciperf::loadgen::SystemUnderTest& sut, sciperf::loadgen::QuerySampleLibrary& qsl) {
  sciperf::loadgen::TestSettings settings;
  settings.scenario = sciperf::loadgen::Scenario::server;
  settings.target_qps = 1e9;
  settings.min_queries = 2'000'000;
  settings.min_duration = 0;
  settings.max_duration = 60;
  const double cpu_before = cpu_seconds(thread_usage());
  const ScenarioResult r = sciperf::loadgen::run_scenario(sut, qsl, settings);
  const double cpu = cpu_seconds(thread_usage()) - cpu_before;  // includes building the schedule
  fmt::print("saturation: {} queries issued back to back in {:.3f} s: {:.0f} queries/s; {:.0f} ns of CPU per query "
             "(building the schedule and the queries included)\n",
             r.queries_completed, r.duration, r.achieved_qps, cpu / static_cast<double>(r.queries_completed) * 1e9);
}

}  // namespace

int main(int argc, char** argv) {
  double qps = 100'000;
  double duration = 5;
  double bound_us = 20;
  int rounds = 3;
  bool search = false;
  double budget = 60;
  CLI::App app{"sciperf load generator benchmark: Server scenario against a no-op SUT"};
  app.add_option("--qps", qps, "offered queries per second (Poisson)")->capture_default_str();
  app.add_option("--duration", duration, "seconds per round")->capture_default_str();
  app.add_option("--bound-us", bound_us, "p99 bound on the added latency, microseconds")->capture_default_str();
  app.add_option("--rounds", rounds, "rounds")->capture_default_str();
  app.add_flag("--search", search, "also search the highest QPS whose p99 meets the bound");
  app.add_option("--search-budget", budget, "seconds for --search")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  sciperf::loadgen::NoOpSystemUnderTest sut;
  sciperf::loadgen::NoOpQuerySampleLibrary qsl(1 << 20, 1 << 16);
  sciperf::loadgen::TestSettings settings;
  settings.scenario = sciperf::loadgen::Scenario::server;
  settings.target_qps = qps;
  settings.latency_bound = bound_us * 1e-6;
  settings.min_duration = duration;
  settings.max_duration = duration * 2 + 1;

  fmt::print("Server scenario, no-op SUT (completes inline), {} s per round, bound p99 <= {} us\n", duration, bound_us);
  fmt::print("{:>5} {:>10} {:>10} {:>9} {:>8} {:>8} {:>8} {:>9} {:>9} {:>9}\n", "round", "sched_qps", "done_qps",
             "queries", "p50_us", "p99_us", "p999_us", "max_us", "lag99_us", "preempted");
  int met = 0;
  for (int round = 1; round <= rounds; ++round) {
    settings.seed = static_cast<std::uint64_t>(round);
    const long switches_before = thread_usage().ru_nivcsw;
    const ScenarioResult result = sciperf::loadgen::run_scenario(sut, qsl, settings);
    print_round(round, result, thread_usage().ru_nivcsw - switches_before);
    met += result.valid ? 1 : 0;
    std::fflush(stdout);
  }
  fmt::print("target (>= {:.0f} queries/s, p99 < {} us) met in {} of {} rounds\n", qps, bound_us, met, rounds);
  print_saturation(sut, qsl);

  if (search) {
    settings.search_budget = budget;
    settings.search_min_qps = 1000;
    settings.search_max_qps = 1e7;
    settings.min_duration = 1;
    settings.max_duration = 3;
    const auto found = sciperf::loadgen::server_qps_search(sut, qsl, settings);
    fmt::print("\nQPS search ({:.0f} s, stopped: {}):\n{:>12} {:>12} {:>12} {:>9}\n", found.elapsed,
               found.stopped_because, "offered", "achieved", "p99_us", "valid");
    for (const auto& point : found.curve) {
      fmt::print("{:>12.0f} {:>12.0f} {:>12.2f} {:>9}\n", point.offered_qps, point.achieved_qps,
                 point.percentile_latency * 1e6, point.valid ? "yes" : "no");
    }
    fmt::print("highest QPS with p99 <= {} us: {:.0f}\n", bound_us, found.best_qps);
  }
  return met == rounds ? 0 : 1;
}
