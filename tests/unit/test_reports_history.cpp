#include "reports/commands.h"
#include "reports/history_changepoints.h"
#include "reports/history_commands.h"
#include "reports/history_query.h"
#include "reports/history_schema.h"
#include "reports/history_store.h"
#include "reports/history_trend.h"

#include "reports_support.h"
#include "test_support.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace sciperf::reports {
namespace {

using nlohmann::json;
using testing::contains;
using testing::data_path;
using testing::fixture;
using testing::read_file;
namespace fs = std::filesystem;

constexpr const char* kAllreduce = "collectives/collective:allreduce/bytes:1KiB";
constexpr const char* kBroadcast = "collectives/collective:broadcast/bytes:1KiB";

// A run to synthesize: two cases whose time_avg repetitions sit around `level` seconds.
struct SyntheticRun {
  std::string started;
  double level = 10e-6;
  std::string system = "vm";
  std::string config = "nightly";
  std::string revision = "abc1234";
  std::string cluster = "n1-r2-g0-t1";
  std::string broadcast_status = "ok";
};

json synthetic_case(const std::string& name, double level, const std::string& status) {
  json record = {{"name", name},       {"suite", "collectives"}, {"params", {{"bytes", 1024}}},
                 {"param_kinds", {{"bytes", "size"}}}, {"status", status}, {"headline", {"time_avg"}}};
  if (status != "ok") {
    record["reason"] = "validation failed";
    return record;
  }
  // ±2% around the level in a fixed pattern: noisy enough to need the test, always the same.
  static constexpr double kSpread[] = {-0.02, 0.01, -0.005, 0.015, 0.0, -0.01, 0.02, 0.005, -0.015, 0.01};
  json samples = json::array();
  for (double offset : kSpread) samples.push_back(level * (1 + offset));
  record["metrics"] = {{"time_avg", {{"value", level}, {"unit", "s"}, {"direction", "lower_is_better"}}}};
  record["samples"] = {{"time_avg", samples}};
  return record;
}

json synthetic_bundle(const SyntheticRun& run) {
  return {{"sciperf",
           {{"schema_version", 1},
            {"run", {{"status", "complete"}, {"started", run.started}, {"sciperf_version", "0.1.0"}}},
            {"config", {{"name", run.config}, {"cluster", run.cluster}, {"system", {{"name", run.system}}}}},
            {"inventory", {{"nodes", json::array()}, {"build", {{"git_revision", run.revision}}}}},
            {"cluster", {{"ranks", 2}, {"hosts", {"a", "a"}}, {"node_count", 1}}},
            {"cases",
             {synthetic_case(kAllreduce, run.level, "ok"),
              synthetic_case(kBroadcast, run.level * 2, run.broadcast_status)}}}}};
}

std::string day(int n) { return fmt::format("2026-11-{:02}T02:00:00Z", n); }

class History : public ::testing::Test {
 protected:
  std::string db() const { return (dir_.path() / "history.db").string(); }

  // Writes the bundle as DIR/NAME/results.json and returns the directory.
  std::string write_bundle(const std::string& name, const json& document) const {
    const fs::path bundle = dir_.path() / name;
    fs::create_directories(bundle);
    std::ofstream(bundle / "results.json") << document.dump();
    return bundle.string();
  }

  std::string write_run(const SyntheticRun& run) {
    return write_bundle(fmt::format("run-{}", ++written_), synthetic_bundle(run));
  }

  // Ingests a run a day at `levels[i]` each, from the first of the month.
  void ingest_levels(HistoryStore& store, const std::vector<double>& levels, SyntheticRun run = {}) {
    for (std::size_t i = 0; i < levels.size(); ++i) {
      run.started = day(static_cast<int>(i) + 1);
      run.level = levels[i];
      store.ingest(write_run(run));
    }
  }

