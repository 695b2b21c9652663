// The compressed variants on LibTorch's CPU operators: the library equivalent of each, where
// LibTorch's C++ API has one (engine.cpp says where it has not).
#include "suites/compression/engine.h"

#include <c10/util/Exception.h>
#include <torch/torch.h>
#include <torch/version.h>

namespace sciperf::suites::compression {
namespace {

class TorchLayer {
 public:
  virtual ~TorchLayer() = default;
  virtual torch::Tensor apply(const torch::Tensor& x) = 0;  // with the bias
  virtual std::size_t bytes() const = 0;
};

// LibTorch warns once per process that these operators are deprecated (fbgemm int8) or in
// beta (sparse CSR): known, documented, and noise in a benchmark's output.
// The handler's interface changed in LibTorch 2.0 (a Warning class, guards in WarningUtils)
// from 1.13's (location, message, verbatim) and guards in namespace c10::Warning.
#if TORCH_VERSION_MAJOR >= 2
struct Silent final : c10::WarningHandler {
  void process(const c10::Warning&) override {}
};
using QuietWarnings = c10::WarningUtils::WarningHandlerGuard;
#else
struct Silent final : c10::WarningHandler {
  void process(const c10::SourceLocation&, const std::string&, const bool) override {}
};
using QuietWarnings = c10::Warning::WarningHandlerGuard;
#endif
Silent silent;

// LibTorch 1.13 has no float16 matrix product on the CPU ("addmm_impl_cpu_" not implemented
// for 'Half'); 2.x has. Asked once, of the LibTorch at hand, rather than by version number.
bool torch_has_cpu_fp16_matmul() {
  static const bool has = [] {
    try {
      const torch::Tensor one = torch::ones({1, 1}, torch::kFloat16);
      (void)torch::mm(one, one);
      return true;
    } catch (const c10::Error&) {
      return false;
    }
  }();
  return has;
}

// fbgemm's int8 Linear exists only where LibTorch was built with FBGEMM (Debian's 1.13 is not).
bool torch_has_fbgemm() {
  static const bool has = [] {
    try {
      QuietWarnings quiet(&silent);
      (void)torch::fbgemm_linear_quantize_weight(torch::ones({1, 1}));
      return true;
    } catch (const c10::Error&) {
      return false;
    }
  }();
  return has;
}

std::size_t tensor_bytes(const torch::Tensor& t) { return static_cast<std::size_t>(t.numel() * t.element_size()); }

// Dense Linear in a dtype (float32, float16, bfloat16): weights and bias stored in it.
class DenseTorchLayer final : public TorchLayer {
 public:
  DenseTorchLayer(const CompressedLayer& layer, torch::ScalarType dtype)
      : weight_(layer.weight.to(dtype).contiguous()), bias_(layer.bias.to(dtype)) {}
  torch::Tensor apply(const torch::Tensor& x) override { return torch::linear(x.to(weight_.scalar_type()), weight_, bias_); }
  std::size_t bytes() const override { return tensor_bytes(weight_) + tensor_bytes(bias_); }

 private:
  torch::Tensor weight_, bias_;
};

// fbgemm's dynamic int8 Linear: weights quantized per tensor by fbgemm itself, activations
// per tensor at run time (deprecated in LibTorch 2.x, and still its C++ API's only int8 Linear).
class Int8TorchLayer final : public TorchLayer {
 public:
  explicit Int8TorchLayer(const CompressedLayer& layer) : bias_(layer.bias) {
    QuietWarnings quiet(&silent);
    auto [q, offsets, scale, zero] = torch::fbgemm_linear_quantize_weight(layer.weight);
    q_ = q;
    offsets_ = offsets;
    scale_ = scale;
    zero_ = zero;
    packed_ = torch::fbgemm_pack_quantized_matrix(q_);
  }
  torch::Tensor apply(const torch::Tensor& x) override {
    QuietWarnings quiet(&silent);
    return torch::fbgemm_linear_int8_weight_fp32_activation(x, q_, packed_, offsets_, scale_, zero_, bias_);
  }
  std::size_t bytes() const override { return tensor_bytes(q_) + tensor_bytes(offsets_) + tensor_bytes(bias_) + 2 * sizeof(double); }

