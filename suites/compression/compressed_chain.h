// A model as a chain of Linear layers (ReLU between them: the seed MLP's form) and the
// compressed variants made from it, layer by layer. A CompressedChain holds everything the
// variant decided — rounded, quantized, pruned or factored weights, calibrated activation
// ranges — so the engines that run it (own_engine.h, torch_engine.h) and the float64
// reference that checks them (reference_forward) compute the same model.
#pragma once

#include "kernels/models/model.h"
#include "kernels/cpu/quantize.h"

#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::suites::compression {

using kernels::cpu::AffineU8;
using kernels::cpu::QuantizedWeights;

enum class Variant { dense, fp16, bf16, int8_dynamic, int8_static, prune, sparse24, low_rank };
std::string_view variant_name(Variant variant);
Variant parse_variant(std::string_view name);  // std::invalid_argument naming the text
const std::vector<std::string>& variant_names();

struct VariantSpec {
  Variant variant = Variant::dense;
  bool per_channel = true;   // int8: weight scales per output channel, or one per tensor
  double sparsity = 0.5;     // prune: fraction of each layer's weights removed, in (0, 1)
  double rank_ratio = 0.25;  // low_rank: rank = round(ratio × min(out, in)), at least 1
  std::int64_t rank = 0;     // low_rank: an explicit rank (0: use rank_ratio)
};
// Throws std::invalid_argument naming the key and value: sparsity outside (0, 1), a rank
// ratio outside (0, 1], a negative rank.
void validate(const VariantSpec& spec);

struct LinearLayer {
  std::string name;     // the module's ("fc1")
  torch::Tensor weight; // out × in, float32, contiguous
  torch::Tensor bias;   // out, float32
  bool relu = false;    // ReLU after the layer
};

// The model's Linear layers in order, copied out; nullopt when the model is not a chain of
// Linear layers (convolutions, attention), which the compressed variants do not cover yet.
std::optional<std::vector<LinearLayer>> linear_chain(models::Model& model, const models::ModelOptions& options);

struct CompressedLayer {
  std::string name;
  bool relu = false;
  torch::Tensor bias;    // float32 (fp16: rounded to fp16 and back)
  torch::Tensor weight;  // float32 out × in: the weight the variant computes with (rounded,
                         // dequantized, pruned); low_rank: up · down
  torch::Tensor down, up;                // low_rank: rank × in and out × rank, float32
  QuantizedWeights quantized;            // int8 variants
  std::optional<AffineU8> input_params;  // int8_static: the calibrated input quantization
  std::int64_t rank = 0;                 // low_rank
  std::int64_t out() const { return weight.size(0); }
  std::int64_t in() const { return weight.size(1); }
};

struct CompressedChain {
  VariantSpec spec;
  std::vector<CompressedLayer> layers;
};

// `calibration` (a batch of training inputs) sets int8_static's activation ranges; other
// variants ignore it. std::invalid_argument for a rank above a layer's min(out, in) or a
// 2:4 layer whose input width is not a multiple of 4, naming the layer.
CompressedChain compress(const std::vector<LinearLayer>& layers, const VariantSpec& spec,
                         const torch::Tensor& calibration);

// The compressed model in float64: inputs of each layer rounded or quantized as the variant
// does, products exact. Engines are checked against it.
torch::Tensor reference_forward(const CompressedChain& chain, const torch::Tensor& input);

// Fraction of zero weights over all layers (pruned variants), and the smallest rank.
double weight_sparsity(const CompressedChain& chain);

}  // namespace sciperf::suites::compression
