// What "learned" means for each model: its loss, its quality metric and the held-out loss that
// counts as reaching the target (time-to-target).
#pragma once

#include "kernels/models/data.h"

#include <string>

namespace sciperf::models {

struct Task {
  std::string name;
  TaskKind kind;
  std::string quality_metric;  // "accuracy" | "relative_l2"
  double target_loss;          // held-out loss that counts as trained; documented per model + size in task.cpp
  std::string description;
};

// The science task `model` trains on (validated as make_model validates).
Task task_for(const ModelOptions& model);

// Cross-entropy of logits (N × classes) against int64 classes (N) | mean squared error.
torch::Tensor loss(TaskKind kind, const torch::Tensor& output, const torch::Tensor& target);

// Accuracy in [0, 1] (argmax of the logits) | relative L2 error: the mean over samples of
// ||output_i - target_i||_2 / ||target_i||_2 (0 is perfect; lower is better).
double quality(TaskKind kind, const torch::Tensor& output, const torch::Tensor& target);

}  // namespace sciperf::models