 private:
  torch::Tensor bias_, q_, offsets_, packed_;
  double scale_ = 1.0;
  std::int64_t zero_ = 0;
};

// Pruned weights as a sparse CSR tensor: Yᵀ = W · Xᵀ.
class CsrTorchLayer final : public TorchLayer {
 public:
  explicit CsrTorchLayer(const CompressedLayer& layer) : bias_(layer.bias) {
    QuietWarnings quiet(&silent);
    weight_ = layer.weight.to_sparse_csr();
  }
  torch::Tensor apply(const torch::Tensor& x) override {
    QuietWarnings quiet(&silent);
    return torch::mm(weight_, x.t()).t() + bias_;
  }
  std::size_t bytes() const override {
    return tensor_bytes(weight_.values()) + tensor_bytes(weight_.col_indices()) + tensor_bytes(weight_.crow_indices()) +
           tensor_bytes(bias_);
  }

 private:
  torch::Tensor weight_, bias_;
};

class LowRankTorchLayer final : public TorchLayer {
 public:
  explicit LowRankTorchLayer(const CompressedLayer& layer) : down_(layer.down), up_(layer.up), bias_(layer.bias) {}
  torch::Tensor apply(const torch::Tensor& x) override { return torch::linear(torch::linear(x, down_), up_, bias_); }
  std::size_t bytes() const override { return tensor_bytes(down_) + tensor_bytes(up_) + tensor_bytes(bias_); }

 private:
  torch::Tensor down_, up_, bias_;
};

std::unique_ptr<TorchLayer> torch_layer(const CompressedLayer& layer, Variant variant) {
  switch (variant) {
    case Variant::fp16: return std::make_unique<DenseTorchLayer>(layer, torch::kFloat16);
    case Variant::bf16: return std::make_unique<DenseTorchLayer>(layer, torch::kBFloat16);
    case Variant::int8_dynamic: return std::make_unique<Int8TorchLayer>(layer);
    case Variant::prune: return std::make_unique<CsrTorchLayer>(layer);
    case Variant::low_rank: return std::make_unique<LowRankTorchLayer>(layer);
    default: return std::make_unique<DenseTorchLayer>(layer, torch::kFloat32);
  }
}

std::string_view torch_path(Variant variant) {
  switch (variant) {
    case Variant::fp16: return "torch linear float16";
    case Variant::bf16: return "torch linear bfloat16";
    case Variant::int8_dynamic: return "torch fbgemm_linear_int8_weight_fp32_activation";
    case Variant::prune: return "torch sparse CSR mm";
    case Variant::low_rank: return "torch linear float32 x2";
    default: return "torch linear float32";
  }
}

class TorchEngine final : public Engine {
 public:
  explicit TorchEngine(const CompressedChain& chain) : variant_(chain.spec.variant) {
    for (const CompressedLayer& layer : chain.layers) {
      layers_.push_back(torch_layer(layer, variant_));
      relu_.push_back(layer.relu);
    }
  }
  torch::Tensor forward(const torch::Tensor& input) override {
    torch::NoGradGuard no_grad;
    torch::Tensor x = input.reshape({input.size(0), -1}).to(torch::kFloat32);
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      x = layers_[l]->apply(x);
      if (relu_[l]) x = torch::relu(x);
    }
    return x.to(torch::kFloat32);
  }
  std::size_t bytes() const override {
    std::size_t total = 0;
    for (const auto& layer : layers_) total += layer->bytes();
    return total;
  }
  std::string path() const override { return std::string(torch_path(variant_)); }

 private:
  Variant variant_;
  std::vector<std::unique_ptr<TorchLayer>> layers_;
  std::vector<bool> relu_;
};

}  // namespace

std::unique_ptr<Engine> make_torch_engine(const CompressedChain& chain) { return std::make_unique<TorchEngine>(chain); }

std::optional<std::string> torch_engine_lacks(Variant variant) {
  if (variant == Variant::fp16 && !torch_has_cpu_fp16_matmul())
    return "skipped: this LibTorch has no float16 matrix product on the CPU (1.13 lacks it)";
  if (variant == Variant::int8_dynamic && !torch_has_fbgemm())
    return "skipped: this LibTorch was built without FBGEMM (its only C++ dynamic int8 Linear)";
  return std::nullopt;
}

}  // namespace sciperf::suites::compression
