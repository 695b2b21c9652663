// The timed loop: warm-up, an iteration count agreed across ranks (pilot run, max time over
// ranks, broadcast from rank 0, as IMB does), then the repetitions through Google Benchmark.
// Knows nothing of how results are printed or stored.
#pragma once

#include "harness/config.h"

#include <mpi.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sciperf {

class CaseInstance;
struct Metric;

// Seconds per operation in one repetition, across ranks.
struct RepetitionSample {
  double t_min;
  double t_avg;
  double t_max;
};

struct Measurement {
  std::int64_t iterations = 0;  // per repetition, the same on every rank
  std::vector<RepetitionSample> repetitions;
  // what the case measured itself in each repetition (CaseInstance::end_repetition or
  // run_repetition)
  std::vector<std::vector<Metric>> case_metrics;
  // isolated mode only: each operation's time, the max over ranks, over all repetitions
  std::vector<double> operation_times;
  // rank 0 only: Google Benchmark's JSON for this case ("context" and "benchmarks")
  nlohmann::json benchmark_json;
};

// Called just before the first and just after the last timed repetition (collectors read
// their counters there, outside warm-up and the pilot).
struct MeasuredRegion {
  std::function<void()> begin;
  std::function<void()> end;
};

// Collective. `filtered_out` is set when Google Benchmark's own --benchmark_filter excluded
// the case (then nothing was measured).
Measurement measure(CaseInstance& instance, const std::string& name, const TimingConfig& timing, MPI_Comm comm,
                    const MeasuredRegion& region, bool& filtered_out);

// For a case that drives its own measurement: `timing.repetitions` calls of run_repetition
// inside the measured region. Collective.
Measurement measure_case_driven(CaseInstance& instance, const TimingConfig& timing, const MeasuredRegion& region);

}  // namespace sciperf
