#include "reports/compare_config.h"

#include "harness/config.h"
#include "reports/commands.h"
#include "reports_support.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>

namespace sciperf::reports {
namespace {

using nlohmann::json;
using testing::contains;
using testing::data_path;
using testing::fixture;
using testing::fixture_document;
using testing::read_file;

class CompareConfigFiles : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (dir_.path() / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::string error_of(const std::string& text) {
    try {
      load_compare_config(write("thresholds.yaml", text));
    } catch (const CompareConfigError& error) {
      return error.what();
    }
    return "";
  }
  sciperf::testing::TempDir dir_;
};

const Threshold* find_threshold(const std::vector<Threshold>& thresholds, const std::string& suite, const std::string& metric) {
  for (const Threshold& t : thresholds)
    if (t.suite == suite && t.metric == metric) return &t;
  return nullptr;
}

TEST_F(CompareConfigFiles, TheCompareSectionOfARunConfig) {
  const CompareConfig config = load_compare_config(write("run.yaml", R"(
name: nightly
system: {nodes: 1}
compare: {threshold: 5%, noise_floor: {relative: 1%, absolute: 1us}, suites: {collectives: {metrics: {busbw: {threshold: 3%}}}}}
)"));
  EXPECT_DOUBLE_EQ(*config.threshold, 0.05);
  EXPECT_DOUBLE_EQ(*config.noise_floor, 0.01);
  ASSERT_EQ(config.absolute_floors.size(), 1u);
  EXPECT_EQ(config.absolute_floors[0].unit, "s");
  EXPECT_DOUBLE_EQ(config.absolute_floors[0].value, 1e-6);
  ASSERT_NE(find_threshold(config.thresholds, "collectives", "busbw"), nullptr);
  EXPECT_DOUBLE_EQ(find_threshold(config.thresholds, "collectives", "busbw")->relative, 0.03);
  EXPECT_FALSE(config.alpha.has_value());
}

TEST_F(CompareConfigFiles, TheSectionAloneWithEveryKey) {
  const CompareConfig config = load_compare_config(write("thresholds.yaml", R"(
alpha: 0.01
threshold: 4%
noise_floor:
  relative: 0.5%
  absolute: [50ns, 0.1 GB/s]
metrics:
  time_avg: {threshold: 2%}
suites:
  training:
    threshold: 8%
    metrics:
      samples_per_s: {threshold: 6%}
)"));
  EXPECT_DOUBLE_EQ(*config.alpha, 0.01);
  EXPECT_DOUBLE_EQ(*config.threshold, 0.04);
  EXPECT_DOUBLE_EQ(*config.noise_floor, 0.005);
  ASSERT_EQ(config.absolute_floors.size(), 2u);
  EXPECT_EQ(config.absolute_floors[1].unit, "GB/s");
  EXPECT_DOUBLE_EQ(find_threshold(config.thresholds, "*", "time_avg")->relative, 0.02);
  EXPECT_DOUBLE_EQ(find_threshold(config.thresholds, "training", "*")->relative, 0.08);
  EXPECT_DOUBLE_EQ(find_threshold(config.thresholds, "training", "samples_per_s")->relative, 0.06);
}

TEST_F(CompareConfigFiles, BadKeysAndValuesNameTheFileLineAndKey) {
  const std::string file = (dir_.path() / "thresholds.yaml").string();
  EXPECT_EQ(error_of("compare:\n  suites:\n    collectives:\n      metrics:\n        busbw: {treshold: 3%}\n"),
            file + ":5:17: compare.suites.collectives.metrics.busbw.treshold: unknown key (expected one of: threshold)");
  EXPECT_EQ(error_of("compare:\n  threshold: 3\n"),
            file + ":2:14: compare.threshold: expected a percentage such as 5%, got \"3\"");
  EXPECT_EQ(error_of("compare:\n  tolerance: 3%\n"),
            file + ":2:3: compare.tolerance: unknown key (expected one of: alpha, threshold, noise_floor, metrics, suites)");
  EXPECT_TRUE(contains(error_of("alpha: 2\n"), file + ":1:8: alpha: expected a probability between 0 and 1, got \"2\""));
  EXPECT_TRUE(contains(error_of("noise_floor: {absolute: [1us, 7]}\n"),
                       "noise_floor.absolute[1]: expected a value with the unit of the metrics it is for"));
  EXPECT_TRUE(contains(error_of("suites: [collectives]\n"), "suites: expected a mapping"));
  EXPECT_TRUE(contains(error_of("threshold: [5%]\n"), "threshold: expected a percentage such as 5%"));
  EXPECT_TRUE(contains(error_of("compare: {threshold: 5%\n"), file + ":2:1: not valid YAML"));
  EXPECT_EQ(error_of("name: nightly\nsuites: []\n"), file + ": a run config without a compare: section; nothing to compare with");
  try {
    load_compare_config((dir_.path() / "absent.yaml").string());
    FAIL();
  } catch (const CompareConfigError& error) {
    EXPECT_TRUE(contains(error.what(), "absent.yaml: cannot read"));
  }
}

TEST(CompareConfigBundle, TheBaselineBundleEmbedsItsRunConfigsSection) {
  Bundle bundle = fixture("baseline");
  EXPECT_FALSE(bundle_compare_config(bundle).has_value());
  bundle.config["compare"] = {{"threshold", "15%"}, {"suites", {{"collectives", {{"metrics", {{"busbw", {{"threshold", "2%"}}}}}}}}}};
  const auto config = bundle_compare_config(bundle);
  ASSERT_TRUE(config.has_value());
  EXPECT_DOUBLE_EQ(*config->threshold, 0.15);
  EXPECT_DOUBLE_EQ(find_threshold(config->thresholds, "collectives", "busbw")->relative, 0.02);
  EXPECT_TRUE(contains(config->source, "(sciperf.config.compare)"));

  bundle.config["compare"] = {{"threshold", 15}};
  try {
    bundle_compare_config(bundle);
    FAIL();
  } catch (const CompareConfigError& error) {
    EXPECT_EQ(std::string(error.what()), bundle.file + ": sciperf.config.compare.threshold: expected a percentage such as 5%, got \"15\"");
  }
}

TEST(CompareConfigLayers, TheCommandLineOverTheConfigOverTheDefaults) {
  CompareConfig config;
  config.threshold = 0.05;
  config.noise_floor = 0.01;
  config.absolute_floors = {{"s", 1e-6}, {"GB/s", 0.1}};
  config.thresholds = {{"collectives", "busbw", 0.03}, {"collectives", "*", 0.08}};
  config.source = "nightly.yaml";

  CompareSettings settings = compare_settings(CompareOptions{}, config);
  EXPECT_DOUBLE_EQ(settings.alpha, 0.05);  // the default: the config does not say
  EXPECT_DOUBLE_EQ(settings.noise, 0.05);
  EXPECT_DOUBLE_EQ(settings.noise_floor, 0.01);
  EXPECT_EQ(settings.sources, std::vector<std::string>{"nightly.yaml"});

  CompareOptions options;
  options.noise = "4%";
  options.alpha = 0.1;
  options.noise_abs = {"2us"};
  options.thresholds = {"collectives.busbw=10%"};
  settings = compare_settings(options, config);
  EXPECT_DOUBLE_EQ(settings.noise, 0.04);
  EXPECT_DOUBLE_EQ(settings.alpha, 0.1);
  ASSERT_EQ(settings.absolute_floors.size(), 2u);  // the command line's time floor replaced the config's
  EXPECT_EQ(settings.absolute_floors[0].unit, "GB/s");
  EXPECT_DOUBLE_EQ(settings.absolute_floors[1].value, 2e-6);
  ASSERT_EQ(settings.thresholds.size(), 2u);
  EXPECT_DOUBLE_EQ(find_threshold(settings.thresholds, "collectives", "busbw")->relative, 0.10);
  EXPECT_DOUBLE_EQ(find_threshold(settings.thresholds, "collectives", "*")->relative, 0.08);
}

// A run config's compare: section goes through the harness into the bundle untouched, and
// compare reads it from there.
TEST(CompareConfigBundle, PassedThroughTheHarnessFromTheRunConfig) {
  const Config run = parse_config(R"(
name: nightly
compare:
  threshold: 7%
  noise_floor: {absolute: [1us]}
  suites: {selftest: {threshold: 20%}}
suites:
  - suite: selftest
    params: {action: empty}
)",
                                  "nightly.yaml", sciperf::testing::builtin_registry());
  Bundle bundle = fixture("baseline");
  bundle.config = run.resolved;
  const auto config = bundle_compare_config(bundle);
  ASSERT_TRUE(config.has_value());
  EXPECT_DOUBLE_EQ(*config->threshold, 0.07);
  EXPECT_DOUBLE_EQ(config->absolute_floors.at(0).value, 1e-6);
  EXPECT_DOUBLE_EQ(find_threshold(config->thresholds, "selftest", "*")->relative, 0.20);
  // Without one the resolved config has no compare key, as before.
  const Config plain = parse_config("name: plain\nsuites:\n  - suite: selftest\n", "plain.yaml", sciperf::testing::builtin_registry());
  EXPECT_FALSE(plain.resolved.contains("compare"));
}

class CompareWithConfig : public CompareConfigFiles {
 protected:
  // The baseline fixture with `compare` as its config's compare section, written to a bundle directory.
  std::string baseline_with(const json& compare) {
    json document = fixture_document("baseline");
    if (!compare.is_null()) document["sciperf"]["config"]["compare"] = compare;
    std::filesystem::create_directories(dir_.path() / "baseline");
    std::ofstream((dir_.path() / "baseline" / "results.json").string()) << document.dump();
    return (dir_.path() / "baseline").string();
  }
  json compare(CompareOptions options, int expected_exit) {
    options.candidate = data_path("candidate");
    options.format = "json";
    options.output_file = (dir_.path() / "compare.json").string();
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(compare_command(options), expected_exit);
    errors_ = ::testing::internal::GetCapturedStderr();
    return expected_exit == kExitCouldNotCompare ? json() : json::parse(read_file(options.output_file));
  }
  std::string errors_;
};

TEST_F(CompareWithConfig, TheBaselinesThresholdsDecideAndTheCommandLineWins) {
  CompareOptions options;
  options.baseline = baseline_with(nullptr);
  EXPECT_EQ(compare(options, kExitRegression)["summary"]["regression"], 3);

  // 15% for collectives: the ring 1KiB slowdown (11.7%) is within it; the failed case is still a regression.
  options.baseline = baseline_with({{"suites", {{"collectives", {{"threshold", "15%"}}}}}});
  json result = compare(options, kExitRegression);
  EXPECT_EQ(result["summary"]["regression"], 1);
  EXPECT_TRUE(contains(result["settings"]["sources"][0].get<std::string>(), "sciperf.config.compare"));

  options.thresholds = {"collectives=5%"};
  EXPECT_EQ(compare(options, kExitRegression)["summary"]["regression"], 3);

  // A file replaces the bundle's section.
  options.thresholds.clear();
  options.thresholds_file = write("loose.yaml", "threshold: 50%\n");
  result = compare(options, kExitRegression);
  EXPECT_EQ(result["summary"]["regression"], 1);
  EXPECT_EQ(result["settings"]["noise"], 0.5);
}

TEST_F(CompareWithConfig, ABadSectionOrFileExitsTwoNamingIt) {
  CompareOptions options;
  options.baseline = baseline_with({{"threshold", "lots"}});
  compare(options, kExitCouldNotCompare);
  EXPECT_TRUE(contains(errors_, "results.json: sciperf.config.compare.threshold: expected a percentage such as 5%, got \"lots\""));

  options.baseline = baseline_with(nullptr);
  options.thresholds_file = write("bad.yaml", "suites: {collectives: {threshold: 5%, noise: 1%}}\n");
  compare(options, kExitCouldNotCompare);
  EXPECT_TRUE(contains(errors_, "bad.yaml:1:39: suites.collectives.noise: unknown key (expected one of: threshold, metrics)"));
}

}  // namespace
}  // namespace sciperf::reports
