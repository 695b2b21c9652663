#include "kernels/models/fit.h"

#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include <memory>
#include <stdexcept>

namespace sciperf::models {
namespace {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(Model& model, const FitOptions& options) {
  if (options.optimizer == "adamw")
    return std::make_unique<torch::optim::AdamW>(model.parameters(),
                                                 torch::optim::AdamWOptions(options.learning_rate).weight_decay(0.01));
  if (options.optimizer == "sgd")
    return std::make_unique<torch::optim::SGD>(model.parameters(),
                                               torch::optim::SGDOptions(options.learning_rate).momentum(0.9));
  throw std::invalid_argument("optimizer: unknown '" + options.optimizer + "' (expected adamw, sgd)");
}

void check(const FitOptions& options) {
  auto positive = [](const char* key, double value) {
    if (!(value > 0)) throw std::invalid_argument(std::string(key) + ": must be positive (got " + std::to_string(value) + ")");
  };
  positive("learning_rate", options.learning_rate);
  positive("batch_size", static_cast<double>(options.batch_size));
  positive("eval_samples", static_cast<double>(options.eval_samples));
  if (options.max_steps < 0) throw std::invalid_argument("max_steps: must be >= 0");
  if (options.eval_every < 0) throw std::invalid_argument("eval_every: must be >= 0");
}

// Held-out loss (mean over samples) and quality, evaluated in chunks of at most `chunk` samples.
std::pair<double, double> evaluate(Model& model, const Batch& held, const Task& task, std::int64_t chunk) {
  torch::NoGradGuard no_grad;
  const std::int64_t count = held.input.size(0);
  std::vector<torch::Tensor> outputs;
  for (std::int64_t first = 0; first < count; first += chunk)
    outputs.push_back(model.forward(held.input.narrow(0, first, std::min(chunk, count - first))));
  const torch::Tensor output = torch::cat(outputs, 0);
  return {loss(task.kind, output, held.target).item<double>(), quality(task.kind, output, held.target)};
}

}  // namespace

FitResult fit(Model& model, const Dataset& data, const Task& task, const FitOptions& options) {
  check(options);
  const auto parameters = model.parameters();
  const torch::Device device = parameters.empty() ? torch::Device(torch::kCPU) : parameters.front().device();
  auto optimizer = make_optimizer(model, options);
  Batch held = held_out(data, options.eval_samples);
  held = {held.input.to(device), held.target.to(device)};
  const std::int64_t chunk = std::max<std::int64_t>(options.batch_size, 256);

  FitResult result{0, 0.0, 0.0, 0.0, false, {}};
  result.loss_curve.reserve(static_cast<std::size_t>(options.max_steps));
  model.train();
  for (std::int64_t step = 1; step <= options.max_steps; ++step) {
    const Batch batch = data.batch((step - 1) * options.batch_size, options.batch_size);
    optimizer->zero_grad();
    const torch::Tensor value = loss(task.kind, model.forward(batch.input.to(device)), batch.target.to(device));
    value.backward();
    optimizer->step();
    result.steps = step;
    result.final_loss = value.item<double>();
    result.loss_curve.push_back(result.final_loss);
    const bool last = step == options.max_steps;
    if (last || (options.eval_every > 0 && step % options.eval_every == 0)) {
      std::tie(result.held_out_loss, result.held_out_quality) = evaluate(model, held, task, chunk);
      if (result.held_out_loss <= task.target_loss) {
        result.reached_target = true;
        break;
      }
    }
  }
  if (options.max_steps == 0) std::tie(result.held_out_loss, result.held_out_quality) = evaluate(model, held, task, chunk);
  result.reached_target = result.held_out_loss <= task.target_loss;
  return result;
}

}  // namespace sciperf::models