  sciperf::testing::TempDir dir_;
  int written_ = 0;
};

// --- schema and migrations ---------------------------------------------------------------

TEST_F(History, ANewDatabaseIsAtTheCurrentVersion) {
  HistoryStore store(db(), OpenMode::create);
  Database raw(db(), OpenMode::existing);
  EXPECT_EQ(schema_version(raw), kHistorySchemaVersion);
  EXPECT_TRUE(store.runs({}).empty());
}

TEST_F(History, AVersionOneDatabaseIsMigratedOnOpen) {
  {
    Database v1(db(), OpenMode::create);
    v1.exec(read_file(data_path("history-v1.sql")));
    ASSERT_EQ(schema_version(v1), 1);
  }
  const HistoryStore store(db(), OpenMode::existing);
  Database raw(db(), OpenMode::existing);
  EXPECT_EQ(schema_version(raw), 2);

  const Bundle run = store.load_run(1);
  EXPECT_EQ(run.system, "vm");
  EXPECT_EQ(run.run.config_name, "nightly");
  ASSERT_EQ(run.cases.size(), 2u);
  // Version 1 kept no headline: every metric of the case stands in for it.
  EXPECT_EQ(run.cases[0].headline, (std::vector<std::string>{"busbw", "time_avg"}));
  EXPECT_TRUE(run.cases[1].headline.empty());
  EXPECT_EQ(run.cases[1].status, "failed");
  EXPECT_EQ(run.cases[0].samples.at("time_avg").size(), 4u);
  // The index of version 2 is there.
  Statement index(raw, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'runs_by_series'");
  ASSERT_TRUE(index.step());
  EXPECT_EQ(index.integer(0), 1);
}

TEST_F(History, AMigratedDatabaseTakesNewRunsAndComparesWithThem) {
  {
    Database v1(db(), OpenMode::create);
    v1.exec(read_file(data_path("history-v1.sql")));
  }
  HistoryStore store(db(), OpenMode::existing);
  store.ingest(write_run({.started = day(2)}));
  ASSERT_EQ(store.runs({}).size(), 2u);
  const Bundle pooled = history_bundle(store, "history:last=2,system=vm");
  ASSERT_FALSE(pooled.cases.empty());
  EXPECT_EQ(pooled.cases[0].name, kAllreduce);
  EXPECT_EQ(pooled.cases[0].samples.at("time_avg").size(), 14u);  // 4 from version 1, 10 new
}

TEST_F(History, ADatabaseOfANewerSciperfIsRefused) {
  {
    Database newer(db(), OpenMode::create);
    newer.exec("PRAGMA user_version = 99");
  }
  try {
    HistoryStore store(db(), OpenMode::existing);
    FAIL() << "opened";
  } catch (const HistoryError& error) {
    EXPECT_TRUE(contains(error.what(), db() + ": history schema version 99: written by a newer sciperf"));
  }
}

TEST_F(History, ACorruptFileIsNamed) {
  std::ofstream(db(), std::ios::binary) << "this is not a database, it is a shopping list\n";
  try {
    HistoryStore store(db(), OpenMode::existing);
    FAIL() << "opened";
  } catch (const HistoryError& error) {
    EXPECT_TRUE(contains(error.what(), db() + ": not a sciperf history database: not an SQLite file"));
  }
  EXPECT_EQ(runs_command(db(), {}), kExitHistoryFailed);
}

TEST_F(History, SomeoneElsesSqliteDatabaseIsLeftAlone) {
  {
    Database other(db(), OpenMode::create);
    other.exec("CREATE TABLE recipes (name TEXT)");
  }
  try {
    HistoryStore store(db(), OpenMode::create);
    FAIL() << "opened";
  } catch (const HistoryError& error) {
    EXPECT_TRUE(contains(error.what(), db() + ": not a sciperf history database: it has tables of its own (recipes)"));
  }
}

TEST_F(History, ReadingAMissingDatabaseDoesNotCreateIt) {
  try {
    HistoryStore store(db(), OpenMode::existing);
    FAIL() << "opened";
  } catch (const HistoryError& error) {
    EXPECT_TRUE(contains(error.what(), db() + ": no such history database"));
  }
  EXPECT_FALSE(fs::exists(db()));
}

// --- ingest --------------------------------------------------------------------------------

TEST_F(History, IngestingTheSameBundleTwiceChangesNothing) {
  HistoryStore store(db(), OpenMode::create);
  const Ingested first = store.ingest(data_path("baseline"));
  EXPECT_EQ(first.outcome, IngestOutcome::added);
  EXPECT_EQ(first.run.system, "node-a");
  EXPECT_EQ(first.run.revision, "0123456");
  EXPECT_EQ(first.run.cases, fixture("baseline").cases.size());
  const Ingested again = store.ingest(data_path("baseline/results.json"));  // the same file, named otherwise
  EXPECT_EQ(again.outcome, IngestOutcome::unchanged);
  EXPECT_EQ(again.run.id, first.run.id);
  EXPECT_EQ(store.runs({}).size(), 1u);
}

TEST_F(History, ABundleThatChangedReplacesItsRunUnderTheSameId) {
  HistoryStore store(db(), OpenMode::create);
  SyntheticRun run{.started = day(1), .broadcast_status = "failed"};
  const std::string bundle = write_run(run);
  const Ingested first = store.ingest(bundle);
  // A resumed run rewrites its bundle: same run, new content.
  run.broadcast_status = "ok";
  std::ofstream(fs::path(bundle) / "results.json") << synthetic_bundle(run).dump();
  const Ingested second = store.ingest(bundle);
  EXPECT_EQ(second.outcome, IngestOutcome::updated);
  EXPECT_EQ(second.run.id, first.run.id);
  ASSERT_EQ(store.runs({}).size(), 1u);
  EXPECT_EQ(store.load_run(first.run.id).cases[1].status, "ok");
  // Another start time is another run.
  EXPECT_EQ(store.ingest(write_run({.started = day(2)})).outcome, IngestOutcome::added);
}

TEST_F(History, AStoredRunReadsBackAsTheBundleItCameFrom) {
  HistoryStore store(db(), OpenMode::create);
  const Bundle original = fixture("baseline");
  const Bundle stored = store.load_run(store.ingest(data_path("baseline")).run.id);
  EXPECT_EQ(stored.system, original.system);
  EXPECT_EQ(stored.run.started, original.run.started);
  EXPECT_EQ(stored.run.git_revision, original.run.git_revision);
  ASSERT_EQ(stored.cases.size(), original.cases.size());
  for (std::size_t i = 0; i < original.cases.size(); ++i) {
    const CaseResult& a = original.cases[i];
    const CaseResult& b = stored.cases[i];
    EXPECT_EQ(b.name, a.name);
    EXPECT_EQ(b.index, a.index);
    EXPECT_EQ(b.status, a.status);
    EXPECT_EQ(b.reason, a.reason);
    EXPECT_EQ(b.params, a.params);
    EXPECT_EQ(b.param_kinds, a.param_kinds);
    EXPECT_EQ(b.headline, a.headline);
    EXPECT_EQ(b.samples, a.samples);
    ASSERT_EQ(b.metrics.size(), a.metrics.size()) << a.name;
    for (const auto& [name, metric] : a.metrics) {
      EXPECT_EQ(b.metrics.at(name).value, metric.value) << a.name << " " << name;
      EXPECT_EQ(b.metrics.at(name).unit, metric.unit);
      EXPECT_EQ(b.metrics.at(name).direction, metric.direction);
    }
  }
}

TEST_F(History, TheClusterConfigurationIsKept) {
  HistoryStore store(db(), OpenMode::create);
  EXPECT_EQ(store.ingest(write_run({.started = day(1), .cluster = "n4-r8-g1-t8"})).run.cluster, "n4-r8-g1-t8");
  // A bundle without sciperf.config.cluster (no cluster sweep) has none.
  EXPECT_EQ(store.ingest(data_path("candidate")).run.cluster, "");
}

TEST_F(History, ABundleThatCannotBeReadIsReportedAndTheOthersAreIngested) {
  ::testing::internal::CaptureStderr();
  ::testing::internal::CaptureStdout();
  const int code = ingest_command(db(), {data_path("baseline"), data_path("truncated.json"), data_path("candidate")});
  const std::string out = ::testing::internal::GetCapturedStdout();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, kExitHistoryFailed);
  EXPECT_TRUE(contains(err, "cannot ingest: " + data_path("truncated.json") + ": not valid JSON"));
  EXPECT_TRUE(contains(out, "2 added, 0 updated, 0 unchanged, 1 could not be read"));
  EXPECT_EQ(HistoryStore(db(), OpenMode::existing).runs({}).size(), 2u);

  ::testing::internal::CaptureStdout();
  EXPECT_EQ(ingest_command(db(), {data_path("baseline"), data_path("candidate")}), 0);
  EXPECT_TRUE(contains(::testing::internal::GetCapturedStdout(), "0 added, 0 updated, 2 unchanged"));
}

// --- runs ----------------------------------------------------------------------------------

TEST_F(History, RunsAreListedOldestFirstAndFiltered) {
  HistoryStore store(db(), OpenMode::create);
  store.ingest(write_run({.started = day(3), .system = "vm", .config = "nightly", .revision = "aaa1111"}));
  store.ingest(write_run({.started = day(1), .system = "vm", .config = "ci-smoke", .revision = "bbb2222"}));
  store.ingest(write_run({.started = day(2), .system = "hpc", .config = "nightly", .revision = "aaa3333"}));
  store.ingest(write_run({.started = day(4), .system = "vm", .config = "nightly", .revision = "ccc4444"}));
  const auto started = [&](const RunFilter& filter) {
    std::vector<std::string> days;
    for (const StoredRun& run : store.runs(filter)) days.push_back(run.started.substr(8, 2));
    return days;
  };
  EXPECT_EQ(started({}), (std::vector<std::string>{"01", "02", "03", "04"}));
  EXPECT_EQ(started({.system = "vm"}), (std::vector<std::string>{"01", "03", "04"}));
  EXPECT_EQ(started({.config = "nightly"}), (std::vector<std::string>{"02", "03", "04"}));
  EXPECT_EQ(started({.system = "vm", .config = "nightly"}), (std::vector<std::string>{"03", "04"}));
  EXPECT_EQ(started({.revision = "aaa"}), (std::vector<std::string>{"02", "03"}));  // a prefix
  EXPECT_EQ(started({.revision = "aaa1111"}), (std::vector<std::string>{"03"}));
  EXPECT_EQ(started({.last = 2}), (std::vector<std::string>{"03", "04"}));
  EXPECT_EQ(started({.last = 2, .skip = 1}), (std::vector<std::string>{"02", "03"}));
  EXPECT_TRUE(started({.system = "nowhere"}).empty());
}

// --- change points -------------------------------------------------------------------------

// A level with ±2% noise in a pattern that repeats every 7 points.
std::vector<double> noisy(double level, std::size_t n, std::size_t phase = 0) {
  static constexpr double kNoise[] = {0.012, -0.018, 0.004, 0.02, -0.007, -0.015, 0.009};
  std::vector<double> series;
  for (std::size_t i = 0; i < n; ++i) series.push_back(level * (1 + kNoise[(i + phase) % 7]));
  return series;
}

std::vector<double> joined(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ChangePoints, AStepIsFoundWhereItIs) {
  const auto series = joined(noisy(100, 12), noisy(115, 10, 3));
  const auto changes = find_change_points(series);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].index, 12u);
  EXPECT_NEAR(changes[0].before, 100, 2);
  EXPECT_NEAR(changes[0].after, 115, 2.3);
  EXPECT_LT(changes[0].p_value, 0.001);
}

