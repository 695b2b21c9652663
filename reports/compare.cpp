#include "reports/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <future>
#include <span>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace sciperf::reports {
namespace {

// The most specific threshold that applies (suite and metric, then suite, then metric, the
// last given of equals), else the global one; never below the noise floor.
double threshold_for(const CompareSettings& settings, const std::string& suite, const std::string& metric) {
  int best = -1;
  double relative = settings.noise;
  for (const Threshold& threshold : settings.thresholds) {
    if ((threshold.suite != "*" && threshold.suite != suite) || (threshold.metric != "*" && threshold.metric != metric))
      continue;
    const int specificity = (threshold.suite != "*" ? 2 : 0) + (threshold.metric != "*" ? 1 : 0);
    if (specificity >= best) {
      best = specificity;
      relative = threshold.relative;
    }
  }
  return std::max(relative, settings.noise_floor);
}

// The last floor given for the unit, as the last of equal thresholds applies; 0 if none.
double absolute_floor_for(const CompareSettings& settings, const std::string& unit) {
  const auto& floors = settings.absolute_floors;
  const auto it = std::find_if(floors.rbegin(), floors.rend(), [&](const AbsoluteFloor& f) { return f.unit == unit; });
  return it == floors.rend() ? 0 : it->value;
}

// The fewest repetitions a side with which some outcome reaches p < alpha.
std::size_t repetitions_needed(double alpha) {
  std::size_t n = 2;
  while (smallest_p_value(n, n) >= alpha && n < 1000) ++n;
  return n;
}

std::string says(const CaseResult& record) {
  return record.reason.empty() ? record.status : fmt::format("{}: {}", record.status, record.reason);
}

// For a case not ok on both sides. A skip is not a result, so it decides nothing either way.
std::pair<Verdict, std::string> judge_statuses(const CaseResult& baseline, const CaseResult& candidate) {
  if (baseline.status == "ok") {
    if (candidate.status == "skipped") return {Verdict::unknown, "candidate " + says(candidate)};
    return {Verdict::regression, "candidate " + says(candidate)};
  }
  if (candidate.status == "ok") {
    if (baseline.status == "skipped") return {Verdict::unknown, "baseline " + says(baseline)};
    return {Verdict::improvement, fmt::format("baseline {}; candidate ok", says(baseline))};
  }
  if (baseline.status == candidate.status) return {Verdict::no_change, "both " + says(candidate)};
  return {Verdict::unknown, fmt::format("baseline {}; candidate {}", says(baseline), says(candidate))};
}

std::span<const double> samples_of(const CaseResult& record, const std::string& metric) {
  const auto it = record.samples.find(metric);
  return it == record.samples.end() ? std::span<const double>() : std::span<const double>(it->second);
}

// Beyond the floor: is the change significant, and which way? `interval` gives the
// bootstrap interval of the ratio, asked for only when the verdict depends on it (the
// test is significant: does the interval agree?), since it costs thousands of resamples.
template <typename MakeInterval>
void decide(MetricComparison& m, double alpha, MakeInterval interval) {
  if (m.baseline_samples < 2 || m.candidate_samples < 2) {
    m.verdict = Verdict::unknown;
    m.note = fmt::format("{} and {} repetitions: too few to test", m.baseline_samples, m.candidate_samples);
    return;
  }
  if (*m.p_value >= alpha) {
    if (smallest_p_value(m.baseline_samples, m.candidate_samples) >= alpha) {
      m.verdict = Verdict::unknown;
      m.note = fmt::format("{} and {} repetitions cannot reach p < {}; {} a side can", m.baseline_samples,
                           m.candidate_samples, alpha, repetitions_needed(alpha));
    } else {
      m.verdict = Verdict::noise;
    }
    return;
  }
  if (!m.ratio_interval) m.ratio_interval = interval();
  const bool better = *m.change > 0;
  bool interval_agrees = true;
  if (m.ratio_interval) {
    const Interval change = change_interval(*m.ratio_interval, m.direction);
    interval_agrees = better ? change.low > 0 : change.high < 0;
  }
  m.verdict = !interval_agrees ? Verdict::noise : better ? Verdict::improvement : Verdict::regression;
}

class CaseComparer {
 public:
  CaseComparer(const Bundle& baseline, const Bundle& candidate, const CompareSettings& settings,
               std::vector<std::string>& errors)
      : baseline_(baseline), candidate_(candidate), settings_(settings), errors_(errors) {}

