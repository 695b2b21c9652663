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
  // Activation values the same layers read (their input) and write (their output) per sample
  // in one forward pass, each once; norms, activation functions, pooling and additions are not
  // counted, as for FLOPs.
  virtual double forward_activations_per_sample() const = 0;
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

// Estimated memory traffic of one forward pass per sample, for the arithmetic intensity
// (FLOP/byte) that places a workload on the roofline. A simple model: the parameters are read
// once per batch (so a sample pays parameters / batch) and the counted layers read and write
// their activations once per sample (forward_activations_per_sample), at 4 bytes a value
// whatever the precision. Caches make real DRAM traffic lower (weights re-read within a
// batch, small activations that stay in cache), unfused elementwise layers make it higher.
// `batch`: samples per forward pass (a mean is fine; below 1 counts as 1).
double forward_bytes_per_sample(const Model& model, double batch);

}  // namespace sciperf::models