TEST(ChangePoints, AFlatNoisySeriesHasNone) {
  EXPECT_TRUE(find_change_points(noisy(100, 40)).empty());
  // Noise well beyond the floor, but no shift that lasts: still none.
  std::vector<double> wild;
  for (std::size_t i = 0; i < 30; ++i) wild.push_back(i % 2 ? 130 : 70);
  EXPECT_TRUE(find_change_points(wild).empty());
}

TEST(ChangePoints, OneBadRunIsNotAChange) {
  auto series = noisy(100, 20);
  series[9] = 300;
  EXPECT_TRUE(find_change_points(series).empty());
}

TEST(ChangePoints, EachOfSeveralStepsIsFound) {
  const auto series = joined(joined(noisy(100, 10), noisy(80, 10, 2)), noisy(120, 10, 4));
  const auto changes = find_change_points(series);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].index, 10u);
  EXPECT_EQ(changes[1].index, 20u);
  EXPECT_NEAR(changes[1].before, 80, 2);  // the level between the two marks
}

TEST(ChangePoints, ShiftsBelowTheFloorAndShortSeriesAreNotChanges) {
  // A clean 3% step is significant, but smaller than the 5% that counts.
  EXPECT_TRUE(find_change_points(joined(noisy(100, 10), noisy(103, 10))).empty());
  ChangePointSettings settings;
  settings.min_change = 0.01;
  EXPECT_EQ(find_change_points(joined(std::vector<double>(10, 100.0), std::vector<double>(10, 103.0)), settings).size(),
            1u);
  // 7 points cannot hold two segments of 4.
  EXPECT_TRUE(find_change_points(joined(noisy(100, 4), noisy(200, 3))).empty());
  EXPECT_TRUE(find_change_points({}).empty());
}

