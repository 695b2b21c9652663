#include "suites/compression/compressed_chain.h"

#include "kernels/cpu/sparse.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sciperf::suites::compression {
namespace {

namespace cpu = kernels::cpu;

const std::vector<std::pair<Variant, std::string>>& variant_table() {
  static const std::vector<std::pair<Variant, std::string>> table{
      {Variant::dense, "dense"},   {Variant::fp16, "fp16"},   {Variant::bf16, "bf16"},
      {Variant::int8_dynamic, "int8_dynamic"}, {Variant::int8_static, "int8_static"},
      {Variant::prune, "prune"},   {Variant::sparse24, "sparse24"}, {Variant::low_rank, "low_rank"}};
  return table;
}

torch::Tensor from_floats(const std::vector<float>& values, std::int64_t rows, std::int64_t cols) {
  return torch::from_blob(const_cast<float*>(values.data()), {rows, cols}, torch::kFloat32).clone();
}

std::int64_t rank_of(const VariantSpec& spec, const LinearLayer& layer) {
  const std::int64_t limit = std::min(layer.weight.size(0), layer.weight.size(1));
  if (spec.rank > limit)
    throw std::invalid_argument(fmt::format("rank {} exceeds min(out, in) = {} of layer {} ({} x {})", spec.rank, limit,
                                            layer.name, layer.weight.size(0), layer.weight.size(1)));
  if (spec.rank > 0) return spec.rank;
  return std::clamp<std::int64_t>(std::llround(spec.rank_ratio * static_cast<double>(limit)), 1, limit);
}

// Truncated SVD in float64, the singular values split evenly between the factors.
void factor(const LinearLayer& layer, std::int64_t rank, CompressedLayer& out) {
  const auto [u, s, vh] = torch::linalg_svd(layer.weight.to(torch::kFloat64), /*full_matrices=*/false);
  const torch::Tensor root = s.slice(0, 0, rank).sqrt();
  out.up = (u.slice(1, 0, rank) * root.unsqueeze(0)).to(torch::kFloat32).contiguous();
  out.down = (vh.slice(0, 0, rank) * root.unsqueeze(1)).to(torch::kFloat32).contiguous();
  out.weight = out.up.matmul(out.down);
  out.rank = rank;
}

// Each layer's input range over the calibration batch, from the dense model.
std::vector<AffineU8> calibrate(const std::vector<LinearLayer>& layers, const torch::Tensor& calibration) {
  std::vector<AffineU8> params;
  torch::NoGradGuard no_grad;
  torch::Tensor x = calibration.reshape({calibration.size(0), -1}).to(torch::kFloat32);
  for (const LinearLayer& layer : layers) {
    params.push_back(cpu::u8_params(x.min().item<float>(), x.max().item<float>()));
    x = torch::linear(x, layer.weight, layer.bias);
    if (layer.relu) x = torch::relu(x);
  }
  return params;
}

CompressedLayer compress_layer(const LinearLayer& layer, const VariantSpec& spec) {
  CompressedLayer out{layer.name, layer.relu, layer.bias.clone(), layer.weight.clone()};
  const std::int64_t rows = layer.weight.size(0), cols = layer.weight.size(1);
  const float* w = layer.weight.data_ptr<float>();
  switch (spec.variant) {
    case Variant::dense: break;
    case Variant::fp16:
      out.weight = layer.weight.to(torch::kFloat16).to(torch::kFloat32);
      out.bias = layer.bias.to(torch::kFloat16).to(torch::kFloat32);
      break;
    case Variant::bf16: out.weight = layer.weight.to(torch::kBFloat16).to(torch::kFloat32); break;
    case Variant::int8_dynamic:
    case Variant::int8_static: {
      out.quantized = cpu::quantize_s8(w, rows, cols, spec.per_channel);
      std::vector<float> dequantized(out.quantized.q.size());
      for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c) {
          const auto i = static_cast<std::size_t>(r * cols + c);
          dequantized[i] = out.quantized.scales[static_cast<std::size_t>(r)] * static_cast<float>(out.quantized.q[i]);
        }
      out.weight = from_floats(dequantized, rows, cols);
      break;
    }
    case Variant::prune: out.weight = from_floats(cpu::to_dense(cpu::prune_magnitude(w, rows, cols, cols, spec.sparsity)), rows, cols); break;
    case Variant::sparse24:
      if (cols % 4 != 0)
        throw std::invalid_argument(fmt::format("sparse24: layer {} has {} inputs, not a multiple of 4", layer.name, cols));
      out.weight = from_floats(cpu::to_dense(cpu::prune_2_4(w, rows, cols, cols)), rows, cols);
      break;
    case Variant::low_rank: factor(layer, rank_of(spec, layer), out); break;
  }
  return out;
}