  CaseComparison compare(const CaseResult& baseline, const CaseResult& candidate) const {
    CaseComparison result{&baseline, &candidate, std::nullopt, "", {}};
    if (baseline.status != "ok" || candidate.status != "ok") {
      std::tie(result.status_verdict, result.status_note) = judge_statuses(baseline, candidate);
      return result;
    }
    for (const std::string& name : metric_names(baseline, candidate))
      if (baseline.metrics.contains(name) || candidate.metrics.contains(name))
        result.metrics.push_back(compare_metric(baseline, candidate, name));
    return result;
  }

 private:
  std::vector<std::string> metric_names(const CaseResult& baseline, const CaseResult& candidate) const {
    if (!settings_.metrics.empty()) return settings_.metrics;
    std::vector<std::string> names = baseline.headline;
    for (const std::string& name : candidate.headline)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    return names;
  }

  // False, with the error recorded, when the bundles disagree on what the metric is.
  bool consistent(MetricComparison& m, const CaseResult& candidate, const std::string& field, const std::string& base,
                  const std::string& cand) const {
    if (base == cand) return true;
    errors_.push_back(fmt::format("{}: {}.metrics.{}.{}: \"{}\", but the baseline {} has \"{}\" (case {}); cannot compare",
                                  candidate_.file, candidate.field(), m.metric, field, cand, baseline_.file, base,
                                  candidate.name));
    m.error = true;
    m.note = fmt::format("{} differs: {} in the baseline, {} in the candidate", field, base, cand);
    return false;
  }

  MetricComparison compare_metric(const CaseResult& baseline, const CaseResult& candidate, const std::string& name) const {
    MetricComparison m;
    m.metric = name;
    const auto base = baseline.metrics.find(name);
    const auto cand = candidate.metrics.find(name);
    if (base == baseline.metrics.end() || cand == candidate.metrics.end()) {
      const Metric& present = base == baseline.metrics.end() ? cand->second : base->second;
      m.unit = present.unit;
      m.direction = present.direction;
      m.note = base == baseline.metrics.end() ? "not measured in the baseline" : "not measured in the candidate";
      return m;
    }
    m.unit = base->second.unit;
    m.direction = base->second.direction;
    m.baseline = base->second.value;
    m.candidate = cand->second.value;
    if (!consistent(m, candidate, "unit", base->second.unit, cand->second.unit) ||
        !consistent(m, candidate, "direction", std::string(to_string(base->second.direction)),
                    std::string(to_string(cand->second.direction))))
      return m;
    if (!m.baseline || !m.candidate) {
      m.note = !m.baseline ? "no value in the baseline" : "no value in the candidate";
      return m;
    }
    if (*m.baseline <= 0 || *m.candidate < 0) {
      m.note = "a value is not positive: no ratio";
      return m;
    }
    m.ratio = *m.candidate / *m.baseline;
    m.change = (*m.ratio - 1.0) * (m.direction == Direction::higher_is_better ? 1.0 : -1.0);

    const auto base_samples = samples_of(baseline, name);
    const auto cand_samples = samples_of(candidate, name);
    m.baseline_samples = base_samples.size();
    m.candidate_samples = cand_samples.size();
    if (!base_samples.empty() && !cand_samples.empty()) m.p_value = mann_whitney_u(base_samples, cand_samples).p_value;
    const auto interval = [&] {
      return median_ratio_interval(base_samples, cand_samples, {1.0 - settings_.alpha, settings_.resamples});
    };
    if (settings_.all_intervals) m.ratio_interval = interval();

    m.floor = threshold_for(settings_, baseline.suite, name);
    const bool beyond_floor = std::fabs(*m.ratio - 1.0) > m.floor &&
                              std::fabs(*m.candidate - *m.baseline) > absolute_floor_for(settings_, m.unit);
    if (beyond_floor) decide(m, settings_.alpha, interval);
    else m.verdict = Verdict::no_change;
    return m;
  }

