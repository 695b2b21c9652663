// Tasks, losses, quality metrics and the plain training loop: every model learns its task.
#include "kernels/models/fit.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <numeric>
#include <stdexcept>

namespace sciperf::models {
namespace {

class ModelsTraining : public ::testing::Test {
 protected:
  void SetUp() override { torch::set_num_threads(1); }
};

ModelOptions options(const std::string& name) {
  ModelOptions o;
  o.name = name;
  return o;
}

double mean_of(const std::vector<double>& values, std::size_t first, std::size_t count) {
  return std::accumulate(values.begin() + static_cast<std::ptrdiff_t>(first),
                         values.begin() + static_cast<std::ptrdiff_t>(first + count), 0.0) /
         static_cast<double>(count);
}

TEST_F(ModelsTraining, TasksAreDocumentedForEveryModelAndSize) {
  for (const auto& name : model_names())
    for (const auto& size : size_names()) {
      ModelOptions o = options(name);
      o.size = size;
      const Task task = task_for(o);
      EXPECT_GT(task.target_loss, 0.0);
      EXPECT_FALSE(task.description.empty());
      EXPECT_EQ(task.kind, make_dataset(o, DataMode::science, 1)->kind());
      EXPECT_EQ(task.quality_metric, task.kind == TaskKind::classification ? "accuracy" : "relative_l2");
    }
  EXPECT_THROW(task_for(options("foo")), std::invalid_argument);
}

TEST_F(ModelsTraining, LossAndQualityFollowTheirDefinitions) {
  const torch::Tensor logits = torch::tensor({{2.0f, 0.0f}, {0.0f, 1.0f}, {3.0f, 0.0f}});
  const torch::Tensor classes = torch::tensor({0, 1, 1}, torch::kInt64);
  const double expected_ce =
      (std::log(1 + std::exp(-2.0)) + std::log(1 + std::exp(-1.0)) + std::log(1 + std::exp(3.0))) / 3.0;
  EXPECT_NEAR(loss(TaskKind::classification, logits, classes).item<double>(), expected_ce, 1e-6);
  EXPECT_NEAR(quality(TaskKind::classification, logits, classes), 2.0 / 3.0, 1e-12);

  const torch::Tensor target = torch::tensor({{3.0f, 4.0f}, {1.0f, 0.0f}});
  const torch::Tensor output = torch::tensor({{3.0f, 4.0f}, {1.0f, 1.0f}});
  EXPECT_NEAR(loss(TaskKind::regression, output, target).item<double>(), 0.25, 1e-7);
  // Per-sample relative L2 errors 0 and 1, averaged.
  EXPECT_NEAR(quality(TaskKind::regression, output, target), 0.5, 1e-12);
}

TEST_F(ModelsTraining, EachModelsLossFallsAtTinySize) {
  // Steps at batch 32: the MLP sits on a plateau for its first ~40 steps; the others are dearer.
  const std::vector<std::pair<std::string, std::int64_t>> steps{{"mlp", 80}, {"resnet", 40}, {"unet", 30}, {"transformer", 40}};
  for (const auto& [name, count] : steps) {
    SCOPED_TRACE(name);
    FitOptions fit_options;
    fit_options.batch_size = 32;
    fit_options.max_steps = count;
    fit_options.eval_every = 0;
    fit_options.eval_samples = 64;
    const auto model = make_model(options(name));
    const auto data = make_dataset(options(name), DataMode::science, 1);
    Task task = task_for(options(name));
    task.target_loss = 0.0;  // train all the steps
    const FitResult result = fit(*model, *data, task, fit_options);
    ASSERT_EQ(result.loss_curve.size(), static_cast<std::size_t>(count));
    EXPECT_EQ(result.steps, count);
    const double start = mean_of(result.loss_curve, 0, 5);
    const double end = mean_of(result.loss_curve, static_cast<std::size_t>(count) - 5, 5);
    EXPECT_LT(end, 0.8 * start) << "loss " << start << " -> " << end;
  }
}

TEST_F(ModelsTraining, FitReachesTheTargetForTheSeedMlp) {
  const auto model = make_model(options("mlp"));
  const auto data = make_dataset(options("mlp"), DataMode::science, 1);
  const Task task = task_for(options("mlp"));
  const FitResult result = fit(*model, *data, task, FitOptions{});
  EXPECT_TRUE(result.reached_target);
  EXPECT_LE(result.held_out_loss, task.target_loss);
  EXPECT_LE(result.steps, 300);
  EXPECT_EQ(result.steps % 50, 0);  // stops at the evaluation that reached it
  EXPECT_GT(result.held_out_quality, 0.9);
  EXPECT_EQ(result.loss_curve.size(), static_cast<std::size_t>(result.steps));
}

TEST_F(ModelsTraining, SgdAlsoTrains) {
  FitOptions fit_options;
  fit_options.optimizer = "sgd";
  fit_options.learning_rate = 0.1;
  fit_options.batch_size = 32;
  fit_options.max_steps = 60;
  fit_options.eval_every = 0;
  fit_options.eval_samples = 64;
  const auto model = make_model(options("mlp"));
  const auto data = make_dataset(options("mlp"), DataMode::science, 1);
  const FitResult result = fit(*model, *data, task_for(options("mlp")), fit_options);
  EXPECT_LT(mean_of(result.loss_curve, 55, 5), 0.8 * mean_of(result.loss_curve, 0, 5));
}

TEST_F(ModelsTraining, FitRejectsBadOptions) {
  const auto model = make_model(options("mlp"));
  const auto data = make_dataset(options("mlp"), DataMode::science, 1);
  const Task task = task_for(options("mlp"));
  FitOptions bad;
  bad.optimizer = "lbfgs";
  EXPECT_THROW(fit(*model, *data, task, bad), std::invalid_argument);
  bad = FitOptions{};
  bad.batch_size = 0;
  EXPECT_THROW(fit(*model, *data, task, bad), std::invalid_argument);
}

}  // namespace
}  // namespace sciperf::models