// What a layer's input becomes before the product, in float64.
torch::Tensor layer_input(const CompressedChain& chain, const CompressedLayer& layer, const torch::Tensor& x64) {
  switch (chain.spec.variant) {
    case Variant::fp16: return x64.to(torch::kFloat16).to(torch::kFloat64);
    case Variant::bf16: return x64.to(torch::kBFloat16).to(torch::kFloat64);
    case Variant::int8_dynamic:
    case Variant::int8_static: {
      // The engine quantizes float32 values: so does the reference, with the same functions.
      torch::Tensor x = x64.to(torch::kFloat32).contiguous();
      const std::int64_t rows = x.size(0), cols = x.size(1);
      std::vector<std::uint8_t> q(static_cast<std::size_t>(cols));
      torch::Tensor out = torch::empty({rows, cols}, torch::kFloat64);
      for (std::int64_t r = 0; r < rows; ++r) {
        const float* row = x.data_ptr<float>() + r * cols;
        const AffineU8 params = layer.input_params ? *layer.input_params : cpu::u8_params_of(row, cols);
        cpu::quantize_u8(row, cols, params, q.data());
        double* dst = out.data_ptr<double>() + r * cols;
        for (std::int64_t c = 0; c < cols; ++c) dst[c] = cpu::dequantize(q[static_cast<std::size_t>(c)], params);
      }
      return out;
    }
    default: return x64;
  }
}

}  // namespace

std::string_view variant_name(Variant variant) {
  for (const auto& [v, name] : variant_table())
    if (v == variant) return name;
  return "unknown";
}

const std::vector<std::string>& variant_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& entry : variant_table()) n.push_back(entry.second);
    return n;
  }();
  return names;
}

Variant parse_variant(std::string_view name) {
  for (const auto& [v, text] : variant_table())
    if (text == name) return v;
  throw std::invalid_argument(fmt::format("unknown compression variant '{}' (one of: {})", name, fmt::join(variant_names(), ", ")));
}

void validate(const VariantSpec& spec) {
  if (spec.variant == Variant::prune && !(spec.sparsity > 0.0 && spec.sparsity < 1.0))
    throw std::invalid_argument(fmt::format("sparsity {} is outside (0, 1)", spec.sparsity));
  if (spec.variant == Variant::low_rank && !(spec.rank_ratio > 0.0 && spec.rank_ratio <= 1.0))
    throw std::invalid_argument(fmt::format("rank_ratio {} is outside (0, 1]", spec.rank_ratio));
  if (spec.rank < 0) throw std::invalid_argument(fmt::format("rank {} is negative", spec.rank));
}

std::optional<std::vector<LinearLayer>> linear_chain(models::Model& model, const models::ModelOptions& options) {
  if (options.name != "mlp") return std::nullopt;
  std::vector<LinearLayer> layers;
  const auto parameters = model.named_parameters();
  for (int i = 1; parameters.contains("fc" + std::to_string(i) + ".weight"); ++i) {
    const std::string name = "fc" + std::to_string(i);
    layers.push_back({name, parameters[name + ".weight"].detach().to(torch::kCPU, torch::kFloat32).contiguous().clone(),
                      parameters[name + ".bias"].detach().to(torch::kCPU, torch::kFloat32).contiguous().clone(), true});
  }
  if (layers.empty()) return std::nullopt;
  layers.back().relu = false;
  return layers;
}

CompressedChain compress(const std::vector<LinearLayer>& layers, const VariantSpec& spec, const torch::Tensor& calibration) {
  validate(spec);
  CompressedChain chain{spec, {}};
  for (const LinearLayer& layer : layers) chain.layers.push_back(compress_layer(layer, spec));
  if (spec.variant == Variant::int8_static) {
    const std::vector<AffineU8> ranges = calibrate(layers, calibration);
    for (std::size_t i = 0; i < ranges.size(); ++i) chain.layers[i].input_params = ranges[i];
  }
  return chain;
}

torch::Tensor reference_forward(const CompressedChain& chain, const torch::Tensor& input) {
  torch::NoGradGuard no_grad;
  torch::Tensor x = input.reshape({input.size(0), -1}).to(torch::kFloat64);
  for (const CompressedLayer& layer : chain.layers) {
    const torch::Tensor in = layer_input(chain, layer, x);
    x = chain.spec.variant == Variant::low_rank
            ? in.matmul(layer.down.to(torch::kFloat64).t()).matmul(layer.up.to(torch::kFloat64).t())
            : in.matmul(layer.weight.to(torch::kFloat64).t());
    x = x + layer.bias.to(torch::kFloat64);
    if (layer.relu) x = torch::relu(x);
  }
  return x;
}

double weight_sparsity(const CompressedChain& chain) {
  double zeros = 0, total = 0;
  for (const CompressedLayer& layer : chain.layers) {
    zeros += static_cast<double>((layer.weight == 0).sum().item<std::int64_t>());
    total += static_cast<double>(layer.weight.numel());
  }
  return total > 0 ? zeros / total : 0.0;
}

}  // namespace sciperf::suites::compression