  const Bundle& baseline_;
  const Bundle& candidate_;
  const CompareSettings& settings_;
  std::vector<std::string>& errors_;
};

struct MatchedPair {
  const CaseResult* baseline;
  const CaseResult* candidate;
};

// The matched cases compared in order, the second half on a core of its own when there are
// many: after reading, the statistics of 200,000 metrics are most of what compare costs.
// Each half keeps its own errors, joined in order.
std::vector<CaseComparison> compare_matched(const Bundle& baseline, const Bundle& candidate, const CompareSettings& settings,
                                            std::span<const MatchedPair> pairs, std::vector<std::string>& errors) {
  const auto compare_part = [&](std::span<const MatchedPair> part, std::vector<std::string>& part_errors) {
    const CaseComparer comparer(baseline, candidate, settings, part_errors);
    std::vector<CaseComparison> out;
    out.reserve(part.size());
    for (const MatchedPair& pair : part) out.push_back(comparer.compare(*pair.baseline, *pair.candidate));
    return out;
  };
  static constexpr std::size_t kWorthAThread = 2000;
  const std::size_t half = pairs.size() < kWorthAThread ? pairs.size() : pairs.size() / 2;
  std::vector<std::string> second_errors;
  auto second = std::async(half < pairs.size() ? std::launch::async : std::launch::deferred, compare_part,
                           pairs.subspan(half), std::ref(second_errors));
  std::vector<CaseComparison> cases = compare_part(pairs.first(half), errors);
  std::vector<CaseComparison> rest = second.get();
  cases.insert(cases.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
  errors.insert(errors.end(), second_errors.begin(), second_errors.end());
  return cases;
}

}  // namespace

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::regression: return "regression";
    case Verdict::improvement: return "improvement";
    case Verdict::no_change: return "no change";
    case Verdict::noise: return "noise";
    case Verdict::unknown: return "unknown";
  }
  return "?";
}

Interval change_interval(const Interval& ratio_interval, Direction direction) {
  if (direction == Direction::higher_is_better) return {ratio_interval.low - 1.0, ratio_interval.high - 1.0};
  return {1.0 - ratio_interval.high, 1.0 - ratio_interval.low};
}

std::size_t Comparison::count(Verdict verdict) const {
  std::size_t n = 0;
  for (const CaseComparison& c : cases) {
    if (c.status_verdict) n += *c.status_verdict == verdict;
    for (const MetricComparison& m : c.metrics) n += m.verdict == verdict;
  }
  return n;
}

std::optional<std::string> Comparison::nothing_compared() const {
  if (cases.empty())
    return fmt::format("no case appears in both bundles ({} in the baseline, {} in the candidate)",
                       baseline->cases.size(), candidate->cases.size());
  const bool any = std::any_of(cases.begin(), cases.end(),
                               [](const CaseComparison& c) { return c.status_verdict || !c.metrics.empty(); });
  if (!any) return "the matched cases have no metric in common";
  return std::nullopt;
}

int Comparison::exit_code() const {
  if (!errors.empty() || nothing_compared()) return kExitCouldNotCompare;
  return count(Verdict::regression) > 0 ? kExitRegression : kExitNoRegression;
}

std::string Comparison::tally() const {
  std::string text;
  for (Verdict verdict : kVerdicts) {
    const std::size_t n = count(verdict);
    if (n == 0 && verdict != Verdict::regression) continue;
    const bool plural = n != 1 && (verdict == Verdict::regression || verdict == Verdict::improvement);
    text += fmt::format("{}{} {}{}", text.empty() ? "" : ", ", n, to_string(verdict), plural ? "s" : "");
  }
  return text;
}

Comparison compare_bundles(const Bundle& baseline, const Bundle& candidate, const CompareSettings& settings) {
  Comparison comparison;
  comparison.baseline = &baseline;
  comparison.candidate = &candidate;
  comparison.settings = settings;

  std::unordered_map<std::string_view, const CaseResult*> by_name;
  by_name.reserve(candidate.cases.size());
  for (const CaseResult& record : candidate.cases) by_name.emplace(record.name, &record);
  std::vector<MatchedPair> matched;
  for (const CaseResult& record : baseline.cases) {
    const auto it = by_name.find(record.name);
    if (it == by_name.end()) comparison.baseline_only.push_back(&record);
    else matched.push_back({&record, it->second});
  }
  std::unordered_set<std::string_view> in_baseline;
  for (const MatchedPair& pair : matched) in_baseline.insert(pair.baseline->name);
  for (const CaseResult& record : candidate.cases)
    if (!in_baseline.contains(record.name)) comparison.candidate_only.push_back(&record);
  comparison.cases = compare_matched(baseline, candidate, comparison.settings, matched, comparison.errors);

  // A misspelt --metric would otherwise compare nothing and pass.
  for (const std::string& name : settings.metrics) {
    const bool measured = std::any_of(comparison.cases.begin(), comparison.cases.end(), [&](const CaseComparison& c) {
      return c.baseline->metrics.contains(name) || c.candidate->metrics.contains(name);
    });
    if (!measured) comparison.errors.push_back(fmt::format("--metric {}: no case in both bundles measures it", name));
  }
  return comparison;
}

}  // namespace sciperf::reports
