// A plain single-process training loop: the inference and compression suites need a trained
// model (the training suite has its own data-parallel loop).
#pragma once

#include "kernels/models/data.h"
#include "kernels/models/model.h"
#include "kernels/models/task.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sciperf::models {

struct FitOptions {
  std::string optimizer = "adamw";  // "adamw" (weight decay 0.01) | "sgd" (momentum 0.9)
  double learning_rate = 1e-3;
  std::int64_t batch_size = 64;
  std::int64_t max_steps = 2000;
  std::int64_t eval_every = 50;     // steps between held-out evaluations (also after the last step); 0 = only at the end
  std::int64_t eval_samples = 512;  // the first eval_samples held-out samples
};

struct FitResult {
  std::int64_t steps;            // steps taken
  double final_loss;             // training loss of the last step
  double held_out_loss;          // at the last evaluation
  double held_out_quality;       // the task's quality metric at the last evaluation
  bool reached_target;           // held-out loss <= task.target_loss (training stops there)
  std::vector<double> loss_curve;  // training loss of every step
};

// Trains `model` in place on `data` (step s uses samples [(s-1) × batch, s × batch)), on the
// device its parameters are on, until the held-out loss reaches task.target_loss or max_steps.
// std::invalid_argument for an unknown optimizer or non-positive sizes.
FitResult fit(Model& model, const Dataset& data, const Task& task, const FitOptions& options);

}  // namespace sciperf::models
