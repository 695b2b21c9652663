#include "reports/bundle_reader.h"

#include "reports_support.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace sciperf::reports {
namespace {

using nlohmann::json;
using testing::contains;
using testing::data_path;
using testing::fixture_document;

// The message of the BundleError that reading `document` throws, or "" when it reads.
std::string read_error(const json& document) {
  try {
    read_bundle(document, "bundle.json");
  } catch (const BundleError& error) {
    return error.what();
  }
  return "";
}

std::string load_error(const std::string& path) {
  try {
    load_bundle(path);
  } catch (const BundleError& error) {
    return error.what();
  }
  return "";
}

TEST(BundleReader, ReadsRunSystemAndCases) {
  const Bundle bundle = load_bundle(data_path("baseline"));
  EXPECT_EQ(bundle.file, data_path("baseline") + "/results.json");
  EXPECT_EQ(bundle.label, data_path("baseline"));
  EXPECT_EQ(bundle.run.status, "complete");
  EXPECT_EQ(bundle.run.started, "2026-11-20T10:00:00Z");
  EXPECT_EQ(bundle.run.config_name, "reports-fixture");
  EXPECT_EQ(bundle.run.git_revision, "0123456");
  EXPECT_EQ(bundle.system, "node-a");  // system.name is empty: the first node's host name
  ASSERT_EQ(bundle.cases.size(), 9u);

  const CaseResult& first = bundle.cases.front();
  EXPECT_EQ(first.index, 0u);
  EXPECT_EQ(first.field(), "sciperf.cases[0]");
  EXPECT_EQ(first.suite, "collectives");
  EXPECT_EQ(first.status, "ok");
  EXPECT_EQ(first.params.at("bytes"), 1024);
  EXPECT_EQ(first.params.at("algorithm"), "ring");
  EXPECT_EQ(first.param_kinds.at("bytes"), "size");
  EXPECT_EQ(first.headline, (std::vector<std::string>{"time_avg", "busbw"}));
  const Metric& busbw = first.metrics.at("busbw");
  EXPECT_EQ(busbw.unit, "GB/s");
  EXPECT_EQ(busbw.direction, Direction::higher_is_better);
  ASSERT_TRUE(busbw.value.has_value());
  EXPECT_EQ(first.samples.at("time_avg").size(), 10u);

  const CaseResult& skipped = bundle.cases[6];
  EXPECT_EQ(skipped.status, "skipped");
  EXPECT_EQ(skipped.reason, "8 B holds fewer float32 elements than the 2 ranks need");
  EXPECT_TRUE(skipped.metrics.empty());
}

TEST(BundleReader, SystemNameFromTheConfigComesFirst) {
  json document = fixture_document("baseline");
  document["sciperf"]["config"]["system"]["name"] = "cluster-x";
  EXPECT_EQ(read_bundle(document, "bundle.json").system, "cluster-x");
}

TEST(BundleReader, NullValuesAndSamplesAreMissingNumbers) {
  json document = fixture_document("baseline");
  auto& record = document["sciperf"]["cases"][0];
  record["metrics"]["busbw"]["value"] = nullptr;
  record["samples"]["busbw"][3] = nullptr;
  const Bundle bundle = read_bundle(document, "bundle.json");
  EXPECT_FALSE(bundle.cases[0].metrics.at("busbw").value.has_value());
  EXPECT_EQ(bundle.cases[0].samples.at("busbw").size(), 9u);
}

TEST(BundleReader, TruncatedFileNamesTheFileAndSaysWhy) {
  const std::string error = load_error(data_path("truncated.json"));
  EXPECT_TRUE(contains(error, data_path("truncated.json") + ": not valid JSON (truncated or corrupt?)"));
  EXPECT_TRUE(contains(error, "parse error at line 33, column 17"));
  EXPECT_FALSE(contains(error, "json.exception"));
}

TEST(BundleReader, NewerSchemaVersionIsRefusedBeforeAnythingElse) {
  const std::string error = load_error(data_path("newer.json"));
  EXPECT_TRUE(contains(error, data_path("newer.json") + ": sciperf.schema_version: 2: written by a newer sciperf"));
}

TEST(BundleReader, GoogleBenchmarkJsonIsNotABundle) {
  EXPECT_TRUE(contains(load_error(data_path("google-benchmark.json")),
                       "google-benchmark.json: sciperf: missing: this is not a sciperf result bundle"));
}

TEST(BundleReader, MissingFileAndDirectoryWithoutResults) {
  EXPECT_TRUE(contains(load_error(data_path("nonexistent.json")), "nonexistent.json: cannot read: No such file"));
  EXPECT_TRUE(contains(load_error(data_path("golden")), "golden: no results.json in this directory"));
}

TEST(BundleReader, WrongTypesNameTheField) {
  json document = fixture_document("baseline");
  document["sciperf"]["cases"][2]["metrics"]["busbw"]["unit"] = 7;
  EXPECT_EQ(read_error(document), "bundle.json: sciperf.cases[2].metrics.busbw.unit: expected a string, got number");

  document = fixture_document("baseline");
  document["sciperf"]["cases"][1]["status"] = "great";
  EXPECT_TRUE(contains(read_error(document), "bundle.json: sciperf.cases[1].status: \"great\": expected ok, failed"));

  document = fixture_document("baseline");
  document["sciperf"]["cases"][0].erase("metrics");
  EXPECT_EQ(read_error(document), "bundle.json: sciperf.cases[0].metrics: missing");

  document = fixture_document("baseline");
  document["sciperf"]["cases"][0]["samples"]["time_avg"][1] = "fast";
  EXPECT_EQ(read_error(document),
            "bundle.json: sciperf.cases[0].samples.time_avg[1]: expected a number or null, got string");

  document = fixture_document("baseline");
  document["sciperf"]["cases"][0]["metrics"]["time_avg"]["direction"] = "sideways";
  EXPECT_TRUE(contains(read_error(document), "sciperf.cases[0].metrics.time_avg.direction: \"sideways\""));

  EXPECT_EQ(read_error(json::array()), "bundle.json: (top level): expected a JSON object, got array");
}

TEST(BundleReader, DuplicateCaseNamesAreRefused) {
  json document = fixture_document("baseline");
  document["sciperf"]["cases"][3]["name"] = document["sciperf"]["cases"][1]["name"];
  EXPECT_TRUE(contains(read_error(document), "bundle.json: sciperf.cases[3].name: "));
  EXPECT_TRUE(contains(read_error(document), "is also the name of sciperf.cases[1]"));
}

TEST(BundleReader, TimingEnergyCountersShapeAndConfigAreKept) {
  const Bundle bundle = load_bundle(data_path("scorecard-x"));
  const CaseResult& first = bundle.cases.front();
  EXPECT_EQ(first.iterations, 100);
  EXPECT_EQ(first.repetitions, 5);
  EXPECT_EQ(first.energy.size(), 3u);  // the network counter is not in joules
  EXPECT_DOUBLE_EQ(first.energy.at("host.energy.package-0.dram"), 400.0 * 100 * 5 * 100e-6 * 0.2);
  EXPECT_EQ(bundle.platform.node_count, 2);
  EXPECT_EQ(bundle.platform.devices_per_rank, 1);
  EXPECT_EQ(bundle.config["system"]["price"], "100000");
}

TEST(BundleReader, ANewerSchemaVersionIsSaidBeforeACaseItCannotRead) {
  // The cases come before schema_version in the file (keys are sorted), and are read as they come.
  json document = fixture_document("baseline");
  document["sciperf"]["schema_version"] = 2;
  document["sciperf"]["cases"][0]["metrics"] = "in a new shape";
  EXPECT_TRUE(contains(read_error(document), "bundle.json: sciperf.schema_version: 2: written by a newer sciperf"));
}

TEST(BundleReader, NotJsonIsSaidBeforeABadCase) {
  json document = fixture_document("baseline");
  document["sciperf"]["cases"][0]["status"] = "great";
  sciperf::testing::TempDir dir;
  const std::string text = document.dump();
  std::ofstream(dir.path() / "results.json") << text.substr(0, text.size() - 40);
  EXPECT_TRUE(contains(load_error(dir.path().string()), "not valid JSON (truncated or corrupt?): parse error at line 1"));
}

TEST(BundleReader, MembersNoReportReadsAreOnlyCheckedAsJson) {
  json document = fixture_document("baseline");
  auto& record = document["sciperf"]["cases"][0];
  record["validation"] = {{"anything", json::array({1, "x", nullptr})}};
  record["output_tail"] = 5;
  record["counters"] = {{"net.eth0.rx_bytes", {{"unit", "bytes"}, {"sum", "not a number"}, {"per_rank", {1, nullptr}}}}};
  record["a_future_member"] = {{"nested", {1, 2, 3}}};
  const Bundle bundle = read_bundle(document, "bundle.json");
  EXPECT_TRUE(bundle.cases[0].energy.empty());
  record["counters"] = {{"host.energy.package-0", {{"unit", "J"}, {"sum", "lots"}}}};
  EXPECT_EQ(read_error(document),
            "bundle.json: sciperf.cases[0].counters.host.energy.package-0.sum: expected a number or null, got string");
}

TEST(BundleReader, DetailsTheChartsReadAreKeptAndChecked) {
  json document = fixture_document("baseline");
  auto& record = document["sciperf"]["cases"][0];
  record["details"] = {{"loss_curve", {{25, 1.5, 1.25, 0.5}, {50, 0.75, nullptr, 0.75, "a newer column"}}},
                       {"model", {{"layers", 3}}},
                       {"roofline_ceiling", {{"kind", "compute"}, {"precision", "bf16"}, {"value", 536}}}};
  const Bundle bundle = read_bundle(document, "bundle.json");
  const CaseResult& first = bundle.cases[0];
  ASSERT_EQ(first.loss_curve.size(), 2u);
  EXPECT_EQ(first.loss_curve[1].step, 50);
  EXPECT_EQ(first.loss_curve[0].eval_loss, 1.25);
  EXPECT_EQ(first.loss_curve[1].quality, 0.75);
  EXPECT_TRUE(std::isnan(first.loss_curve[1].eval_loss)) << "null: no value";
  ASSERT_TRUE(first.roofline_ceiling.has_value());
  EXPECT_EQ(first.roofline_ceiling->kind, RooflineCeiling::Kind::compute);
  EXPECT_EQ(first.roofline_ceiling->precision, "bf16");
  EXPECT_EQ(first.roofline_ceiling->value, 536);
  EXPECT_TRUE(bundle.cases[1].loss_curve.empty());
  EXPECT_FALSE(bundle.cases[1].roofline_ceiling.has_value());

  record["details"]["loss_curve"][1] = {50, 0.75};
  EXPECT_EQ(read_error(document), "bundle.json: sciperf.cases[0].details.loss_curve[1]: expected [step, training loss, "
                                  "held-out loss, quality], got 2 values");
  record["details"]["loss_curve"] = {{25, 1.5, 1.25, 0.5}};
  record["details"]["roofline_ceiling"]["kind"] = "cache";
  EXPECT_EQ(read_error(document),
            "bundle.json: sciperf.cases[0].details.roofline_ceiling.kind: \"cache\": expected compute or memory");
  record["details"]["roofline_ceiling"] = {{"kind", "memory"}, {"value", 0}};
  EXPECT_EQ(read_error(document), "bundle.json: sciperf.cases[0].details.roofline_ceiling.value: expected a positive number");
}

TEST(BundleReader, MinusZeroIsZero) {
  json document = fixture_document("baseline");
  document["sciperf"]["cases"][0]["metrics"]["time_avg"]["value"] = -0.0;  // written "-0.0"; "-0" reads as the integer 0
  const Bundle bundle = read_bundle(document, "bundle.json");
  EXPECT_FALSE(std::signbit(*bundle.cases[0].metrics.at("time_avg").value));
}

TEST(BundleReader, OfAKeyGivenTwiceTheLastCounts) {
  // As nlohmann reads a document (tests/fuzz/fuzz_reports.cpp holds the reader to it).
  const std::string header = R"({"sciperf":{"schema_version":1,"run":{"status":"complete","started":"s"},)"
                             R"("config":{"name":"x","system":{}},"inventory":{"nodes":[]},)";
  const auto skipped = [](const std::string& name, const std::string& more) {
    return R"({"name":")" + name + R"(","suite":"s","params":{},"status":"skipped","headline":[])" + more + "}";
  };
  const Bundle twice = parse_bundle(header + R"("cases":[)" + skipped("a", "") + R"(],"cases":[)" + skipped("b", "") + "]}}", "b.json");
  ASSERT_EQ(twice.cases.size(), 1u);
  EXPECT_EQ(twice.cases[0].name, "b");
  const Bundle timed = parse_bundle(
      header + R"("cases":[)" + skipped("a", R"(,"timing":{"iterations":10,"repetitions":3},"timing":{"repetitions":5})") + "]}}", "b.json");
  EXPECT_EQ(timed.cases[0].iterations, 0);
  EXPECT_EQ(timed.cases[0].repetitions, 5);
}

TEST(BundleReader, ANameGivenTwiceBeforeABadCaseIsTheFirstProblem) {
  json document = fixture_document("baseline");
  document["sciperf"]["cases"][2]["name"] = document["sciperf"]["cases"][0]["name"];
  document["sciperf"]["cases"][5]["status"] = 7;
  EXPECT_TRUE(contains(read_error(document), "sciperf.cases[2].name: "));
  document["sciperf"]["cases"][2]["name"] = "unique";
  EXPECT_EQ(read_error(document), "bundle.json: sciperf.cases[5].status: expected a string, got number");
  document["sciperf"]["cases"] = json::object();
  EXPECT_EQ(read_error(document), "bundle.json: sciperf.cases: expected an array, got object");
  document["sciperf"]["cases"] = json::array({7});
  EXPECT_EQ(read_error(document), "bundle.json: sciperf.cases[0]: expected an object, got number");
}

TEST(BundleReader, SeveralBundlesReadPastTheBadOnes) {
  const LoadedBundles loaded = load_bundles(
      {data_path("baseline"), data_path("truncated.json"), data_path("newer.json"), data_path("candidate")});
  ASSERT_EQ(loaded.bundles.size(), 2u);
  EXPECT_EQ(loaded.bundles[0].label, data_path("baseline"));
  EXPECT_EQ(loaded.bundles[1].label, data_path("candidate"));
  ASSERT_EQ(loaded.errors.size(), 2u);
  EXPECT_TRUE(contains(loaded.errors[0], "truncated.json"));
  EXPECT_TRUE(contains(loaded.errors[1], "newer.json"));
  EXPECT_TRUE(loaded.warnings.empty());
}

TEST(BundleReader, AnUnfinishedRunIsReadWithAWarning) {
  sciperf::testing::TempDir dir;
  json document = fixture_document("baseline");
  document["sciperf"]["run"]["status"] = "running";
  std::ofstream(dir.path() / "results.json") << document.dump();
  const LoadedBundles loaded = load_bundles({dir.path().string()});
  ASSERT_EQ(loaded.bundles.size(), 1u);
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_TRUE(contains(loaded.warnings[0], "results.json: sciperf.run.status: running: the run did not complete"));
}

}  // namespace
}  // namespace sciperf::reports
