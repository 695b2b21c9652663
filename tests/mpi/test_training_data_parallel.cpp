// Data-parallel training must be the same computation as one process on the whole global
// batch: the gradient buckets average exactly, with and without overlap, on every all-reduce
// backend; several steps of 2-rank training match 1-process training on the concatenated
// batch; and the training case's own checks pass and leave every rank with the same model.
#include "kernels/models/data.h"
#include "kernels/models/model.h"
#include "kernels/models/task.h"
#include "suites/training/gradient_buckets.h"
#include "suites/training/training_case.h"

#include <gtest/gtest.h>
#include <mpi.h>
#include <torch/torch.h>

#include <string>
#include <tuple>

namespace sciperf::suites::training {
namespace {

CaseContext world() {
  CaseContext context{MPI_COMM_WORLD, 0, 1, 1, 1, 0};
  MPI_Comm_rank(MPI_COMM_WORLD, &context.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &context.size);
  context.ranks_per_node = context.size;
  return context;
}

// Training on 2 cores with 3 ranks is ~100x slower: the heavier tests run at 1 and 2 ranks.
bool oversubscribed() { return world().size > 2; }

using BucketVariant = std::tuple<std::string, bool>;

class GradientBucketsAverage : public ::testing::TestWithParam<BucketVariant> {};

// Parameters of several sizes, a bucket smaller than most (several buckets, one parameter
// larger than a bucket), and a loss whose gradient on rank r is (r + 1) * c: the average over
// ranks is c * (size + 1) / 2, exactly representable.
TEST_P(GradientBucketsAverage, EveryParameterGetsTheMeanOverRanks) {
  const auto& [backend, overlap] = GetParam();
  const CaseContext context = world();
  torch::manual_seed(7);
  std::vector<torch::Tensor> parameters;
  for (std::int64_t n : {3, 300, 1, 700, 33}) parameters.push_back(torch::zeros({n}, torch::requires_grad()));
  GradientBuckets buckets(parameters, 256 * sizeof(float), backend, overlap, MPI_COMM_WORLD);
  if (context.size > 1) EXPECT_GE(buckets.bucket_count(), 3u);
  std::vector<torch::Tensor> coefficients;
  torch::Tensor loss = torch::zeros({});
  for (const torch::Tensor& p : parameters) {
    coefficients.push_back(torch::arange(p.numel(), torch::kFloat32).remainder(5) + 1);
    loss = loss + (p * coefficients.back() * static_cast<float>(context.rank + 1)).sum();
  }
  buckets.begin_step();
  loss.backward();
  buckets.finish_step();
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const torch::Tensor expected = coefficients[i] * (context.size + 1) / 2.0f;
    EXPECT_TRUE(torch::equal(parameters[i].grad(), expected)) << "parameter " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, GradientBucketsAverage,
                         ::testing::Combine(::testing::Values("mpi", "ring", "rabenseifner", "recursive_doubling",
                                                              "binary_tree"),
                                            ::testing::Bool()));

TEST(GradientBuckets, RejectsAnUnknownBackendAndAnEmptyBucket) {
  std::vector<torch::Tensor> parameters{torch::zeros({4}, torch::requires_grad())};
  EXPECT_THROW(GradientBuckets(parameters, 1024, "carrier_pigeon", false, MPI_COMM_WORLD), std::invalid_argument);
  EXPECT_THROW(GradientBuckets(parameters, 0, "mpi", false, MPI_COMM_WORLD), std::invalid_argument);
}

// nccl keeps its buckets on the model's GPU: CPU parameters are refused before anything
// collective, with the reason the suite's skip rule gives.
TEST(GradientBuckets, RefusesNcclForParametersOnTheCpu) {
  std::vector<torch::Tensor> parameters{torch::zeros({4}, torch::requires_grad())};
  try {
    GradientBuckets buckets(parameters, 1024, "nccl", true, MPI_COMM_WORLD);
    ADD_FAILURE() << "nccl accepted CPU parameters";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "allreduce nccl needs device: cuda");
  }
  EXPECT_EQ(allreduce_unavailable_reason("nccl", "cpu"), "allreduce nccl needs device: cuda");
  EXPECT_EQ(allreduce_unavailable_reason("ring", "cpu"), std::nullopt);
}

// Five SGD steps: every rank trains on its slice with averaged gradients; every rank also
// trains a second copy alone on the whole global batch. The two must agree.
TEST(DataParallelTraining, MatchesOneProcessOnTheConcatenatedBatch) {
  if (oversubscribed()) GTEST_SKIP() << "3 ranks on 2 cores";
  torch::set_num_threads(1);
  const CaseContext context = world();
  const models::ModelOptions options{"mlp", "tiny"};
  const auto data = models::make_dataset(options, models::DataMode::science, 3);
  const models::Task task = models::task_for(options);
  auto parallel = models::make_model(options);
  auto single = models::make_model(options);
  auto parallel_optimizer = make_optimizer("sgd", parallel->parameters(), 0.05);
  auto single_optimizer = make_optimizer("sgd", single->parameters(), 0.05);
  GradientBuckets buckets(parallel->parameters(), 64 << 10, "mpi", true, MPI_COMM_WORLD);
  constexpr std::int64_t kBatch = 16;
  for (std::int64_t step = 0; step < 5; ++step) {
    const models::Batch slice = data->batch(first_sample(step, kBatch, context.rank, context.size), kBatch);
    parallel_optimizer->zero_grad();
    buckets.begin_step();
    models::loss(task.kind, parallel->forward(slice.input), slice.target).backward();
    buckets.finish_step();
    parallel_optimizer->step();

    const models::Batch whole = data->batch(first_sample(step, kBatch, 0, context.size), kBatch * context.size);
    single_optimizer->zero_grad();
    models::loss(task.kind, single->forward(whole.input), whole.target).backward();
    single_optimizer->step();
  }
  const auto a = parallel->parameters();
  const auto b = single->parameters();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(torch::allclose(a[i], b[i], 1e-4, 1e-6)) << "parameter " << i << " max difference "
                                                          << (a[i] - b[i]).abs().max().item<double>();
}

TEST(TrainingCase, ChecksPassAndEveryRankEndsWithTheSameModel) {
  if (oversubscribed()) GTEST_SKIP() << "3 ranks on 2 cores";
  TrainingSettings settings;
  settings.model = {"mlp", "tiny"};
  settings.batch = 16;
  settings.max_steps = 400;
  TrainingCase training(settings, world());
  const Validation before = training.validate();
  ASSERT_TRUE(before.passed) << before.detail;
  EXPECT_GT(before.checked, 0u);
  training.begin_repetition();
  for (int i = 0; i < 3; ++i) training.run_once();
  training.wait();
  const auto phases = training.end_repetition(3);
  EXPECT_FALSE(phases.empty());
  for (const Metric& metric : phases) EXPECT_GE(metric.value, 0.0) << metric.name;
  const Validation after = training.validate();
  EXPECT_TRUE(after.passed) << after.detail;
  const auto metrics = training.derived_metrics(0.01);
  const auto named = [&](const std::string& name) {
    for (const Metric& m : metrics)
      if (m.name == name) return m.value;
    return -1.0;
  };
  EXPECT_GT(named("time_to_target"), 0.0);
  EXPECT_GT(named("scaling_efficiency"), 0.0);
  EXPECT_DOUBLE_EQ(named("samples_per_s"), 16.0 * world().size / 0.01);
}

// MLPerf's rule: a run that does not reach the quality target is failed, never reported fast.
TEST(TrainingCase, MissingTheTargetFailsTheCase) {
  if (oversubscribed()) GTEST_SKIP() << "3 ranks on 2 cores";
  TrainingSettings settings;
  settings.model = {"mlp", "tiny"};
  settings.batch = 8;
  settings.max_steps = 2;
  settings.eval_every = 1;
  TrainingCase training(settings, world());
  const Validation before = training.validate();
  EXPECT_FALSE(before.passed);
  EXPECT_NE(before.detail.find("did not reach the target held-out loss"), std::string::npos) << before.detail;
  EXPECT_TRUE(training.details().at("loss_curve").size() == 2u);
}

}  // namespace
}  // namespace sciperf::suites::training
