#include "reports/commands.h"

#include "reports_support.h"
#include "test_support.h"

#include <CLI/CLI.hpp>
#include <gtest/gtest.h>

#include <stdexcept>

namespace sciperf::reports {
namespace {

using nlohmann::json;
using testing::contains;
using testing::data_path;
using testing::read_file;

std::string settings_error(const CompareOptions& options) {
  try {
    compare_settings(options);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

std::optional<int> run_command_line(std::vector<std::string> args) { return testing::run_commands<ReportCommands>(std::move(args)); }

TEST(CompareOptions, PercentagesThresholdsAndFloors) {
  CompareOptions options;
  options.noise = "2.5%";
  options.thresholds = {"collectives.busbw=10%", "selftest=20%", "*.time_avg=3%"};
  options.noise_abs = {"50ns", "0.1 GB/s", "2ms"};
  const CompareSettings settings = compare_settings(options);
  EXPECT_DOUBLE_EQ(settings.noise, 0.025);
  ASSERT_EQ(settings.thresholds.size(), 3u);
  EXPECT_EQ(settings.thresholds[0].suite, "collectives");
  EXPECT_EQ(settings.thresholds[0].metric, "busbw");
  EXPECT_DOUBLE_EQ(settings.thresholds[0].relative, 0.10);
  EXPECT_EQ(settings.thresholds[1].metric, "*");
  EXPECT_EQ(settings.thresholds[2].suite, "*");
  ASSERT_EQ(settings.absolute_floors.size(), 3u);
  EXPECT_EQ(settings.absolute_floors[0].unit, "s");
  EXPECT_DOUBLE_EQ(settings.absolute_floors[0].value, 5e-8);
  EXPECT_EQ(settings.absolute_floors[1].unit, "GB/s");
  EXPECT_DOUBLE_EQ(settings.absolute_floors[1].value, 0.1);
  EXPECT_DOUBLE_EQ(settings.absolute_floors[2].value, 2e-3);
}

TEST(CompareOptions, MalformedOptionsAreNamed) {
  CompareOptions options;
  options.noise = "5";
  EXPECT_EQ(settings_error(options), "--noise 5: expected a percentage such as 5%");
  options = {};
  options.thresholds = {"collectives.busbw"};
  EXPECT_EQ(settings_error(options), "--threshold collectives.busbw: expected SUITE.METRIC=P% or SUITE=P%");
  options.thresholds = {".busbw=5%"};
  EXPECT_TRUE(contains(settings_error(options), "--threshold .busbw=5%: expected"));
  options.thresholds = {"collectives=ten%"};
  EXPECT_EQ(settings_error(options), "--threshold collectives=ten%: expected a percentage such as 5%");
  options = {};
  options.noise_abs = {"0.1"};
  EXPECT_TRUE(contains(settings_error(options), "--noise-abs 0.1: expected a value with the unit"));
  options = {};
  options.alpha = 1.5;
  EXPECT_EQ(settings_error(options), "--alpha 1.5: expected a probability between 0 and 1");
}

TEST(CompareCommand, ExitCodeOneOnARegressionAndWritesEveryOutput) {
  sciperf::testing::TempDir dir;
  const std::string output = (dir.path() / "compare.json").string();
  const std::string junit = (dir.path() / "junit.xml").string();
  EXPECT_EQ(run_command_line({"compare", data_path("baseline"), data_path("candidate"), "--format", "json", "-o", output,
                              "--junit", junit}),
            kExitRegression);
  EXPECT_EQ(json::parse(read_file(output))["summary"]["regression"], 3);
  EXPECT_TRUE(contains(read_file(junit), "<testsuites name=\"sciperf compare\""));
}

TEST(CompareCommand, OptionsReachTheComparison) {
  sciperf::testing::TempDir dir;
  const std::string output = (dir.path() / "compare.json").string();
  // Each option given once per value; the positional bundles are not taken as metric names.
  EXPECT_EQ(run_command_line({"compare", "--metric", "time_avg", "--metric", "algbw", data_path("baseline"),
                              data_path("candidate"), "--threshold", "collectives=50%", "--noise", "1%", "--format",
                              "json", "-o", output}),
            kExitRegression);  // broadcast failed in the candidate
  const json document = json::parse(read_file(output));
  EXPECT_EQ(document["settings"]["metrics"], json({"time_avg", "algbw"}));
  EXPECT_EQ(document["settings"]["noise"], 0.01);
  EXPECT_EQ(document["settings"]["thresholds"][0]["relative"], 0.5);
  EXPECT_EQ(document["summary"]["regression"], 1);
}

TEST(CompareCommand, ABundleWithItselfExitsZero) {
  sciperf::testing::TempDir dir;
  EXPECT_EQ(run_command_line({"compare", data_path("baseline"), data_path("baseline"), "-o",
                              (dir.path() / "out.txt").string()}),
            kExitNoRegression);
}

TEST(CompareCommand, AnUnreadableBundleExitsTwo) {
  CompareOptions options;
  options.baseline = data_path("baseline");
  options.candidate = data_path("truncated.json");
  EXPECT_EQ(compare_command(options), kExitCouldNotCompare);
  options.candidate = data_path("newer.json");
  EXPECT_EQ(compare_command(options), kExitCouldNotCompare);
}

TEST(CompareCommand, MalformedOptionExitsTwo) {
  CompareOptions options;
  options.baseline = data_path("baseline");
  options.candidate = data_path("candidate");
  options.noise = "lots";
  EXPECT_EQ(compare_command(options), kExitCouldNotCompare);
}

TEST(ReportCommand, RendersTheReadableBundlesAndExitsTwoForTheOthers) {
  sciperf::testing::TempDir dir;
  const std::string output = (dir.path() / "report.csv").string();
  EXPECT_EQ(run_command_line({"report", data_path("baseline"), data_path("truncated.json"), "--format", "csv", "-o",
                              output}),
            kExitReportIncomplete);
  const std::string csv = read_file(output);
  EXPECT_TRUE(contains(csv, data_path("baseline") + ",node-a,"));
  EXPECT_FALSE(contains(csv, "truncated"));
  EXPECT_EQ(run_command_line({"report", data_path("baseline"), data_path("candidate"), "-o", output}), 0);
}

TEST(ReportCommand, UnwritableOutputExitsTwo) {
  ReportOptions options;
  options.bundles = {data_path("baseline")};
  options.output_file = "/nonexistent-directory/report.txt";
  EXPECT_EQ(report_command(options), kExitReportIncomplete);
}

TEST(ReportCommands, OtherCommandsAreNotTheirs) {
  CLI::App app;
  const ReportCommands commands(app);
  app.add_subcommand("list");
  const char* argv[] = {"sciperf", "list"};
  app.parse(2, const_cast<char**>(argv));
  EXPECT_EQ(commands.run(), std::nullopt);
}

}  // namespace
}  // namespace sciperf::reports
