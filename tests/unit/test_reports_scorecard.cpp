#include "reports/scorecard.h"

#include "reports/commands.h"
#include "reports/html.h"
#include "reports/scorecard_render.h"
#include "reports/statistics.h"
#include "reports_support.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <span>
#include <vector>

namespace sciperf::reports {
namespace {

using nlohmann::json;
using testing::contains;
using testing::data_path;
using testing::expect_golden;
using testing::fixture;
using testing::read_file;

// A case with one metric whose samples are `samples` (its value their median).
CaseResult measured(const std::string& name, const std::string& suite, const std::string& metric, Direction direction,
                    std::vector<double> samples) {
  CaseResult record;
  record.name = name;
  record.suite = suite;
  record.status = "ok";
  record.headline = {metric};
  record.metrics[metric] = {median(samples), direction == Direction::lower_is_better ? "s" : "GB/s", direction};
  record.samples[metric] = std::move(samples);
  return record;
}

Bundle system(const std::string& name, std::int64_t nodes, std::vector<CaseResult> cases) {
  Bundle bundle;
  bundle.label = bundle.file = bundle.system = name;
  bundle.platform.node_count = nodes;
  bundle.platform.ranks = nodes;
  bundle.cases = std::move(cases);
  return bundle;
}

// Suite a: a time that halved (ratio 2) and a bandwidth that quadrupled (4); suite b: a
// time that doubled (0.5). Every sample alike, so that every interval is its point.
struct KnownRatios : ::testing::Test {
  Bundle reference = system("ref", 2,
                            {measured("a/1", "a", "time_avg", Direction::lower_is_better, {10, 10, 10}),
                             measured("a/2", "a", "busbw", Direction::higher_is_better, {1, 1, 1}),
                             measured("b/1", "b", "time_avg", Direction::lower_is_better, {3, 3, 3}),
                             measured("b/2", "b", "time_avg", Direction::lower_is_better, {1, 1, 1})});
  std::vector<Bundle> runs{system("new", 4,
                                  {measured("a/1", "a", "time_avg", Direction::lower_is_better, {5, 5, 5}),
                                   measured("a/2", "a", "busbw", Direction::higher_is_better, {4, 4, 4}),
                                   measured("b/1", "b", "time_avg", Direction::lower_is_better, {6, 6, 6})})};
};

TEST(ScorecardMath, GeometricMeanOfKnownValues) {
  EXPECT_DOUBLE_EQ(geometric_mean(std::vector<double>{2, 8}), 4.0);
  EXPECT_DOUBLE_EQ(geometric_mean(std::vector<double>{5}), 5.0);
  EXPECT_NEAR(geometric_mean(std::vector<double>{1, 10, 100}), 10.0, 1e-12);
}

TEST(ScorecardMath, PercentileIntervalOfKnownValues) {
  std::vector<double> values(101);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(100 - i);
  const Interval interval = percentile_interval(values, 0.90);
  EXPECT_DOUBLE_EQ(interval.low, 5.0);
  EXPECT_DOUBLE_EQ(interval.high, 95.0);
}

TEST(ScorecardMath, ResampledMedianOfConstantAndOfTwoValues) {
  Random generator(1);
  ResampledMedian constant(std::vector<double>{7, 7, 7, 7});
  EXPECT_DOUBLE_EQ(constant(generator), 7.0);
  // A resample of {1, 3} is {1,1}, {1,3} or {3,3}: median 1, 2 or 3, each seen.
  ResampledMedian two(std::vector<double>{3, 1});
  std::set<double> seen;
  for (int i = 0; i < 200; ++i) seen.insert(two(generator));
  EXPECT_EQ(seen, (std::set<double>{1, 2, 3}));
}

TEST_F(KnownRatios, SuitesAreGeometricMeansAndOverallTheirs) {
  const Scorecard scorecard = build_scorecard(reference, runs, {});
  ASSERT_EQ(scorecard.systems.size(), 1u);
  const SystemScore& score = scorecard.systems[0];
  EXPECT_EQ(score.matched_cases, 3u);  // b/2 is not in the run
  EXPECT_EQ(scorecard.suites, (std::vector<std::string>{"a", "b"}));
  const auto& suites = score.suites.at(Basis::as_measured);
  EXPECT_NEAR(suites.at("a").value, std::sqrt(8.0), 1e-12);  // ratios 2 and 4
  EXPECT_NEAR(suites.at("b").value, 0.5, 1e-12);
  EXPECT_EQ(suites.at("a").figures, 2u);
  const Score& overall = score.overall.at(Basis::as_measured);
  EXPECT_NEAR(overall.value, std::sqrt(std::sqrt(8.0) * 0.5), 1e-12);  // each suite weighs the same
  EXPECT_EQ(overall.figures, 3u);
  ASSERT_TRUE(overall.interval.has_value());
  EXPECT_NEAR(overall.interval->low, overall.value, 1e-12);
  EXPECT_NEAR(overall.interval->high, overall.value, 1e-12);
}

TEST_F(KnownRatios, PerNodeScalesByTheNodeCountsAndMissingBasesSayWhy) {
  const Scorecard scorecard = build_scorecard(reference, runs, {});
  const SystemScore& score = scorecard.systems[0];
  EXPECT_NEAR(score.overall.at(Basis::per_node).value, score.overall.at(Basis::as_measured).value * 2 / 4, 1e-12);
  EXPECT_FALSE(score.overall.contains(Basis::per_gpu));
  EXPECT_FALSE(score.overall.contains(Basis::per_watt));
  EXPECT_FALSE(score.overall.contains(Basis::per_cost));
  std::string notes;
  for (const std::string& note : score.notes) notes += note + "\n";
  EXPECT_TRUE(contains(notes, "per GPU: no GPUs"));
  EXPECT_TRUE(contains(notes, "per watt: no case has energy counters"));
  EXPECT_TRUE(contains(notes, "per unit cost: no price"));
}

TEST_F(KnownRatios, NoisySamplesGiveAnIntervalAroundThePointThatRepeats) {
  reference.cases[0].samples["time_avg"] = {9.5, 10, 10.5, 10.2, 9.8};
  runs[0].cases[0].samples["time_avg"] = {4.8, 5, 5.2, 5.1, 4.9};
  const Scorecard first = build_scorecard(reference, runs, {});
  const Score& a = first.systems[0].suites.at(Basis::as_measured).at("a");
  ASSERT_TRUE(a.interval.has_value());
  EXPECT_LT(a.interval->low, a.value);
  EXPECT_GT(a.interval->high, a.value);
  EXPECT_LT(a.interval->high - a.interval->low, 0.5);
  const Scorecard again = build_scorecard(reference, runs, {});
  EXPECT_EQ(again.systems[0].suites.at(Basis::as_measured).at("a").interval->low, a.interval->low);
  ScorecardSettings wider;
  wider.confidence = 0.99;
  const Scorecard widened = build_scorecard(reference, runs, wider);
  const Score& wide = widened.systems[0].suites.at(Basis::as_measured).at("a");
  EXPECT_LE(wide.interval->low, a.interval->low);
  EXPECT_GE(wide.interval->high, a.interval->high);
}

TEST_F(KnownRatios, PricesFromTheOptionOverTheConfig) {
  reference.config = {{"system", {{"price", "1000"}}}};
  runs[0].config = {{"system", {{"price", 500}}}};
  EXPECT_EQ(price_of(reference, {}), 1000.0);
  EXPECT_EQ(price_of(runs[0], {{"new", 4000}}), 4000.0);
  const SystemScore score = build_scorecard(reference, runs, {}).systems[0];
  EXPECT_NEAR(score.overall.at(Basis::per_cost).value, score.overall.at(Basis::as_measured).value * 2, 1e-12);
  runs[0].config = {{"system", {{"price", "free"}}}};
  EXPECT_FALSE(price_of(runs[0], {}).has_value());
}

TEST(ScorecardEnergy, PackagesAndDramCountCoresAreInTheirPackage) {
  CaseResult record;
  EXPECT_FALSE(case_energy(record).has_value());
  record.energy = {{"host.energy.package-0", 100},     {"host.energy.package-0.core", 60},
                   {"host.energy.package-0.dram", 20}, {"host.energy.package-1", 90},
                   {"host.energy.package-1.uncore", 5}, {"gpu.energy.0", 300}};
  EXPECT_DOUBLE_EQ(*case_energy(record), 100 + 20 + 90 + 300);
}

TEST(ScorecardFixtures, PerGpuPerWattAndPerCostOfTwoSystems) {
  const Bundle reference = fixture("scorecard-x");
  const std::vector<Bundle> runs{fixture("scorecard-y")};
  ScorecardSettings settings;
  settings.prices = {{"sys-y", 200000}};
  const Scorecard scorecard = build_scorecard(reference, runs, settings);
  const SystemScore& y = scorecard.systems[0];
  EXPECT_EQ(y.matched_cases, 3u);  // the 64MiB case failed in the reference
  // Times halved, bandwidths doubled at 1MiB; 1.25x at 16MiB; training 1.6x the samples/s.
  const double collectives = std::sqrt(2.0 * 1.25), overall = std::sqrt(collectives * 1.6);
  EXPECT_NEAR(y.suites.at(Basis::as_measured).at("collectives").value, collectives, 1e-9);
  EXPECT_NEAR(y.overall.at(Basis::as_measured).value, overall, 1e-9);
  EXPECT_NEAR(y.overall.at(Basis::per_node).value, overall * 2, 1e-9);   // 2 nodes against 1
  EXPECT_NEAR(y.overall.at(Basis::per_gpu).value, overall / 2, 1e-9);    // 4 GPUs against 8
  EXPECT_NEAR(y.overall.at(Basis::per_watt).value, overall / 2, 1e-9);   // 400 W against 800 W
  EXPECT_NEAR(y.overall.at(Basis::per_cost).value, overall / 2, 1e-9);   // 100000 against 200000
  for (Basis basis : kBases) {
    const Score& score = y.overall.at(basis);
    ASSERT_TRUE(score.interval.has_value()) << to_string(basis);
    EXPECT_LT(score.interval->low, score.value);
    EXPECT_GT(score.interval->high, score.value);
  }
}

class ScorecardGolden : public ::testing::Test {
 protected:
  void SetUp() override {
    bundles = {fixture("scorecard-x"), fixture("scorecard-y"), fixture("baseline")};
    settings.prices = {{"sys-y", 200000}};
    scorecard = build_scorecard(bundles[0], std::span(bundles).subspan(1), settings);
  }
  std::vector<Bundle> bundles;  // the reference, then the runs
  ScorecardSettings settings;
  Scorecard scorecard;
};

TEST_F(ScorecardGolden, Table) { expect_golden(render_scorecard(scorecard, ScorecardFormat::table), "scorecard.txt"); }
TEST_F(ScorecardGolden, Markdown) { expect_golden(render_scorecard(scorecard, ScorecardFormat::markdown), "scorecard.md"); }
TEST_F(ScorecardGolden, Json) { expect_golden(render_scorecard(scorecard, ScorecardFormat::json), "scorecard.json"); }

TEST_F(ScorecardGolden, AnHtmlSectionAfterTheRunsWithEveryNameEscaped) {
  bundles[1].system = "<script>alert(1)</script>";
  const std::string page = render_html(bundles, scorecard_html(build_scorecard(bundles[0], std::span(bundles).subspan(1), settings)));
  const auto section = page.find("<section id=\"scorecard\">");
  ASSERT_NE(section, std::string::npos);
  EXPECT_LT(page.find("<h2>Runs</h2>"), section);
  EXPECT_TRUE(contains(page, "<th scope=\"col\">training</th>"));
  EXPECT_TRUE(contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_FALSE(contains(page, "<script>"));
}

std::optional<int> run_command_line(std::vector<std::string> args) {
  return testing::run_commands<ReportCommands>(std::move(args));
}

TEST(ScorecardCommand, EveryFormatAndPricesFromTheCommandLine) {
  sciperf::testing::TempDir dir;
  const std::string output = (dir.path() / "scorecard.json").string();
  EXPECT_EQ(run_command_line({"report", "--scorecard", data_path("scorecard-x"), data_path("scorecard-y"), "--price",
                              "sys-y=200000", "--format", "json", "-o", output}),
            0);
  const json document = json::parse(read_file(output));
  EXPECT_EQ(document["reference"]["system"], "sys-x");
  EXPECT_FALSE(document["systems"][0]["scores"]["per_cost"]["overall"].is_null());
  const std::string page = (dir.path() / "report.html").string();
  EXPECT_EQ(run_command_line({"report", "--scorecard", data_path("scorecard-x"), data_path("scorecard-y"), "--format", "html",
                              "-o", page}),
            0);
  EXPECT_TRUE(contains(read_file(page), "<section id=\"scorecard\">"));
  EXPECT_TRUE(contains(read_file(page), "<section id=\"suite-1\">"));  // the report itself is there too
}

TEST(ScorecardCommand, BadInputIsRefusedWithExitTwo) {
  sciperf::testing::TempDir dir;
  const std::string output = (dir.path() / "out").string();
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run_command_line({"report", "--scorecard", data_path("scorecard-x"), data_path("scorecard-y"), "--price",
                              "sys-y=lots", "-o", output}),
            kExitReportIncomplete);
  EXPECT_EQ(run_command_line({"report", "--scorecard", data_path("scorecard-x"), data_path("scorecard-y"), "--format", "csv",
                              "-o", output}),
            kExitReportIncomplete);
  EXPECT_EQ(run_command_line({"report", "--scorecard", data_path("truncated.json"), data_path("scorecard-y"), "-o", output}),
            kExitReportIncomplete);
  // A run that cannot be read is named; the others are scored.
  EXPECT_EQ(run_command_line({"report", "--scorecard", data_path("scorecard-x"), data_path("scorecard-y"),
                              data_path("newer.json"), "-o", output}),
            kExitReportIncomplete);
  const std::string errors = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(contains(errors, "--price sys-y=lots: expected SYSTEM=AMOUNT with a positive amount"));
  EXPECT_TRUE(contains(errors, "--scorecard: no csv layout"));
  EXPECT_TRUE(contains(errors, "truncated.json: not valid JSON"));
  EXPECT_TRUE(contains(errors, "newer.json: sciperf.schema_version"));
  EXPECT_TRUE(contains(read_file(output), "sys-y"));
}

}  // namespace
}  // namespace sciperf::reports