// --- trend ---------------------------------------------------------------------------------

TEST_F(History, TrendMarksTheRunWhereTheLevelChanged) {
  HistoryStore store(db(), OpenMode::create);
  auto levels = joined(noisy(10e-6, 6), noisy(12e-6, 6, 2));  // 20% slower from the 7th run
  ingest_levels(store, levels);
  ingest_levels(store, noisy(20e-6, 12), {.system = "hpc"});
  const std::vector<TrendSeries> series = trend(store, {.case_pattern = "allreduce", .metric = "time_avg"});
  ASSERT_EQ(series.size(), 2u);  // one per system
  EXPECT_EQ(series[0].system, "vm");
  EXPECT_EQ(series[0].case_name, kAllreduce);
  ASSERT_EQ(series[0].points.size(), 12u);
  ASSERT_EQ(series[0].changes.size(), 1u);
  EXPECT_EQ(series[0].changes[0].index, 6u);
  EXPECT_EQ(series[0].points[6].started, day(7));
  EXPECT_TRUE(series[1].changes.empty());

  const std::string text = render_trend(series);
  EXPECT_TRUE(contains(text, kAllreduce + std::string(": time_avg (s, lower_is_better) on vm, config nightly")));
  EXPECT_TRUE(contains(text, "7    2026-11-07T02:00:00Z  abc1234   12 us     change point: 9.98 us -> 12.1 us, +21.0% worse"));
  EXPECT_TRUE(contains(text, "2 series, 1 change point\n"));
}

