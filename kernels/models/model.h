// The models the training, inference and compression suites run: the seed MLP, a small
// ResNet-style CNN, a U-Net-style surrogate for 2D fields and a transformer encoder. Their
// preset dimensions are tabled in options.h; their data and tasks are in data.h and task.h.
#pragma once

#include "kernels/models/options.h"

#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sciperf::models {

class Model : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& input) = 0;   // batch-first
  virtual std::vector<std::int64_t> sample_shape() const = 0;      // one input sample's shape
  virtual double forward_flops_per_sample() const = 0;             // multiply-add = 2 FLOPs; matmuls and convolutions only
  virtual std::string describe() const = 0;                        // e.g. "mlp 784-256-128-10 (235,146 parameters)"
};

// Builds the model `options` names with deterministic parameters: every weight and bias is drawn
// from a stream of (options.seed, parameter name), uniform in ±1/sqrt(fan_in) (LibTorch's default
// distribution for Linear and Conv layers), norm scales 1 and shifts 0. The same seed gives the
// same parameters on every rank, device and LibTorch version. No dropout and no batch
// statistics (GroupNorm, not BatchNorm): a sample's output never depends on the rest of its batch,
// so data-parallel training on split batches matches one process on the whole batch.
// std::invalid_argument naming the bad key and value (see resolve_shape).
std::shared_ptr<Model> make_model(const ModelOptions& options);

// Number of scalar parameters of `module` (all of them, trainable or not; buffers excluded).
std::int64_t parameter_count(const torch::nn::Module& module);

}  // namespace sciperf::models
