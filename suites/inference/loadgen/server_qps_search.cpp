#include "suites/inference/loadgen/server_qps_search.h"

#include "suites/inference/loadgen/load_generator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace sciperf::loadgen {
namespace {

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

class Search {
 public:
  Search(SystemUnderTest& sut, QuerySampleLibrary& qsl, const TestSettings& settings)
      : sut_(sut), qsl_(qsl), settings_(settings), start_(Clock::now()) {
    settings_.scenario = Scenario::server;
    validate(settings_);
  }

  QpsSearchResult run() {
    double qps = std::clamp(settings_.target_qps, settings_.search_min_qps, settings_.search_max_qps);
    // A first valid rate: the guess, halved while runs are invalid.
    while (highest_valid_ == 0) {
      if (!trial(qps)) return finish("budget");
      if (highest_valid_ == 0) {
        if (qps <= settings_.search_min_qps) return finish("search_min_qps");
        qps = std::max(qps / 2, settings_.search_min_qps);
      }
    }
    // The first invalid rate above it: doubling.
    while (lowest_invalid_ == kNone) {
      if (highest_valid_ >= settings_.search_max_qps) return finish("search_max_qps");
      if (!trial(std::min(highest_valid_ * 2, settings_.search_max_qps))) return finish("budget");
    }
    // Bisect the bracket. Noise can make a run valid above an invalid one: the bracket then
    // inverts and the search ends with the highest valid rate.
    while (lowest_invalid_ / highest_valid_ - 1 > settings_.search_tolerance) {
      if (!trial(std::sqrt(highest_valid_ * lowest_invalid_))) return finish("budget");
    }
    return finish("converged");
  }

 private:
  static constexpr double kNone = std::numeric_limits<double>::infinity();

  // Runs one Server trial at qps unless the budget cannot cover it; false when it could not.
  bool trial(double qps) {
    const double left = settings_.search_budget - seconds_since(start_);
    if (left <= 0 || left < last_trial_seconds_) return false;
    TestSettings trial = settings_;
    trial.target_qps = qps;
    // A trial never runs past the budget (a run over capacity can take far longer than planned).
    trial.max_duration = std::max(trial.min_duration, std::min(trial.max_duration, left));
    const Clock::time_point trial_start = Clock::now();
    ScenarioResult run = run_scenario(sut_, qsl_, trial);
    last_trial_seconds_ = seconds_since(trial_start);
    result_.curve.push_back(
        {qps, run.scheduled_qps, run.achieved_qps, run.percentile_latency, run.valid, run.invalid_reason});
    if (run.valid && qps > highest_valid_) {
      highest_valid_ = qps;
      result_.best_qps = qps;
      result_.best = std::move(run);
    } else if (!run.valid) {
      lowest_invalid_ = std::min(lowest_invalid_, qps);
    }
    return true;
  }

  QpsSearchResult finish(std::string why) {
    result_.elapsed = seconds_since(start_);
    result_.stopped_because = std::move(why);
    return std::move(result_);
  }

  SystemUnderTest& sut_;
  QuerySampleLibrary& qsl_;
  TestSettings settings_;
  Clock::time_point start_;
  double last_trial_seconds_ = 0;
  double highest_valid_ = 0;
  double lowest_invalid_ = kNone;
  QpsSearchResult result_;
};

}  // namespace

QpsSearchResult server_qps_search(SystemUnderTest& sut, QuerySampleLibrary& qsl, const TestSettings& settings) {
  return Search(sut, qsl, settings).run();
}

}  // namespace sciperf::loadgen
