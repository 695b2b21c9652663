#include "kernels/models/task.h"

#include <torch/nn/functional/loss.h>

#include <stdexcept>

namespace sciperf::models {
namespace {

// Held-out loss targets (loss on the first 512 held-out samples), the same for every size of a
// model: the data do not change with size except the 2D grid (32 tiny, 64 small/base) and the
// transformer's seq_len, and the losses are on the same scale. Measured at tiny size: fit() with
// its defaults (AdamW, lr 1e-3, batch 64, evaluation every 50 steps) on 1 CPU thread, seeds 1-5
// (unet 1-10), thread CPU time until the evaluation that reached the target:
//
// | model       | target | identity / chance loss | steps to target | CPU seconds |
// |-------------|--------|------------------------|-----------------|-------------|
// | mlp         | 0.25   | ln 10 = 2.30           | 100             | 0.25-0.32   |
// | resnet      | 0.40   | ln 4 = 1.39            | 150-200         | 1.6-2.3     |
// | unet        | 0.05   | 0.25 (output = input)  | 50              | 2.1-2.3     |
// | transformer | 0.50   | ln 5 = 1.61            | 100             | 1.3-1.5     |
constexpr double kMlpTarget = 0.25, kResNetTarget = 0.40, kUNetTarget = 0.05, kTransformerTarget = 0.50;

}  // namespace

Task task_for(const ModelOptions& model) {
  const ModelShape shape = resolve_shape(model);
  if (std::holds_alternative<MlpShape>(shape))
    return {"spectral-bands", TaskKind::classification, "accuracy", kMlpTarget,
            "classify which of 10 frequency bands holds the dominant tone of a noisy 784-sample signal"};
  if (std::holds_alternative<ResNetShape>(shape))
    return {"power-spectrum-slope", TaskKind::classification, "accuracy", kResNetTarget,
            "classify the power-spectrum slope (P ~ k^-1..k^-4) of a 2D Gaussian random field"};
  if (std::holds_alternative<UNetShape>(shape))
    return {"advection-diffusion", TaskKind::regression, "relative_l2", kUNetTarget,
            "predict a periodic 2D field after a fixed time of advection and diffusion (surrogate of the solver)"};
  return {"light-curves", TaskKind::classification, "accuracy", kTransformerTarget,
          "classify which of 5 families (periodic, eclipsing, transient, red noise, constant) made a noisy series"};
}

torch::Tensor loss(TaskKind kind, const torch::Tensor& output, const torch::Tensor& target) {
  namespace F = torch::nn::functional;
  if (kind == TaskKind::classification) return F::cross_entropy(output, target);
  return F::mse_loss(output, target);
}

double quality(TaskKind kind, const torch::Tensor& output, const torch::Tensor& target) {
  torch::NoGradGuard no_grad;
  if (kind == TaskKind::classification)
    return output.argmax(1).eq(target).to(torch::kFloat64).mean().item<double>();
  const torch::Tensor out = output.detach().to(torch::kFloat64).reshape({output.size(0), -1});
  const torch::Tensor want = target.detach().to(torch::kFloat64).reshape({target.size(0), -1});
  return ((out - want).norm(2, 1) / want.norm(2, 1)).mean().item<double>();
}

}  // namespace sciperf::models
