// One training case on one rank: a model of the zoo trained data-parallel over MPI. A timed
// operation is one optimizer step on this rank's slice of the global batch; the step's
// phases (data, forward, backward, exposed communication, optimizer) are timed inside it.
#pragma once

#include "harness/suite.h"
#include "kernels/models/data.h"
#include "kernels/models/model.h"
#include "kernels/models/task.h"
#include "suites/training/gradient_buckets.h"
#include "suites/training/mllog.h"

#include <torch/torch.h>

#include <memory>
#include <optional>
#include <string>

namespace sciperf::suites::training {

struct TrainingSettings {
  models::ModelOptions model;
  models::DataMode data = models::DataMode::science;
  std::int64_t batch = 64;  // per rank
  bool bf16 = false;
  std::string optimizer = "adamw";
  double learning_rate = 1e-3;
  std::int64_t bucket_bytes = 25 << 20;
  bool overlap = true;
  std::string allreduce = "mpi";
  bool to_target = true;  // train to the task's target first (science data only)
  std::int64_t max_steps = 2000;
  std::int64_t eval_every = 25;
  std::int64_t eval_samples = 512;
  bool mllog = false;
  std::string device = "cpu";
};

// The phases of the steps timed so far, summed, in seconds.
struct StepPhases {
  double data = 0, forward = 0, backward = 0, comm_exposed = 0, optimizer = 0;
};

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::string& name, std::vector<torch::Tensor> parameters,
                                                        double learning_rate);

// Samples [first, first + count) of the global batch of `step` that `rank` trains on: rank r
// takes the r-th slice, so the ranks together cover exactly what one process would.
std::int64_t first_sample(std::int64_t step, std::int64_t batch, int rank, int size);

class TrainingCase : public CaseInstance {
 public:
  TrainingCase(TrainingSettings settings, const CaseContext& context);

  void run_once() override;
  void wait() override;
  Validation validate() override;
  std::vector<Metric> derived_metrics(double seconds_per_op) const override;
  void begin_repetition() override;
  std::vector<Metric> end_repetition(std::int64_t operations) override;
  nlohmann::json details() const override;

 private:
  Validation check_before_timing();
  Validation check_after_timing();
  Validation check_data_parallel_gradients();
  bool train_to_target();
  double held_out_loss(double* quality);
  double time_single_rank_steps();
  double time_standalone_allreduce();

  TrainingSettings settings_;
  CaseContext context_;
  torch::Device device_;
  std::shared_ptr<models::Model> model_;
  std::unique_ptr<models::Dataset> data_;
  models::Task task_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  std::unique_ptr<GradientBuckets> buckets_;
  std::vector<models::Batch> pool_;  // the timed steps cycle through these (no generator in the loop)
  models::Batch held_out_;
  std::size_t next_batch_ = 0;
  StepPhases phases_;
  torch::Tensor last_loss_;
  bool checked_before_ = false;
  double single_rank_samples_per_s_ = 0;
  double comm_standalone_s_ = 0;
  std::optional<double> time_to_target_s_;
  std::int64_t steps_to_target_ = 0;
  nlohmann::json loss_curve_ = nlohmann::json::array();  // [step, train loss, held-out loss, quality]
  MlLog mllog_;
};

}  // namespace sciperf::suites::training
