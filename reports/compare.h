// `sciperf compare`: match two bundles' cases by name and decide, metric by metric, whether
// the candidate regressed, improved or stayed within noise.
//
// A metric is a regression when it got worse by more than its floor (its threshold: the
// most specific one for its suite and metric, else the global one; never below the relative
// noise floor; and more than the absolute floor for its unit) AND the per-repetition samples
// say so: Mann–Whitney p < alpha and the bootstrap interval of the median ratio (confidence
// 1 - alpha) lies wholly on the worse side. An improvement is the mirror image. Within the floor it is "no change"; beyond it
// but not significant, "noise". Without enough samples to test (fewer than 2 a side, or too
// few for any outcome to reach p < alpha) a change beyond the floor is "unknown": it can be
// neither claimed nor dismissed.
#pragma once

#include "reports/bundle_reader.h"
#include "reports/statistics.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf::reports {

// sciperf compare's exit codes.
inline constexpr int kExitNoRegression = 0;
inline constexpr int kExitRegression = 1;
inline constexpr int kExitCouldNotCompare = 2;  // unreadable bundle, nothing matched, bundles disagree on units

enum class Verdict { regression, improvement, no_change, noise, unknown };
inline constexpr Verdict kVerdicts[] = {Verdict::regression, Verdict::improvement, Verdict::no_change, Verdict::noise,
                                        Verdict::unknown};
std::string_view to_string(Verdict verdict);  // "regression", "improvement", "no change", "noise", "unknown"

// A relative threshold for a suite's metric; "*" stands for any suite or any metric.
struct Threshold {
  std::string suite;
  std::string metric;
  double relative = 0;
};

// Changes smaller than `value` (in `unit`) are noise for the metrics measured in `unit`.
struct AbsoluteFloor {
  std::string unit;
  double value = 0;
};

struct CompareSettings {
  std::vector<std::string> metrics;  // empty: each case's headline metrics
  double alpha = 0.05;
  double noise = 0.05;        // the relative threshold of every metric without a more specific one
  double noise_floor = 0;     // no threshold counts below this relative change
  std::vector<AbsoluteFloor> absolute_floors;
  std::vector<Threshold> thresholds;  // the most specific match applies; the last of equals
  std::vector<std::string> sources;   // the configs these came from, besides the command line
  int resamples = 2000;               // bootstrap resamples for the interval
  // The bootstrap interval for every metric with samples; otherwise only where the verdict
  // depends on it (beyond the floor with p < alpha), which is what makes large comparisons fast.
  bool all_intervals = false;
};

struct MetricComparison {
  std::string metric;
  std::string unit;
  Direction direction = Direction::lower_is_better;
  std::optional<double> baseline;
  std::optional<double> candidate;
  std::optional<double> ratio;   // candidate / baseline
  std::optional<double> change;  // relative change, positive = better
  std::optional<double> p_value;
  // Of median(candidate samples) / median(baseline samples); computed where the verdict
  // depends on it, or everywhere with CompareSettings::all_intervals.
  std::optional<Interval> ratio_interval;
  std::size_t baseline_samples = 0;
  std::size_t candidate_samples = 0;
  double floor = 0;  // the relative change that counts
  Verdict verdict = Verdict::unknown;
  std::string note;    // why, where the verdict needs a reason
  bool error = false;  // the bundles disagree on the metric's unit or direction
};

// The ratio interval as a change (positive = better), like MetricComparison::change.
Interval change_interval(const Interval& ratio_interval, Direction direction);

struct CaseComparison {
  const CaseResult* baseline = nullptr;
  const CaseResult* candidate = nullptr;
  // Set when the case is not ok on both sides: the statuses decide (ok → failed is a
  // regression) and `metrics` is empty.
  std::optional<Verdict> status_verdict;
  std::string status_note;
  std::vector<MetricComparison> metrics;
};

struct Comparison {
  const Bundle* baseline = nullptr;
  const Bundle* candidate = nullptr;
  CompareSettings settings;
  std::vector<CaseComparison> cases;  // matched by name, in the baseline's order
  std::vector<const CaseResult*> baseline_only;
  std::vector<const CaseResult*> candidate_only;
  std::vector<std::string> errors;  // each names the file and field

  // Why nothing could be compared; nullopt when something was.
  std::optional<std::string> nothing_compared() const;
  int exit_code() const;
  // "1 regression, 2 improvements, 30 no change, ..." over metrics and status verdicts.
  std::string tally() const;
  std::size_t count(Verdict verdict) const;
};

// The bundles must outlive the comparison, which points into them.
Comparison compare_bundles(const Bundle& baseline, const Bundle& candidate, const CompareSettings& settings);

}  // namespace sciperf::reports
