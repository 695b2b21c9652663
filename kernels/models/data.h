// The data each model trains and is evaluated on, made in C++ from known generating processes
// (no downloads), deterministic by seed:
//
// | model       | task (science mode)                                   | input            | target            |
// |-------------|-------------------------------------------------------|------------------|-------------------|
// | mlp         | spectral bands: which of 10 frequency bands holds the | 784 samples of a | class 0..9        |
// |             | dominant sinusoid of a noisy multi-tone signal         | signal           |                   |
// | transformer | light curves: which of 5 families (periodic, eclipsing,| seq_len samples  | class 0..4        |
// |             | transient, red noise, constant) made a noisy series    |                  |                   |
// | resnet      | power-spectrum slope: which of 4 slopes (P ∝ k^-1..-4) | 1 × grid × grid  | class 0..3        |
// |             | a Gaussian random field has                            |                  |                   |
// | unet        | advection–diffusion surrogate: the field after a fixed | 1 × grid × grid  | 1 × grid × grid   |
// |             | time, from a smooth random initial field               |                  |                   |
//
// The generating processes are specified in signals.h, fields.h and advection_diffusion.h.
// "random" mode gives inputs of the same shape with independent standard-normal values, and
// uniform random classes (or standard-normal fields) as targets: for throughput only.
#pragma once

#include "kernels/models/options.h"

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>

namespace sciperf::models {

enum class TaskKind { classification, regression };
enum class DataMode { science, random };

// input: count × sample_shape, float32. target: count int64 class indices (classification) or
// count × sample_shape float32 (regression).
struct Batch {
  torch::Tensor input, target;
};

// Training samples use indices [0, kTrainingSamples); held-out samples [kHeldOutFirst,
// kHeldOutFirst + kTrainingSamples). The two ranges never overlap, and every index gives an
// independent sample.
inline constexpr std::int64_t kTrainingSamples = std::int64_t{1} << 40;
inline constexpr std::int64_t kHeldOutFirst = kTrainingSamples;

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual TaskKind kind() const = 0;
  virtual std::string describe() const = 0;  // the generating process, in words
  // Deterministic: sample i is a pure function of (seed, i), so any rank can make any slice
  // and 2 ranks with halves of a batch see exactly the samples 1 rank sees in the whole batch.
  // std::invalid_argument unless 0 <= first_sample and first_sample + count <= 2 × 2^40.
  virtual Batch batch(std::int64_t first_sample, std::int64_t count) const = 0;
};

// The dataset for `model`'s task (validated as make_model validates), on the CPU.
std::unique_ptr<Dataset> make_dataset(const ModelOptions& model, DataMode mode, std::uint64_t seed);

// The first `count` held-out samples (indices from kHeldOutFirst).
Batch held_out(const Dataset& data, std::int64_t count);

}  // namespace sciperf::models
