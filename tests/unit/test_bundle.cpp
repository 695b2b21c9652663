#include "tests/unit/test_support.h"
#include "harness/bundle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <stdlib.h>

namespace sciperf {
namespace {

using nlohmann::json;

using testing::TempDir;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> entries_of(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

ResultBundle make_bundle(const std::filesystem::path& dir) {
  return ResultBundle(dir, {{"command", "sciperf run cfg.yaml"}, {"ranks", 4}}, {{"name", "nightly"}},
                      {{"host", {{"hostname", "node1"}}}}, {{"nodes", 1}});
}

json benchmark_output(const std::string& host, const std::vector<std::string>& rows) {
  json out = {{"context", {{"host_name", host}, {"num_cpus", 8}}}, {"benchmarks", json::array()}};
  for (const std::string& row : rows) out["benchmarks"].push_back({{"name", row}, {"real_time", 1.0}});
  return out;
}

TEST(ResultBundle, StartsWithTheGoogleBenchmarkShapeAndARunningRun) {
  TempDir dir;
  const ResultBundle bundle = make_bundle(dir.path());
  const json& doc = bundle.document();
  EXPECT_TRUE(doc["context"].is_object());
  EXPECT_TRUE(doc["context"].empty());
  EXPECT_EQ(doc["benchmarks"], json::array());
  const json& sciperf = doc["sciperf"];
  EXPECT_EQ(sciperf["schema_version"], kResultSchemaVersion);
  EXPECT_EQ(sciperf["run"]["status"], "running");
  EXPECT_EQ(sciperf["run"]["command"], "sciperf run cfg.yaml");
  EXPECT_EQ(sciperf["run"]["ranks"], 4);
  EXPECT_TRUE(sciperf["run"]["started"].is_string());
  EXPECT_FALSE(sciperf["run"].contains("finished"));
  EXPECT_EQ(sciperf["config"]["name"], "nightly");
  EXPECT_EQ(sciperf["inventory"]["host"]["hostname"], "node1");
  EXPECT_EQ(sciperf["cluster"]["nodes"], 1);
  EXPECT_EQ(sciperf["cases"], json::array());
  EXPECT_EQ(bundle.file(), dir.path() / "results.json");
}

TEST(ResultBundle, WriteProducesResultsJson) {
  TempDir dir;
  const ResultBundle bundle = make_bundle(dir.path());
  bundle.write();
  ASSERT_TRUE(std::filesystem::exists(dir.path() / "results.json"));
  const json written = json::parse(read_text(dir.path() / "results.json"));
  EXPECT_EQ(written, bundle.document());
  EXPECT_EQ(written["sciperf"]["run"]["status"], "running");
  EXPECT_EQ(entries_of(dir.path()), (std::vector<std::string>{"results.json"}));
}

TEST(ResultBundle, FinishCompletesTheRun) {
  TempDir dir;
  ResultBundle bundle = make_bundle(dir.path());
  bundle.finish("complete");
  bundle.write();
  const json run = json::parse(read_text(bundle.file()))["sciperf"]["run"];
  EXPECT_EQ(run["status"], "complete");
  EXPECT_TRUE(run["finished"].is_string());
  EXPECT_FALSE(run.contains("reason"));
  EXPECT_EQ(run["command"], "sciperf run cfg.yaml");  // the rest of the run block stays
}

TEST(ResultBundle, FinishWithAReason) {
  TempDir dir;
  ResultBundle bundle = make_bundle(dir.path());
  bundle.finish("failed", "rank 1 ended during case x: Killed");
  EXPECT_EQ(bundle.document()["sciperf"]["run"]["status"], "failed");
  EXPECT_EQ(bundle.document()["sciperf"]["run"]["reason"], "rank 1 ended during case x: Killed");
}

TEST(ResultBundle, TimestampsAreIsoUtc) {
  const std::string stamp = utc_timestamp();
  ASSERT_EQ(stamp.size(), 20u) << stamp;
  EXPECT_EQ(stamp[4], '-');
  EXPECT_EQ(stamp[10], 'T');
  EXPECT_EQ(stamp.back(), 'Z');
}

TEST(ResultBundle, AddCaseAppendsRowsAndKeepsTheFirstContext) {
  TempDir dir;
  ResultBundle bundle = make_bundle(dir.path());
  bundle.add_case({{"name", "case-a"}, {"status", "ok"}}, benchmark_output("first-host", {"a/1", "a/2"}));
  bundle.add_case({{"name", "case-b"}, {"status", "ok"}}, benchmark_output("second-host", {"b/1"}));
  bundle.add_case({{"name", "case-c"}, {"status", "skipped"}}, nullptr);  // nothing measured
  const json& doc = bundle.document();
  EXPECT_EQ(doc["context"]["host_name"], "first-host");
  ASSERT_EQ(doc["benchmarks"].size(), 3u);
  EXPECT_EQ(doc["benchmarks"][0]["name"], "a/1");
  EXPECT_EQ(doc["benchmarks"][1]["name"], "a/2");
  EXPECT_EQ(doc["benchmarks"][2]["name"], "b/1");
  ASSERT_EQ(doc["sciperf"]["cases"].size(), 3u);
  EXPECT_EQ(doc["sciperf"]["cases"][0]["name"], "case-a");
  EXPECT_EQ(doc["sciperf"]["cases"][2]["status"], "skipped");
}

TEST(ResultBundle, ContextComesFromTheFirstCaseThatHasOne) {
  TempDir dir;
  ResultBundle bundle = make_bundle(dir.path());
  bundle.add_case({{"name", "skipped"}}, nullptr);
  bundle.add_case({{"name", "measured"}}, benchmark_output("host-x", {"x"}));
  EXPECT_EQ(bundle.document()["context"]["host_name"], "host-x");
}

TEST(ResultBundle, OpenRoundTrips) {
  TempDir dir;
  ResultBundle bundle = make_bundle(dir.path());
  bundle.add_case({{"name", "case-a"}, {"metrics", {{"time_avg", {{"value", 1.25e-6}, {"unit", "s"}}}}}},
                  benchmark_output("h", {"a"}));
  bundle.write();
  ResultBundle reopened = ResultBundle::open(dir.path());
  EXPECT_EQ(reopened.document(), bundle.document());
  EXPECT_EQ(reopened.file(), bundle.file());
  // A reopened bundle can be finished and written again, e.g. after an interrupted run.
  reopened.finish("failed", "interrupted");
  reopened.write();
  const json again = ResultBundle::open(dir.path()).document();
  EXPECT_EQ(again["sciperf"]["run"]["status"], "failed");
  EXPECT_EQ(again["sciperf"]["cases"].size(), 1u);
  EXPECT_DOUBLE_EQ(again["sciperf"]["cases"][0]["metrics"]["time_avg"]["value"].get<double>(), 1.25e-6);
}

TEST(ResultBundle, OpenAMissingBundleNamesThePath) {
  TempDir dir;
  try {
    ResultBundle::open(dir.path());
    FAIL() << "opened a bundle that does not exist";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find((dir.path() / "results.json").string()), std::string::npos) << error.what();
  }
}

TEST(ResultBundle, OpenATruncatedBundleThrowsWithThePath) {
  TempDir dir;
  ResultBundle bundle = make_bundle(dir.path());
  bundle.write();
  const std::string text = read_text(bundle.file());
  std::ofstream(bundle.file(), std::ios::trunc) << text.substr(0, text.size() / 2);
  try {
    ResultBundle::open(dir.path());
    FAIL() << "opened a truncated bundle";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(bundle.file().string()), std::string::npos) << error.what();
  }
}

TEST(ResultBundle, OpenAnInvalidBundleThrowsWithThePath) {
  TempDir dir;
  std::ofstream(dir.path() / "results.json") << "this is not json";
  EXPECT_THROW(ResultBundle::open(dir.path()), std::runtime_error);
  try {
    ResultBundle::open(dir.path());
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find((dir.path() / "results.json").string()), std::string::npos) << error.what();
  }
}

