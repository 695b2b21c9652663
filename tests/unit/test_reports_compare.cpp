#include "reports/compare.h"

#include "reports_support.h"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

namespace sciperf::reports {
namespace {

using nlohmann::json;
using testing::contains;
using testing::fixture;
using testing::fixture_document;

// The matched case whose name contains `fragment`.
const CaseComparison& find_case(const Comparison& comparison, const std::string& fragment) {
  for (const CaseComparison& c : comparison.cases)
    if (c.baseline->name.find(fragment) != std::string::npos) return c;
  throw std::logic_error("no matched case named like " + fragment);
}

const MetricComparison& find_metric(const CaseComparison& c, const std::string& metric) {
  for (const MetricComparison& m : c.metrics)
    if (m.metric == metric) return m;
  throw std::logic_error("no comparison of " + metric + " in " + c.baseline->name);
}

Verdict verdict_of(const Comparison& comparison, const std::string& fragment, const std::string& metric) {
  return find_metric(find_case(comparison, fragment), metric).verdict;
}

class CompareFixtures : public ::testing::Test {
 protected:
  Bundle baseline = fixture("baseline");
  Bundle candidate = fixture("candidate");
};

TEST_F(CompareFixtures, EachKindOfChangeGetsItsVerdict) {
  const Comparison comparison = compare_bundles(baseline, candidate, {});
  // 11.7% slower, 2% noise, 10 repetitions a side.
  EXPECT_EQ(verdict_of(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB", "time_avg"), Verdict::regression);
  EXPECT_EQ(verdict_of(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB", "busbw"), Verdict::regression);
  const MetricComparison& slower = find_metric(find_case(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB"), "time_avg");
  EXPECT_NEAR(*slower.ratio, 1.117, 0.001);
  EXPECT_NEAR(*slower.change, -0.117, 0.001);  // slower is worse: negative
  EXPECT_LT(*slower.p_value, 0.001);
  EXPECT_GT(slower.ratio_interval->low, 1.05);
  EXPECT_EQ(slower.baseline_samples, 10u);
  // 16% faster.
  EXPECT_EQ(verdict_of(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:64KiB", "time_avg"), Verdict::improvement);
  EXPECT_GT(*find_metric(find_case(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:64KiB"), "busbw").change, 0.1);
  // 1.3% slower: significant (p < 0.05) but within the 5% floor.
  const MetricComparison& small = find_metric(find_case(comparison, "mpi/dtype:float32/op:sum/in_place:false/bytes:1KiB"), "time_avg");
  EXPECT_LT(*small.p_value, 0.05);
  EXPECT_EQ(small.verdict, Verdict::no_change);
  // 10% slower in the median, but the samples overlap: not significant.
  EXPECT_EQ(verdict_of(comparison, "mpi/dtype:float32/op:sum/in_place:false/bytes:64KiB", "time_avg"), Verdict::noise);
  // 19% slower on 3 repetitions a side: no outcome of 3 and 3 reaches p < 0.05.
  const MetricComparison& few = find_metric(find_case(comparison, "allgather"), "time_avg");
  EXPECT_EQ(few.verdict, Verdict::unknown);
  EXPECT_EQ(few.note, "3 and 3 repetitions cannot reach p < 0.05; 4 a side can");
  EXPECT_EQ(verdict_of(comparison, "selftest", "time_avg"), Verdict::no_change);
  EXPECT_EQ(comparison.exit_code(), kExitRegression);
}

TEST_F(CompareFixtures, HeadlineMetricsAreComparedByDefault) {
  const Comparison comparison = compare_bundles(baseline, candidate, {});
  const CaseComparison& c = find_case(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB");
  ASSERT_EQ(c.metrics.size(), 2u);
  EXPECT_EQ(c.metrics[0].metric, "time_avg");
  EXPECT_EQ(c.metrics[1].metric, "busbw");
}

TEST_F(CompareFixtures, StatusesDecideWhenACaseIsNotOkOnBothSides) {
  const Comparison comparison = compare_bundles(baseline, candidate, {});
  const CaseComparison& failed = find_case(comparison, "broadcast");
  EXPECT_EQ(failed.status_verdict, Verdict::regression);
  EXPECT_TRUE(failed.metrics.empty());
  EXPECT_EQ(failed.status_note, "candidate failed: validation failed: 3 of 256 elements differ (rank 1, element 7: 2 instead of 3)");
  const CaseComparison& skipped = find_case(comparison, "alltoall");
  EXPECT_EQ(skipped.status_verdict, Verdict::no_change);
  EXPECT_EQ(skipped.status_note, "both skipped: 8 B holds fewer float32 elements than the 2 ranks need");
}

TEST_F(CompareFixtures, StatusTransitions) {
  const auto verdict = [&](const std::string& before, const std::string& after) {
    Bundle b = baseline, c = candidate;
    b.cases[0].status = before;
    c.cases[0].status = after;
    for (Bundle* bundle : {&b, &c})
      if (bundle->cases[0].status != "ok") bundle->cases[0].reason = "why";
    return compare_bundles(b, c, {}).cases[0].status_verdict;
  };
  EXPECT_EQ(verdict("ok", "failed"), Verdict::regression);
  EXPECT_EQ(verdict("ok", "timeout"), Verdict::regression);
  EXPECT_EQ(verdict("ok", "skipped"), Verdict::unknown);  // a skip measures nothing either way
  EXPECT_EQ(verdict("failed", "ok"), Verdict::improvement);
  EXPECT_EQ(verdict("skipped", "ok"), Verdict::unknown);
  EXPECT_EQ(verdict("failed", "failed"), Verdict::no_change);
  EXPECT_EQ(verdict("failed", "timeout"), Verdict::unknown);
  EXPECT_EQ(verdict("ok", "ok"), std::nullopt);
}

TEST_F(CompareFixtures, UnmatchedCasesAreListedOnBothSides) {
  const Comparison comparison = compare_bundles(baseline, candidate, {});
  ASSERT_EQ(comparison.baseline_only.size(), 1u);
  EXPECT_TRUE(contains(comparison.baseline_only[0]->name, "reduce_scatter"));
  ASSERT_EQ(comparison.candidate_only.size(), 1u);
  EXPECT_TRUE(contains(comparison.candidate_only[0]->name, "rabenseifner"));
  EXPECT_EQ(comparison.cases.size(), 8u);
}

TEST_F(CompareFixtures, Tally) {
  EXPECT_EQ(compare_bundles(baseline, candidate, {}).tally(),
            "3 regressions, 2 improvements, 4 no change, 2 noise, 2 unknown");
  EXPECT_EQ(compare_bundles(baseline, baseline, {}).tally(), "0 regressions, 16 no change");
}

TEST_F(CompareFixtures, ABundleComparedWithItselfHasNoChange) {
  const Comparison comparison = compare_bundles(baseline, baseline, {});
  EXPECT_EQ(comparison.exit_code(), kExitNoRegression);
  EXPECT_EQ(comparison.count(Verdict::no_change), 16u);
  EXPECT_TRUE(comparison.baseline_only.empty());
}

TEST_F(CompareFixtures, TheMostSpecificThresholdAppliesAboveTheNoiseFloor) {
  CompareSettings settings;
  settings.thresholds = {{"collectives", "*", 0.20}, {"collectives", "busbw", 0.06}, {"*", "time_avg", 0.01}};
  Comparison comparison = compare_bundles(baseline, candidate, settings);
  const CaseComparison& c = find_case(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB");
  EXPECT_DOUBLE_EQ(find_metric(c, "time_avg").floor, 0.20);  // collectives.* beats *.time_avg
  EXPECT_EQ(find_metric(c, "time_avg").verdict, Verdict::no_change);
  EXPECT_DOUBLE_EQ(find_metric(c, "busbw").floor, 0.06);  // collectives.busbw beats collectives.*
  EXPECT_EQ(find_metric(c, "busbw").verdict, Verdict::regression);
  // Below the global threshold (5%) too: a metric known to be steady may get a tighter one.
  EXPECT_DOUBLE_EQ(find_metric(find_case(comparison, "selftest"), "time_avg").floor, 0.01);

  // The noise floor bounds every threshold from below.
  settings.noise_floor = 0.03;
  comparison = compare_bundles(baseline, candidate, settings);
  EXPECT_DOUBLE_EQ(find_metric(find_case(comparison, "selftest"), "time_avg").floor, 0.03);
  EXPECT_DOUBLE_EQ(find_metric(find_case(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB"), "busbw").floor,
                   0.06);
}

TEST_F(CompareFixtures, OfEqualThresholdsAndFloorsTheLastGivenApplies) {
  CompareSettings settings;
  settings.thresholds = {{"collectives", "busbw", 0.50}, {"collectives", "busbw", 0.06}};
  settings.absolute_floors = {{"s", 1.0}, {"s", 0.0}};
  const Comparison comparison = compare_bundles(baseline, candidate, settings);
  const CaseComparison& c = find_case(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB");
  EXPECT_DOUBLE_EQ(find_metric(c, "busbw").floor, 0.06);
  EXPECT_EQ(find_metric(c, "time_avg").verdict, Verdict::regression);  // the 1 s floor was replaced
}

TEST_F(CompareFixtures, IntervalsOnlyWhereTheyDecideUnlessAskedForAll) {
  CompareSettings settings;
  Comparison comparison = compare_bundles(baseline, candidate, settings);
  const auto interval_of = [&](const Comparison& in, const std::string& name, const std::string& metric) {
    return find_metric(find_case(in, name), metric).ratio_interval;
  };
  const std::string ring = "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB";
  const std::string mpi = "mpi/dtype:float32/op:sum/in_place:false/bytes:1KiB";
  EXPECT_TRUE(interval_of(comparison, ring, "time_avg").has_value());  // a regression: the interval agreed
  EXPECT_FALSE(interval_of(comparison, mpi, "time_avg").has_value());  // within the floor: nothing to decide
  settings.all_intervals = true;
  const Comparison all = compare_bundles(baseline, candidate, settings);
  EXPECT_TRUE(interval_of(all, mpi, "time_avg").has_value());
  EXPECT_EQ(interval_of(all, ring, "time_avg")->low, interval_of(comparison, ring, "time_avg")->low);
  EXPECT_EQ(all.tally(), comparison.tally());  // the verdicts do not depend on it
}

TEST_F(CompareFixtures, AbsoluteFloorAppliesToItsUnitOnly) {
  CompareSettings settings;
  settings.absolute_floors = {{"s", 2e-6}};  // 10 us → 11.2 us is a change of 1.2 us
  const Comparison comparison = compare_bundles(baseline, candidate, settings);
  EXPECT_EQ(verdict_of(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB", "time_avg"), Verdict::no_change);
  EXPECT_EQ(verdict_of(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB", "busbw"), Verdict::regression);
}

TEST_F(CompareFixtures, ChosenMetricsReplaceTheHeadline) {
  CompareSettings settings;
  settings.metrics = {"algbw"};
  const Comparison comparison = compare_bundles(baseline, candidate, settings);
  const CaseComparison& c = find_case(comparison, "ring/dtype:float32/op:sum/in_place:false/bytes:1KiB");
  ASSERT_EQ(c.metrics.size(), 1u);
  EXPECT_EQ(c.metrics[0].metric, "algbw");
  EXPECT_TRUE(find_case(comparison, "selftest").metrics.empty());  // selftest has no algbw
  EXPECT_TRUE(comparison.errors.empty());
}

TEST_F(CompareFixtures, AMisspeltMetricCannotPassQuietly) {
  CompareSettings settings;
  settings.metrics = {"bsubw"};
  const Comparison comparison = compare_bundles(baseline, candidate, settings);
  ASSERT_EQ(comparison.errors.size(), 1u);
  EXPECT_EQ(comparison.errors[0], "--metric bsubw: no case in both bundles measures it");
  EXPECT_EQ(comparison.exit_code(), kExitCouldNotCompare);
}

TEST_F(CompareFixtures, MismatchedUnitsAreAnErrorNamingTheFileAndField) {
  json document = fixture_document("candidate");
  document["sciperf"]["cases"][0]["metrics"]["busbw"]["unit"] = "MB/s";
  const Bundle changed = read_bundle(document, "candidate/results.json");
  const Comparison comparison = compare_bundles(baseline, changed, {});
  ASSERT_EQ(comparison.errors.size(), 1u);
  EXPECT_TRUE(contains(comparison.errors[0], "candidate/results.json: sciperf.cases[0].metrics.busbw.unit: \"MB/s\", "
                                             "but the baseline " + baseline.file + " has \"GB/s\""));
  const MetricComparison& busbw = find_metric(comparison.cases[0], "busbw");
  EXPECT_TRUE(busbw.error);
  EXPECT_EQ(busbw.verdict, Verdict::unknown);
  EXPECT_EQ(busbw.note, "unit differs: GB/s in the baseline, MB/s in the candidate");
  EXPECT_EQ(comparison.exit_code(), kExitCouldNotCompare);  // even though there are regressions
}

TEST_F(CompareFixtures, MismatchedDirectionsAreAnError) {
  candidate.cases[0].metrics.at("time_avg").direction = Direction::higher_is_better;
  const Comparison comparison = compare_bundles(baseline, candidate, {});
  ASSERT_EQ(comparison.errors.size(), 1u);
  EXPECT_TRUE(contains(comparison.errors[0], "sciperf.cases[0].metrics.time_avg.direction: \"higher_is_better\""));
}

TEST_F(CompareFixtures, NoMatchedCaseCannotBeCompared) {
  for (CaseResult& record : candidate.cases) record.name += "/renamed";
  const Comparison comparison = compare_bundles(baseline, candidate, {});
  EXPECT_EQ(comparison.nothing_compared(), "no case appears in both bundles (9 in the baseline, 9 in the candidate)");
  EXPECT_EQ(comparison.exit_code(), kExitCouldNotCompare);
  EXPECT_EQ(comparison.baseline_only.size(), 9u);
  EXPECT_EQ(comparison.candidate_only.size(), 9u);
}

TEST_F(CompareFixtures, TooFewSamplesOrNoValueIsUnknown) {
  candidate.cases[0].samples.at("time_avg").resize(1);
  candidate.cases[0].metrics.at("busbw").value.reset();
  const Comparison comparison = compare_bundles(baseline, candidate, {});
  const MetricComparison& time = find_metric(comparison.cases[0], "time_avg");
  EXPECT_EQ(time.verdict, Verdict::unknown);
  EXPECT_EQ(time.note, "10 and 1 repetitions: too few to test");
  EXPECT_FALSE(time.ratio_interval.has_value());
  const MetricComparison& busbw = find_metric(comparison.cases[0], "busbw");
  EXPECT_EQ(busbw.verdict, Verdict::unknown);
  EXPECT_EQ(busbw.note, "no value in the candidate");
}

TEST_F(CompareFixtures, AMetricOnOneSideOnlyIsUnknown) {
  candidate.cases[0].metrics.erase("busbw");
  const Comparison comparison = compare_bundles(baseline, candidate, {});
  const MetricComparison& busbw = find_metric(comparison.cases[0], "busbw");
  EXPECT_EQ(busbw.verdict, Verdict::unknown);
  EXPECT_EQ(busbw.note, "not measured in the candidate");
}

TEST(ChangeInterval, IsOrientedSoThatPositiveIsBetter) {
  const Interval slower = change_interval({1.05, 1.15}, Direction::lower_is_better);
  EXPECT_NEAR(slower.low, -0.15, 1e-12);
  EXPECT_NEAR(slower.high, -0.05, 1e-12);
  const Interval faster = change_interval({1.05, 1.15}, Direction::higher_is_better);
  EXPECT_NEAR(faster.low, 0.05, 1e-12);
  EXPECT_NEAR(faster.high, 0.15, 1e-12);
}

// Two one-case bundles whose time_avg samples are drawn from normal distributions.
std::pair<Bundle, Bundle> drawn_pair(std::mt19937_64& generator, double baseline_mean, double candidate_mean,
                                     double relative_noise, std::size_t repetitions) {
  const auto draw = [&](double mean) {
    std::normal_distribution<double> distribution(mean, mean * relative_noise);
    CaseResult record;
    record.name = "suite/case";
    record.suite = "suite";
    record.status = "ok";
    record.headline = {"time_avg"};
    auto& samples = record.samples["time_avg"];
    for (std::size_t i = 0; i < repetitions; ++i) samples.push_back(distribution(generator));
    record.metrics["time_avg"] = {median(samples), "s", Direction::lower_is_better};
    Bundle bundle;
    bundle.cases.push_back(std::move(record));
    return bundle;
  };
  return {draw(baseline_mean), draw(candidate_mean)};
}

// With no noise floor only the statistics guard against false alarms: a regression needs
// p < alpha in the worse direction, so at most about alpha / 2 of identical pairs.
TEST(CompareStatistics, IdenticalDistributionsRarelyRegress) {
  std::mt19937_64 generator(99);
  CompareSettings settings;
  settings.noise = 0;
  settings.resamples = 500;
  int regressions = 0;
  const int trials = 1000;
  for (int trial = 0; trial < trials; ++trial) {
    const auto [baseline, candidate] = drawn_pair(generator, 1e-5, 1e-5, 0.02, 10);
    regressions += compare_bundles(baseline, candidate, settings).exit_code() == kExitRegression;
  }
  EXPECT_LE(regressions, 0.025 * trials + 15);
}

TEST(CompareStatistics, ATenPercentSlowdownWithTwoPercentNoiseIsDetected) {
  std::mt19937_64 generator(5);
  int regressions = 0;
  const int trials = 200;
  for (int trial = 0; trial < trials; ++trial) {
    const auto [baseline, candidate] = drawn_pair(generator, 1e-5, 1.1e-5, 0.02, 10);
    regressions += compare_bundles(baseline, candidate, {}).exit_code() == kExitRegression;
  }
  EXPECT_GE(regressions, trials * 0.95);
}

}  // namespace
}  // namespace sciperf::reports
