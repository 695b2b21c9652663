// The Server scenario's headline: the highest QPS whose p99 latency (from the scheduled issue
// time) meets the bound. Found by trial runs within a time budget: the offered QPS doubles while
// runs are valid (halves while they are not), then the bracket between the best valid and the
// lowest invalid rate is bisected (geometrically: the tolerance is relative).
#pragma once

#include "suites/inference/loadgen/query_sample_library.h"
#include "suites/inference/loadgen/scenarios.h"
#include "suites/inference/loadgen/system_under_test.h"
#include "suites/inference/loadgen/test_settings.h"

#include <optional>
#include <string>
#include <vector>

namespace sciperf::loadgen {

// One trial run: what was offered, what came back.
struct QpsSearchPoint {
  double offered_qps = 0;   // the trial's target_qps
  double scheduled_qps = 0; // what its Poisson schedule actually offered
  double achieved_qps = 0;  // completed queries / duration
  double percentile_latency = 0;  // seconds (p99 unless settings.percentile says otherwise)
  bool valid = false;
  std::string invalid_reason;
};

struct QpsSearchResult {
  double best_qps = 0;              // the highest valid offered QPS; 0 when none was valid
  std::optional<ScenarioResult> best;  // that trial's full result
  std::vector<QpsSearchPoint> curve;   // every trial, in the order run
  double elapsed = 0;               // seconds spent
  std::string stopped_because;      // "converged", "budget", "search_max_qps", "search_min_qps"
};

// settings: the Server run of every trial (its target_qps is the first guess; scenario is forced
// to server) and the search_* bounds. A trial is only started when the budget left is at least
// the previous trial's wall time, so the search ends within about the budget.
QpsSearchResult server_qps_search(SystemUnderTest& sut, QuerySampleLibrary& qsl, const TestSettings& settings);

}  // namespace sciperf::loadgen