// Found by tests/fuzz: the harness reads a reopened bundle (--resume, recording a timed-out
// case, the summary) assuming the shape it writes; a valid JSON of another shape is refused
// when opened, naming the file and what is wrong.
TEST(ResultBundle, OpenRefusesABundleOfAnotherShape) {
  TempDir dir;
  ResultBundle bundle = make_bundle(dir.path());
  bundle.add_case({{"name", "case-a"}, {"status", "ok"}, {"metrics", {{"time_avg", {{"value", 1.0}, {"unit", "s"}}}}}},
                  nullptr);
  bundle.write();
  const json good = bundle.document();
  // Writes the good bundle with `change` applied; expects open() to refuse it with `expected`.
  auto expect_refused = [&](const std::function<void(json&)>& change, const std::string& expected) {
    json document = good;
    change(document);
    std::ofstream(bundle.file(), std::ios::trunc) << document.dump();
    try {
      ResultBundle::open(dir.path());
      ADD_FAILURE() << "accepted a bundle that should show: " << expected;
    } catch (const std::runtime_error& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(bundle.file().string() + ": not a valid result bundle: " + expected), std::string::npos)
          << message;
    }
  };
  expect_refused([](json& d) { d = json::array(); }, "the document: expected an object");
  expect_refused([](json& d) { d["sciperf"].erase("config"); }, "sciperf.config: expected an object");
  expect_refused([](json& d) { d["sciperf"].erase("cases"); }, "sciperf.cases: expected an array");
  expect_refused([](json& d) { d["sciperf"]["run"] = 1; }, "sciperf.run: expected an object");
  expect_refused([](json& d) { d["sciperf"]["run"]["resumed"] = 2147483647; }, "sciperf.run.resumed: expected a count");
  expect_refused([](json& d) { d["sciperf"]["cases"][0]["status"] = 3; }, "sciperf.cases[0].status: expected a string");
  expect_refused([](json& d) { d["sciperf"]["cases"][0]["metrics"]["time_avg"].erase("value"); },
                 "sciperf.cases[0].metrics.time_avg: expected an object with a value");
  expect_refused([](json& d) { d["sciperf"]["schema_version"] = 2; }, "sciperf.schema_version: expected 1");
  expect_refused(
      [](json& d) {
        json deep = json::array();
        for (int level = 0; level < 100; ++level) deep = json::array({std::move(deep)});
        d["context"]["deep"] = std::move(deep);
      },
      "nested deeper than 64 levels");
  std::ofstream(bundle.file(), std::ios::trunc) << good.dump();
  EXPECT_EQ(ResultBundle::open(dir.path()).document(), good);
}