TEST_F(History, TrendFiltersBySystemAndKeepsTheLastPoints) {
  HistoryStore store(db(), OpenMode::create);
  ingest_levels(store, joined(noisy(10e-6, 6), noisy(12e-6, 6, 2)));
  ingest_levels(store, noisy(20e-6, 3), {.system = "hpc"});
  const auto series =
      trend(store, {.case_pattern = "^collectives/", .metric = "time_avg", .runs = {.system = "vm"}, .last = 5});
  ASSERT_EQ(series.size(), 2u);  // allreduce and broadcast
  for (const TrendSeries& s : series) {
    EXPECT_EQ(s.system, "vm");
    EXPECT_EQ(s.points.size(), 5u);
    EXPECT_EQ(s.points.back().started, day(12));
    EXPECT_TRUE(s.changes.empty());  // the last 5 are all after the step
  }
}

TEST_F(History, TrendOfNothingOrOfABadPatternIsAnError) {
  HistoryStore store(db(), OpenMode::create);
  ingest_levels(store, {10e-6});
  EXPECT_TRUE(trend(store, {.case_pattern = "allreduce", .metric = "busbw"}).empty());
  EXPECT_THROW(trend(store, {.case_pattern = "(", .metric = "time_avg"}), std::invalid_argument);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(trend_command(db(), {.case_pattern = "allreduce", .metric = "busbw"}), kExitHistoryFailed);
  EXPECT_EQ(trend_command(db(), {.case_pattern = "(", .metric = "time_avg"}), kExitHistoryFailed);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(contains(err, "no case matching \"allreduce\" has a value of busbw"));
  EXPECT_TRUE(contains(err, "(: not a regular expression"));
}

