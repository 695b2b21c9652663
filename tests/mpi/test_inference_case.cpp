// The inference case serves its model to the load generator on every rank at once: outputs
// pass the reference check, latencies are merged across ranks, and a run that breaks
// LoadGen's rules (here: a latency bound nothing can meet) fails the case with the reason.
#include "suites/inference/inference_case.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <map>

namespace sciperf::suites::inference {
namespace {

CaseContext world() {
  CaseContext context{MPI_COMM_WORLD, 0, 1, 1, 1, 0};
  MPI_Comm_rank(MPI_COMM_WORLD, &context.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &context.size);
  context.ranks_per_node = context.size;
  return context;
}

InferenceSettings quick(loadgen::Scenario scenario) {
  InferenceSettings settings;
  settings.model = {"mlp", "tiny"};
  settings.train = false;
  settings.samples = 128;
  settings.loadgen.scenario = scenario;
  settings.loadgen.min_duration = 0.05;
  settings.loadgen.target_qps = 500;
  return settings;
}

std::map<std::string, double> by_name(const std::vector<Metric>& metrics) {
  std::map<std::string, double> named;
  for (const Metric& m : metrics) named[m.name] = m.value;
  return named;
}

TEST(InferenceCase, SingleStreamServesValidatedOutputsAndMergesLatencies) {
  if (world().size > 2) GTEST_SKIP() << "3 ranks on 2 cores";
  InferenceCase serving(quick(loadgen::Scenario::single_stream), world());
  const Validation before = serving.validate();
  ASSERT_TRUE(before.passed) << before.detail;
  EXPECT_EQ(before.checked, 128u * 10u * static_cast<unsigned>(world().size));
  const auto metrics = by_name(serving.run_repetition());
  EXPECT_GT(metrics.at("latency_p50"), 0.0);
  EXPECT_LE(metrics.at("latency_p50"), metrics.at("latency_p90"));
  EXPECT_LE(metrics.at("latency_p90"), metrics.at("latency_p99"));
  EXPECT_GT(metrics.at("samples_per_s"), 0.0);
  // Every rank reports the same merged figures.
  double p99 = metrics.at("latency_p99"), low = p99, high = p99;
  MPI_Allreduce(MPI_IN_PLACE, &low, 1, MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD);
  MPI_Allreduce(MPI_IN_PLACE, &high, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  EXPECT_EQ(low, high);
  const Validation after = serving.validate();
  EXPECT_TRUE(after.passed) << after.detail;
}

TEST(InferenceCase, AServerRunOverItsLatencyBoundFailsWithLoadGensReason) {
  if (world().size > 2) GTEST_SKIP() << "3 ranks on 2 cores";
  InferenceSettings settings = quick(loadgen::Scenario::server);
  settings.loadgen.latency_bound = 1e-9;
  InferenceCase serving(settings, world());
  ASSERT_TRUE(serving.validate().passed);
  serving.run_repetition();
  const Validation after = serving.validate();
  EXPECT_FALSE(after.passed);
  EXPECT_NE(after.detail.find("invalid result"), std::string::npos) << after.detail;
  EXPECT_NE(after.detail.find("rank 0"), std::string::npos) << after.detail;
}

TEST(InferenceCase, TrainedModelRecordsItsHeldOutQuality) {
  if (world().size > 1) GTEST_SKIP() << "one rank is enough";
  InferenceSettings settings = quick(loadgen::Scenario::offline);
  settings.train = true;
  InferenceCase serving(settings, world());
  ASSERT_TRUE(serving.validate().passed);
  const auto metrics = by_name(serving.run_repetition());
  ASSERT_TRUE(metrics.count("held_out_accuracy"));
  EXPECT_GT(metrics.at("held_out_accuracy"), 0.5);
  EXPECT_TRUE(serving.details().at("training").at("reached_target").get<bool>());
}

}  // namespace
}  // namespace sciperf::suites::inference