TEST(ResultBundle, NonFiniteMetricsAreWrittenAsNull) {
  TempDir dir;
  ResultBundle bundle = make_bundle(dir.path());
  bundle.add_case({{"name", "case-non-finite"},
                   {"metrics",
                    {{"busbw", {{"value", std::numeric_limits<double>::quiet_NaN()}, {"unit", "GB/s"}}},
                     {"algbw", {{"value", std::numeric_limits<double>::infinity()}, {"unit", "GB/s"}}}}}},
                  nullptr);
  bundle.write();
  const std::string text = read_text(bundle.file());
  EXPECT_EQ(text.find("nan"), std::string::npos) << text;
  EXPECT_EQ(text.find("NaN"), std::string::npos) << text;
  EXPECT_EQ(text.find("inf"), std::string::npos) << text;
  EXPECT_EQ(text.find("Infinity"), std::string::npos) << text;
  // Strict JSON: the standard parser reads it, and the values are null.
  const json doc = json::parse(text);
  EXPECT_TRUE(doc["sciperf"]["cases"][0]["metrics"]["busbw"]["value"].is_null());
  EXPECT_TRUE(doc["sciperf"]["cases"][0]["metrics"]["algbw"]["value"].is_null());
}

TEST(WriteFileAtomically, WritesAndReplacesWithoutLeavingTemporaries) {
  TempDir dir;
  const auto path = dir.path() / "data.txt";
  write_file_atomically(path, "first version, rather long\n");
  EXPECT_EQ(read_text(path), "first version, rather long\n");
  write_file_atomically(path, "second\n");
  EXPECT_EQ(read_text(path), "second\n");  // replaced, not overwritten in place
  write_file_atomically(path, "");
  EXPECT_EQ(read_text(path), "");
  EXPECT_EQ(entries_of(dir.path()), (std::vector<std::string>{"data.txt"}));
}

TEST(WriteFileAtomically, BinaryContentSurvives) {
  TempDir dir;
  const auto path = dir.path() / "blob";
  std::string blob(100'000, '\0');
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 131 % 256);
  write_file_atomically(path, blob);
  std::ifstream in(path, std::ios::binary);
  const std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(back, blob);
}

TEST(WriteFileAtomically, FailureNamesThePathAndLeavesNothing) {
  TempDir dir;
  const auto path = dir.path() / "missing-subdir" / "data.txt";
  try {
    write_file_atomically(path, "x");
    FAIL() << "wrote into a directory that does not exist";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
  }
  EXPECT_TRUE(entries_of(dir.path()).empty());
}

TEST(WriteFileAtomically, ReplacingAFileDoesNotChangeAnOpenReader) {
  TempDir dir;
  const auto path = dir.path() / "data.txt";
  write_file_atomically(path, "old");
  std::ifstream reader(path);  // opened before the replacement
  write_file_atomically(path, "new");
  std::string seen;
  reader >> seen;
  EXPECT_EQ(seen, "old");  // a rename swaps the file; the reader still has the old one whole
  EXPECT_EQ(read_text(path), "new");
}

}  // namespace
}  // namespace sciperf
