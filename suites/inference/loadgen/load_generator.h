// Runs one scenario against a SUT: picks and loads the samples, issues the queries the way the
// scenario's traits say, waits for the completions, unloads, and judges the run.
#pragma once

#include "suites/inference/loadgen/query_sample_library.h"
#include "suites/inference/loadgen/scenarios.h"
#include "suites/inference/loadgen/system_under_test.h"
#include "suites/inference/loadgen/test_settings.h"

namespace sciperf::loadgen {

// Throws std::invalid_argument for bad settings or a QSL without samples. Everything else a run
// can go through (a slow SUT, queries never completed, a run cut by max_duration) ends in a
// result with valid = false and the reason.
ScenarioResult run_scenario(SystemUnderTest& sut, QuerySampleLibrary& qsl, const TestSettings& settings);

}  // namespace sciperf::loadgen
