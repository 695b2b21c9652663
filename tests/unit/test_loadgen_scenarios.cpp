// The four scenarios run against a no-op SUT and against SUTs with a known service time: the
// metric each reports, what makes a run invalid, latency counted from the scheduled time (no
// coordinated omission), and completions from any thread.
#include "suites/inference/loadgen/load_generator.h"
#include "suites/inference/loadgen/no_op.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sciperf::loadgen {
namespace {

using namespace std::chrono_literals;

// Busy for a fixed service time, then completes inline: one query at a time, so its capacity
// is exactly 1 / service queries per second.
class SpinSut final : public SystemUnderTest {
 public:
  explicit SpinSut(Clock::duration service) : service_(service) {}
  std::string_view name() const override { return "spin"; }
  void issue_query(const Query& query, QueryCompleter& completer) override {
    const Clock::time_point end = Clock::now() + service_;
    Clock::time_point now = Clock::now();
    while (now < end) now = Clock::now();
    completer.complete(query.id, now);
  }

 private:
  Clock::duration service_;
};

// Queues each query to its own worker thread, which spins for the service time and completes
// it from there.
class WorkerSut final : public SystemUnderTest {
 public:
  explicit WorkerSut(Clock::duration service) : service_(service), worker_([this] { serve(); }) {}
  ~WorkerSut() override {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    worker_.join();
  }
  std::string_view name() const override { return "worker"; }
  void issue_query(const Query& query, QueryCompleter& completer) override {
    {
      const std::lock_guard lock(mutex_);
      queue_.emplace_back(query.id, &completer);
    }
    wake_.notify_one();
  }

 private:
  void serve() {
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      const auto [id, completer] = queue_.front();
      queue_.pop_front();
      lock.unlock();
      const Clock::time_point end = Clock::now() + service_;
      while (Clock::now() < end) {
      }
      completer->complete(id);
      lock.lock();
    }
  }

  Clock::duration service_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<QueryId, QueryCompleter*>> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

// Completes inline and remembers every query's samples.
class RecordingSut final : public SystemUnderTest {
 public:
  std::string_view name() const override { return "recording"; }
  void issue_query(const Query& query, QueryCompleter& completer) override {
    queries.emplace_back(query.samples.begin(), query.samples.end());
    completer.complete(query.id);
  }
  std::vector<std::vector<SampleIndex>> queries;
};

// Never answers (a hung SUT), or answers later than the run waits, or answers twice.
class SilentSut final : public SystemUnderTest {
 public:
  std::string_view name() const override { return "silent"; }
  void issue_query(const Query& query, QueryCompleter& completer) override { held.emplace_back(query.id, &completer); }
  std::vector<std::pair<QueryId, QueryCompleter*>> held;
};
class TwiceSut final : public SystemUnderTest {
 public:
  std::string_view name() const override { return "twice"; }
  void issue_query(const Query& query, QueryCompleter& completer) override {
    completer.complete(query.id);
    completer.complete(query.id);
  }
};

class RecordingQsl final : public QuerySampleLibrary {
 public:
  RecordingQsl(std::size_t total, std::size_t performance) : total_(total), performance_(performance) {}
  std::string_view name() const override { return "recording"; }
  std::size_t total_sample_count() const override { return total_; }
  std::size_t performance_sample_count() const override { return performance_; }
  void load_samples(std::span<const SampleIndex> samples) override { loaded.assign(samples.begin(), samples.end()); }
  void unload_samples(std::span<const SampleIndex> samples) override {
    unloaded.assign(samples.begin(), samples.end());
  }
  std::vector<SampleIndex> loaded, unloaded;