// --- export --------------------------------------------------------------------------------

TEST_F(History, ExportWritesOneRowPerRunCaseAndMetric) {
  HistoryStore store(db(), OpenMode::create);
  store.ingest(data_path("baseline"));
  store.ingest(data_path("candidate"));
  std::size_t values = 0;
  for (const char* name : {"baseline", "candidate"})
    for (const CaseResult& record : fixture(name).cases) values += record.metrics.size();

  const std::string csv_file = (dir_.path() / "history.csv").string();
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(export_command(db(), csv_file), 0);
  ::testing::internal::GetCapturedStderr();
  const std::string csv = read_file(csv_file);
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')), values + 1);
  EXPECT_EQ(csv.substr(0, csv.find('\r')),
            "run,started,system,config,cluster,revision,sciperf_version,run_status,case,suite,case_status,params,metric,"
            "value,unit,direction");
  // Full precision, and the params as JSON in one quoted field.
  EXPECT_TRUE(contains(csv, ",busbw,0.10235,GB/s,higher_is_better\r\n"));
  EXPECT_TRUE(contains(csv, "\"{\"\"algorithm\"\":\"\"ring\"\",\"\"bytes\"\":1024"));
}

// --- history: sides of compare -------------------------------------------------------------

TEST(HistoryQuery, KeysAndDefaults) {
  const RunFilter all = parse_history_query("history:");
  EXPECT_EQ(all.last, 1u);  // the latest run
  const RunFilter filter = parse_history_query("history:last=5,skip=1,system=vm,config=ci-smoke,cluster=n1,revision=ab");
  EXPECT_EQ(filter.last, 5u);
  EXPECT_EQ(filter.skip, 1u);
  EXPECT_EQ(filter.system, "vm");
  EXPECT_EQ(filter.config, "ci-smoke");
  EXPECT_EQ(filter.cluster, "n1");
  EXPECT_EQ(filter.revision, "ab");
}