 private:
  std::size_t total_, performance_;
};

TestSettings quick(Scenario scenario) {
  TestSettings settings;
  settings.scenario = scenario;
  settings.min_duration = 0.05;
  settings.max_duration = 10;
  return settings;
}

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(LoadgenScenarios, SingleStreamNoOp) {
  NoOpSystemUnderTest sut;
  NoOpQuerySampleLibrary qsl;
  const ScenarioResult r = run_scenario(sut, qsl, quick(Scenario::single_stream));
  EXPECT_TRUE(r.valid) << r.invalid_reason;
  EXPECT_GE(r.queries_completed, 64u);
  EXPECT_EQ(r.queries_completed, r.queries_issued);
  EXPECT_EQ(r.samples_completed, r.queries_completed);
  EXPECT_GE(r.duration, 0.05);
  EXPECT_EQ(r.metric.name, "p90_latency");
  EXPECT_EQ(r.metric.unit, "s");
  EXPECT_FALSE(r.metric.higher_is_better);
  EXPECT_DOUBLE_EQ(r.metric.value, r.percentile_latency);
  EXPECT_LT(r.percentile_latency, 50e-6);
  EXPECT_EQ(qsl.loaded(), 0u);  // every load was unloaded
}

TEST(LoadgenScenarios, SingleStreamP90IsTheServiceTime) {
  SpinSut sut(200us);
  NoOpQuerySampleLibrary qsl;
  const ScenarioResult r = run_scenario(sut, qsl, quick(Scenario::single_stream));
  EXPECT_TRUE(r.valid) << r.invalid_reason;
  EXPECT_GE(r.latencies.percentile_seconds(0.5), 199e-6);
  EXPECT_LE(r.latencies.percentile_seconds(0.5), 230e-6);
  EXPECT_GE(r.percentile_latency, 199e-6);
  EXPECT_LE(r.percentile_latency, 300e-6);  // generous: a busy machine adds to the tail
  EXPECT_LT(r.achieved_qps, 5000);
}

TEST(LoadgenScenarios, MultiStreamQueriesOfEightSamples) {
  NoOpSystemUnderTest sut;
  NoOpQuerySampleLibrary qsl;
  const ScenarioResult r = run_scenario(sut, qsl, quick(Scenario::multi_stream));
  EXPECT_TRUE(r.valid) << r.invalid_reason;
  EXPECT_GE(r.queries_completed, 662u);
  EXPECT_EQ(r.samples_completed, 8 * r.queries_completed);
  EXPECT_EQ(r.metric.name, "p99_latency");
  EXPECT_DOUBLE_EQ(r.percentile, 0.99);
}

TEST(LoadgenScenarios, ServerNoOpMeetsItsSchedule) {
  NoOpSystemUnderTest sut;
  NoOpQuerySampleLibrary qsl;
  TestSettings settings = quick(Scenario::server);
  settings.target_qps = 20'000;
  settings.min_duration = 0.1;
  settings.latency_bound = 0.050;  // a no-op's p99 is microseconds; the slack is for busy machines
  const ScenarioResult r = run_scenario(sut, qsl, settings);
  EXPECT_TRUE(r.valid) << r.invalid_reason;
  EXPECT_EQ(r.queries_completed, r.queries_scheduled);
  EXPECT_EQ(r.issue_delays.count(), r.queries_issued);
  EXPECT_NEAR(r.scheduled_qps, 20'000, 2'000);
  EXPECT_NEAR(r.achieved_qps, 20'000, 2'000);
  EXPECT_EQ(r.metric.name, "scheduled_qps");
  EXPECT_TRUE(r.metric.higher_is_better);
  EXPECT_LE(r.percentile_latency, 0.050);
}

TEST(LoadgenScenarios, OfflineIssuesEveryLoadedSampleOnce) {
  RecordingSut sut;
  RecordingQsl qsl(1000, 500);
  const ScenarioResult r = run_scenario(sut, qsl, quick(Scenario::offline));
  EXPECT_TRUE(r.valid) << r.invalid_reason;
  ASSERT_EQ(sut.queries.size(), 1u);
  EXPECT_EQ(r.samples_completed, 500u);
  std::vector<SampleIndex> issued = sut.queries[0];
  std::sort(issued.begin(), issued.end());
  EXPECT_EQ(issued, qsl.loaded);  // each loaded sample exactly once
  EXPECT_EQ(r.metric.name, "samples_per_second");
  EXPECT_GT(r.metric.value, 0);
  EXPECT_DOUBLE_EQ(r.metric.value, r.samples_per_second);
}

TEST(LoadgenScenarios, OfflineInSeveralQueries) {
  SpinSut sut(100us);
  NoOpQuerySampleLibrary qsl;
  TestSettings settings = quick(Scenario::offline);
  settings.offline_queries = 4;
  settings.samples_per_query = 100;
  const ScenarioResult r = run_scenario(sut, qsl, settings);
  EXPECT_TRUE(r.valid) << r.invalid_reason;
  EXPECT_EQ(r.queries_completed, 4u);
  EXPECT_EQ(r.samples_completed, 400u);
  // All four are scheduled at the start: the last waits for the three before it.
  EXPECT_GE(r.latencies.max(), 400'000);
  EXPECT_LE(r.samples_per_second, 1.01 * 400 / 400e-6);  // 400 samples in >= 4 x 100 us
  EXPECT_GT(r.samples_per_second, 0.3 * 400 / 400e-6);
}

// A SUT at twice its capacity: queries go out later and later, and because latency counts
// from the scheduled time the backlog shows up in full (with coordinated omission, every
// latency would read 200 us). Three times the run, about three times the p99. (The bounds are
// one-sided where a busy machine could only add latency.)
TEST(LoadgenScenarios, ServerAboveCapacityIsInvalidAndItsLatencyGrows) {
  SpinSut sut(200us);  // capacity 5,000 queries/s
  NoOpQuerySampleLibrary qsl;
  TestSettings settings = quick(Scenario::server);
  settings.target_qps = 10'000;
  settings.latency_bound = 0.001;
  settings.min_queries = 100;
  settings.min_duration = 0.05;
  const ScenarioResult shorter = run_scenario(sut, qsl, settings);
  settings.min_duration = 0.15;
  const ScenarioResult longer = run_scenario(sut, qsl, settings);
  for (const ScenarioResult* r : {&shorter, &longer}) {
    EXPECT_FALSE(r->valid);
    EXPECT_TRUE(mentions(r->invalid_reason, "exceeds the bound")) << r->invalid_reason;
    EXPECT_EQ(r->queries_completed, r->queries_scheduled);
    EXPECT_LT(r->achieved_qps, 5100);  // never above capacity
    EXPECT_GT(r->issue_delays.percentile(0.99), 10e6);  // the issuer itself fell behind
  }
  // The 99th percentile query of ~N is served at ~0.99 N x 200 us but was scheduled at
  // ~0.99 N x 100 us: ~50 ms late after 0.05 s of schedule, ~150 ms after 0.15 s.
  EXPECT_GT(shorter.percentile_latency, 0.035);
  EXPECT_GT(longer.percentile_latency, 0.110);
  EXPECT_GT(longer.percentile_latency, 1.3 * shorter.percentile_latency);
}

TEST(LoadgenScenarios, TooFewQueriesForThePercentileIsInvalid) {
  NoOpSystemUnderTest sut;
  NoOpQuerySampleLibrary qsl;
  TestSettings settings = quick(Scenario::single_stream);
  settings.min_queries = 10;
  settings.min_duration = 0;
  const ScenarioResult r = run_scenario(sut, qsl, settings);
  EXPECT_EQ(r.queries_completed, 10u);
  EXPECT_FALSE(r.valid);
  EXPECT_TRUE(mentions(r.invalid_reason, "at least 64")) << r.invalid_reason;
  EXPECT_EQ(r.early_stopping_min_queries, 64u);
}

TEST(LoadgenScenarios, CompletionsFromAnotherThread) {
  WorkerSut sut(20us);
  NoOpQuerySampleLibrary qsl;
  TestSettings settings = quick(Scenario::server);
  settings.target_qps = 10'000;
  settings.latency_bound = 0.05;
  const ScenarioResult server = run_scenario(sut, qsl, settings);
  EXPECT_TRUE(server.valid) << server.invalid_reason;
  EXPECT_EQ(server.queries_completed, server.queries_scheduled);
  EXPECT_EQ(server.completion_errors, 0u);
  EXPECT_GE(server.latencies.min(), 20'000);

  const ScenarioResult multi = run_scenario(sut, qsl, quick(Scenario::multi_stream));
  EXPECT_TRUE(multi.valid) << multi.invalid_reason;
  EXPECT_EQ(multi.samples_completed, 8 * multi.queries_completed);
  EXPECT_GE(multi.latencies.min(), 20'000);
}

TEST(LoadgenScenarios, QueriesNeverCompletedMakeTheRunInvalid) {
  SilentSut sut;
  NoOpQuerySampleLibrary qsl;
  TestSettings settings = quick(Scenario::single_stream);
  settings.min_duration = 0;
  settings.max_duration = 0.05;
  const ScenarioResult r = run_scenario(sut, qsl, settings);
  EXPECT_EQ(r.queries_issued, 1u);
  EXPECT_EQ(r.queries_completed, 0u);
  EXPECT_FALSE(r.valid);
  EXPECT_TRUE(mentions(r.invalid_reason, "outstanding")) << r.invalid_reason;
}

TEST(LoadgenScenarios, CompletionsAfterTheRunEndedAreHarmless) {
  SilentSut sut;
  NoOpQuerySampleLibrary qsl;
  TestSettings settings = quick(Scenario::server);
  settings.target_qps = 1000;
  settings.min_queries = 5;
  settings.min_duration = 0;
  settings.max_duration = 0.05;
  const ScenarioResult r = run_scenario(sut, qsl, settings);
  EXPECT_FALSE(r.valid);
  EXPECT_EQ(r.queries_completed, 0u);
  ASSERT_FALSE(sut.held.empty());
  // The run is over; its completer must still accept (and ignore) these. ASan would catch a
  // use after free here.
  for (const auto& [id, completer] : sut.held) completer->complete(id);
}

TEST(LoadgenScenarios, RepeatedCompletionsAreErrors) {
  TwiceSut sut;
  NoOpQuerySampleLibrary qsl;
  TestSettings settings = quick(Scenario::single_stream);
  settings.min_queries = 100;
  settings.min_duration = 0;
  const ScenarioResult r = run_scenario(sut, qsl, settings);
  EXPECT_EQ(r.queries_completed, 100u);
  EXPECT_EQ(r.completion_errors, 100u);
  EXPECT_FALSE(r.valid);
  EXPECT_TRUE(mentions(r.invalid_reason, "already completed")) << r.invalid_reason;
}

TEST(LoadgenScenarios, SameSeedSameQueries) {
  TestSettings settings = quick(Scenario::server);
  settings.target_qps = 20'000;
  settings.min_queries = 200;
  settings.min_duration = 0;
  settings.samples_per_query = 3;
  RecordingQsl qsl(100'000, 1000);
  RecordingSut first, second, other;
  const ScenarioResult a = run_scenario(first, qsl, settings);
  const std::vector<SampleIndex> loaded = qsl.loaded;
  const ScenarioResult b = run_scenario(second, qsl, settings);
  EXPECT_EQ(qsl.loaded, loaded);
  EXPECT_EQ(a.queries_scheduled, b.queries_scheduled);
  EXPECT_EQ(a.schedule_span, b.schedule_span);
  EXPECT_EQ(first.queries, second.queries);
  settings.seed += 1;
  run_scenario(other, qsl, settings);
  EXPECT_NE(first.queries, other.queries);
  EXPECT_NE(qsl.loaded, loaded);
}

TEST(LoadgenScenarios, QueriesUseOnlyTheLoadedSamples) {
  RecordingSut sut;
  RecordingQsl qsl(10'000, 100);
  TestSettings settings = quick(Scenario::multi_stream);
  settings.min_duration = 0;
  run_scenario(sut, qsl, settings);
  ASSERT_EQ(qsl.loaded.size(), 100u);
  EXPECT_EQ(std::set<SampleIndex>(qsl.loaded.begin(), qsl.loaded.end()).size(), 100u);
  EXPECT_EQ(qsl.unloaded, qsl.loaded);
  const std::set<SampleIndex> loaded(qsl.loaded.begin(), qsl.loaded.end());
  for (const auto& query : sut.queries) {
    ASSERT_EQ(query.size(), 8u);
    for (SampleIndex sample : query) ASSERT_TRUE(loaded.contains(sample)) << sample;
  }
}

TEST(LoadgenScenarios, BadInputIsRejectedBeforeAnythingRuns) {
  NoOpSystemUnderTest sut;
  NoOpQuerySampleLibrary qsl;
  TestSettings settings = quick(Scenario::server);
  settings.target_qps = 0;
  EXPECT_THROW(run_scenario(sut, qsl, settings), std::invalid_argument);
  settings = quick(Scenario::server);
  settings.latency_bound = -1;
  EXPECT_THROW(run_scenario(sut, qsl, settings), std::invalid_argument);
  NoOpQuerySampleLibrary empty(0, 0);
  EXPECT_THROW(run_scenario(sut, empty, quick(Scenario::single_stream)), std::invalid_argument);
}

TEST(LoadgenScenarios, ResultJsonCarriesTheVerdictAndTheHistograms) {
  NoOpSystemUnderTest sut;
  NoOpQuerySampleLibrary qsl;
  TestSettings settings = quick(Scenario::single_stream);
  settings.min_duration = 0.01;
  const ScenarioResult r = run_scenario(sut, qsl, settings);
  const nlohmann::json json = to_json(r);
  EXPECT_EQ(json["scenario"], "single_stream");
  EXPECT_EQ(json["sut"], "no-op");
  EXPECT_EQ(json["valid"], r.valid);
  EXPECT_EQ(json["metric"]["name"], "p90_latency");
  EXPECT_EQ(json["queries_completed"], r.queries_completed);
  EXPECT_EQ(latency_histogram_from_json(json["latencies"]), r.latencies);
}

}  // namespace
}  // namespace sciperf::loadgen