TEST(HistoryQuery, MalformedQueriesAreNamed) {
  const auto error = [](const std::string& query) {
    try {
      parse_history_query(query);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error("history:host=vm"),
            "history:host=vm: unknown key \"host\" (expected last, skip, system, config, cluster or revision)");
  EXPECT_EQ(error("history:last=0"), "history:last=0: last=0: expected an integer of at least 1");
  EXPECT_EQ(error("history:last=five"), "history:last=five: last=five: expected an integer of at least 1");
  EXPECT_EQ(error("history:system"), "history:system: \"system\": expected KEY=VALUE");
  EXPECT_EQ(error("history:system=a,system=b"), "history:system=a,system=b: system is given twice");
}

Bundle one_case_run(const std::string& started, const std::string& status, double value, std::vector<double> samples,
                    const std::string& unit = "s") {
  Bundle run;
  run.run.started = started;
  CaseResult record;
  record.name = "c";
  record.suite = "s";
  record.status = status;
  record.headline = {"time_avg"};
  if (status == "ok") {
    record.metrics["time_avg"] = {value, unit, Direction::lower_is_better};
    record.samples["time_avg"] = std::move(samples);
  } else {
    record.reason = "timed out";
  }
  run.cases.push_back(record);
  return run;
}

TEST(HistoryQuery, APooledCaseTakesTheMedianValueAndEverySample) {
  const std::vector<Bundle> runs{one_case_run(day(3), "ok", 3.0, {3.0, 3.1}), one_case_run(day(2), "failed", 0, {}),
                                 one_case_run(day(1), "ok", 1.0, {1.0}), one_case_run(day(0), "ok", 2.0, {2.0})};
  const Bundle pooled = pooled_bundle(runs, "history:last=4", "db (history:last=4)");
  EXPECT_EQ(pooled.label, "history:last=4");
  EXPECT_EQ(pooled.run.started, day(0) + " .. " + day(3));
  ASSERT_EQ(pooled.cases.size(), 1u);
  EXPECT_EQ(pooled.cases[0].status, "ok");  // ok in 3 of 4
  EXPECT_EQ(pooled.cases[0].metrics.at("time_avg").value, 2.0);
  EXPECT_EQ(pooled.cases[0].samples.at("time_avg"), (std::vector<double>{3.0, 3.1, 1.0, 2.0}));
}

TEST(HistoryQuery, ACaseMostlyFailingIsFailed) {
  const std::vector<Bundle> runs{one_case_run(day(3), "timeout", 0, {}), one_case_run(day(2), "ok", 1.0, {1.0}),
                                 one_case_run(day(1), "failed", 0, {})};
  const Bundle pooled = pooled_bundle(runs, "q", "f");
  EXPECT_EQ(pooled.cases[0].status, "timeout");
  EXPECT_EQ(pooled.cases[0].reason, "timed out (ok in 1 of 3 runs)");
  EXPECT_TRUE(pooled.cases[0].metrics.empty());
}

TEST(HistoryQuery, RunsThatDisagreeOnAUnitAreNotPooled) {
  const std::vector<Bundle> runs{one_case_run(day(2), "ok", 1.0, {1.0}, "ms"), one_case_run(day(1), "ok", 1.0, {1.0})};
  try {
    pooled_bundle(runs, "q", "db (q)");
    FAIL() << "pooled";
  } catch (const HistoryError& error) {
    EXPECT_EQ(std::string(error.what()), "db (q): case c: metric time_avg: unit \"ms\" in the run started " + day(2) +
                                             ", but \"s\" in the run started " + day(1) + "; cannot pool them");
  }
}

class HistoryCompare : public History {
 protected:
  int compare(const std::string& baseline, const std::string& candidate) {
    CompareOptions options;
    options.baseline = baseline;
    options.candidate = candidate;
    options.history_db = db();
    options.format = "json";
    options.output_file = (dir_.path() / "compare.json").string();
    ::testing::internal::CaptureStderr();
    const int code = compare_command(options);
    errors_ = ::testing::internal::GetCapturedStderr();
    return code;
  }
  json result() const { return json::parse(read_file((dir_.path() / "compare.json").string())); }

  std::string errors_;
};

TEST_F(HistoryCompare, ARegressionAgainstTheLastFiveRunsIsFound) {
  HistoryStore store(db(), OpenMode::create);
  ingest_levels(store, {10.1e-6, 9.9e-6, 10e-6, 10.2e-6, 9.8e-6, 10e-6});
  ingest_levels(store, {30e-6}, {.system = "hpc"});  // another system: not in the query
  const std::string slower = write_run({.started = day(20), .level = 11.5e-6});
  EXPECT_EQ(compare("history:last=5,system=vm,config=nightly", slower), kExitRegression);
  const json document = result();
  EXPECT_EQ(document["summary"]["regression"], 2);  // both cases are 15% slower
  EXPECT_EQ(document["baseline"]["bundle"], "history:last=5,system=vm,config=nightly");
  EXPECT_EQ(document["baseline"]["started"], day(2) + " .. " + day(6));
  // Five runs of ten repetitions pooled against ten.
  for (const json& metric : document["metrics"]) EXPECT_EQ(metric["baseline_samples"], 50) << metric.dump();

  const std::string same = write_run({.started = day(21), .level = 10e-6});
  EXPECT_EQ(compare("history:last=5,system=vm", same), kExitNoRegression);
}

TEST_F(HistoryCompare, ARunReadBackFromHistoryComparesAsItsBundleDoes) {
  HistoryStore store(db(), OpenMode::create);
  store.ingest(data_path("baseline"));
  store.ingest(data_path("candidate"));
  EXPECT_EQ(compare(data_path("baseline"), data_path("candidate")), kExitRegression);
  const json direct = result();
  EXPECT_EQ(compare("history:system=node-a", "history:system=node-b"), kExitRegression);
  const json through_history = result();
  for (const char* part : {"metrics", "statuses", "unmatched", "summary"})
    EXPECT_EQ(through_history[part], direct[part]) << part;
}

TEST_F(HistoryCompare, BothSidesMayBeHistory) {
  HistoryStore store(db(), OpenMode::create);
  ingest_levels(store, {10e-6, 10.1e-6, 9.9e-6, 10e-6, 11.5e-6});
  // The newest run against the four before it.
  EXPECT_EQ(compare("history:last=4,skip=1", "history:"), kExitRegression);
  EXPECT_EQ(compare("history:last=3,skip=2", "history:last=1,skip=1"), kExitNoRegression);
}

TEST_F(HistoryCompare, AQueryThatCannotBeAnsweredExitsTwo) {
  EXPECT_EQ(compare("history:last=5", data_path("candidate")), kExitCouldNotCompare);
  EXPECT_TRUE(contains(errors_, db() + ": no such history database"));
  HistoryStore store(db(), OpenMode::create);
  ingest_levels(store, {10e-6});
  EXPECT_EQ(compare("history:system=elsewhere", data_path("candidate")), kExitCouldNotCompare);
  EXPECT_TRUE(contains(errors_, db() + ": history:system=elsewhere: no run in the history matches"));
  EXPECT_EQ(compare("history:lats=5", data_path("candidate")), kExitCouldNotCompare);
  EXPECT_TRUE(contains(errors_, "unknown key \"lats\""));
}

// --- the command line ----------------------------------------------------------------------

std::optional<int> run_history_line(std::vector<std::string> args) { return testing::run_commands<HistoryCommands>(std::move(args)); }

TEST_F(History, TheCommandLineReachesEachSubcommand) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run_history_line({"history", "--db", db(), "ingest", data_path("baseline")}), 0);
  EXPECT_EQ(run_history_line({"history", "ingest", data_path("candidate"), "--db", db()}), 0);  // --db after too
  EXPECT_EQ(run_history_line({"history", "runs", "--db", db(), "--system", "node-a", "--last", "1"}), 0);
  EXPECT_EQ(run_history_line({"history", "trend", "--db", db(), "allreduce", "time_avg", "--last", "3"}), 0);
  const std::string csv = (dir_.path() / "out.csv").string();
  EXPECT_EQ(run_history_line({"history", "export", "--db", db(), "--csv", csv}), 0);
  const std::string out = ::testing::internal::GetCapturedStdout();
  ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(contains(out, "added: run 1: node-a, config reports-fixture"));
  EXPECT_TRUE(contains(out, "added: run 2: node-b"));
  EXPECT_TRUE(contains(out, "2026-11-20T10:00:00Z  node-a"));
  EXPECT_TRUE(fs::exists(csv));
}

TEST_F(History, TheDatabaseDefaultsToTheEnvironment) {
  ::setenv(kHistoryDbVariable, db().c_str(), 1);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(run_history_line({"history", "ingest", data_path("baseline")}), 0);
  ::testing::internal::GetCapturedStdout();
  ::unsetenv(kHistoryDbVariable);
  EXPECT_EQ(HistoryStore(db(), OpenMode::existing).runs({}).size(), 1u);
}

TEST(HistoryCommands, OtherCommandsAreNotTheirs) {
  CLI::App app;
  const HistoryCommands commands(app);
  app.add_subcommand("list");
  const char* argv[] = {"sciperf", "list"};
  app.parse(2, const_cast<char**>(argv));
  EXPECT_EQ(commands.run(), std::nullopt);
}

}  // namespace
}  // namespace sciperf::reports
