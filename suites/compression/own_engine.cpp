// The compressed variants on our kernels (kernels/cpu), one thread. Each layer's weights are
// packed once, as an inference server would keep them; bias and ReLU follow the product.
#include "kernels/cpu/gemm.h"
#include "kernels/cpu/quantize.h"
#include "kernels/cpu/sparse.h"
#include "suites/compression/engine.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <algorithm>
#include <limits>
#include <set>

namespace sciperf::suites::compression {
namespace {

namespace cpu = kernels::cpu;

// y (m × out) = x (m × in) · Wᵀ, without the bias; a feature-major layer takes and gives the
// transposes instead: yᵀ (out × m) = W · xᵀ.
class OwnLayer {
 public:
  virtual ~OwnLayer() = default;
  virtual cpu::Isa multiply(const float* x, std::int64_t m, float* y) = 0;
  virtual bool feature_major() const { return false; }
  virtual std::size_t bytes() const = 0;
  virtual std::string_view kernel() const = 0;
};

// Wᵀ (in × out) row major: the K × N operand the GEMMs take.
template <typename T>
std::vector<T> transposed(const T* w, std::int64_t rows, std::int64_t cols) {
  std::vector<T> t(static_cast<std::size_t>(rows * cols));
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) t[static_cast<std::size_t>(c * rows + r)] = w[r * cols + c];
  return t;
}

class Fp32Layer final : public OwnLayer {
 public:
  explicit Fp32Layer(const torch::Tensor& weight) : out_(weight.size(0)), in_(weight.size(1)) {
    const torch::Tensor w = weight.contiguous();
    packed_ = cpu::pack_b_fp32(in_, out_, transposed(w.data_ptr<float>(), out_, in_).data(), out_);
  }
  cpu::Isa multiply(const float* x, std::int64_t m, float* y) override { return cpu::gemm_fp32(m, x, in_, packed_, y, out_); }
  std::size_t bytes() const override { return static_cast<std::size_t>(in_ * out_) * sizeof(float); }
  std::string_view kernel() const override { return "gemm_fp32"; }

 private:
  std::int64_t out_, in_;
  cpu::PackedB packed_;
};

class Bf16Layer final : public OwnLayer {
 public:
  explicit Bf16Layer(const torch::Tensor& weight) : out_(weight.size(0)), in_(weight.size(1)) {
    const std::vector<float> t = transposed(weight.contiguous().data_ptr<float>(), out_, in_);
    std::vector<cpu::Bf16> tb(t.size());
    cpu::to_bf16(t.data(), tb.data(), t.size());
    packed_ = cpu::pack_b_bf16(in_, out_, tb.data(), out_);
  }
  cpu::Isa multiply(const float* x, std::int64_t m, float* y) override {
    input_.resize(static_cast<std::size_t>(m * in_));
    cpu::to_bf16(x, input_.data(), input_.size());
    return cpu::gemm_bf16(m, input_.data(), in_, packed_, y, out_);
  }
  std::size_t bytes() const override { return static_cast<std::size_t>(in_ * out_) * sizeof(cpu::Bf16); }
  std::string_view kernel() const override { return "gemm_bf16"; }

 private:
  std::int64_t out_, in_;
  cpu::PackedB packed_;
  std::vector<cpu::Bf16> input_;
};

// u8 activations × s8 weights in int32, then y = s_x · s_w · (acc − z_x · Σ_k q_w): the
// zero point's share is subtracted with the weights' column sums, computed once.
class Int8Layer final : public OwnLayer {
 public:
  explicit Int8Layer(const CompressedLayer& layer)
      : out_(layer.out()), in_(layer.in()), scales_(layer.quantized.scales), fixed_input_(layer.input_params) {
    packed_ = cpu::pack_b_s8(in_, out_, transposed(layer.quantized.q.data(), out_, in_).data(), out_);
    column_sums_ = cpu::row_sums(layer.quantized.q.data(), out_, in_);
  }
  cpu::Isa multiply(const float* x, std::int64_t m, float* y) override {
    input_.resize(static_cast<std::size_t>(m * in_));
    accumulators_.resize(static_cast<std::size_t>(m * out_));
    row_params_.resize(static_cast<std::size_t>(m));
    for (std::int64_t r = 0; r < m; ++r) {
      const float* row = x + r * in_;
      row_params_[static_cast<std::size_t>(r)] = fixed_input_ ? *fixed_input_ : cpu::u8_params_of(row, in_);
      cpu::quantize_u8(row, in_, row_params_[static_cast<std::size_t>(r)], input_.data() + r * in_);
    }
    const cpu::Isa isa = cpu::gemm_u8s8s32(m, input_.data(), in_, packed_, accumulators_.data(), out_);
    cpu::dequantize_product(accumulators_.data(), m, out_, row_params_.data(), scales_.data(), column_sums_.data(), y);
    return isa;
  }
  std::size_t bytes() const override { return static_cast<std::size_t>(in_ * out_) + scales_.size() * sizeof(float); }
  std::string_view kernel() const override { return "gemm_u8s8s32"; }

 private:
  std::int64_t out_, in_;
  std::vector<float> scales_;
  std::optional<AffineU8> fixed_input_;
  cpu::PackedB packed_;
  std::vector<std::int32_t> column_sums_;
  std::vector<std::uint8_t> input_;
  std::vector<std::int32_t> accumulators_;
  std::vector<AffineU8> row_params_;
};

// The sparse kernels multiply a sparse left operand, so a sparse chain runs feature-major
// throughout: the batch is transposed once on the way in and once on the way out.
template <typename Matrix>
class SparseLayer final : public OwnLayer {
 public:
  using Multiply = cpu::Isa (*)(const Matrix&, std::int64_t, const float*, std::int64_t, float*, std::int64_t, cpu::Isa);
  SparseLayer(Matrix matrix, Multiply multiply, std::size_t bytes, std::string_view kernel)
      : matrix_(std::move(matrix)), multiply_(multiply), bytes_(bytes), kernel_(kernel) {}
  cpu::Isa multiply(const float* xt, std::int64_t m, float* yt) override {
    return multiply_(matrix_, m, xt, m, yt, m, cpu::Isa::automatic);
  }
  bool feature_major() const override { return true; }
  std::size_t bytes() const override { return bytes_; }
  std::string_view kernel() const override { return kernel_; }

 private:
  Matrix matrix_;
  Multiply multiply_;
  std::size_t bytes_;
  std::string_view kernel_;
};

void transpose(const float* a, std::int64_t rows, std::int64_t cols, float* t) {
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) t[c * rows + r] = a[r * cols + c];
}

std::unique_ptr<OwnLayer> csr_layer(const torch::Tensor& weight) {
  cpu::CsrMatrix csr = cpu::csr_from_dense(weight.data_ptr<float>(), weight.size(0), weight.size(1), weight.size(1));
  const std::size_t bytes = static_cast<std::size_t>(csr.nnz()) * (sizeof(float) + sizeof(std::int32_t)) +
                            csr.row_ptr.size() * sizeof(std::int64_t);
  return std::make_unique<SparseLayer<cpu::CsrMatrix>>(std::move(csr), &cpu::spmm_csr, bytes, "spmm_csr");
}

std::unique_ptr<OwnLayer> sparse24_layer(const torch::Tensor& weight) {
  cpu::Sparse24Matrix s = cpu::prune_2_4(weight.data_ptr<float>(), weight.size(0), weight.size(1), weight.size(1));
  const std::size_t bytes = s.values.size() * sizeof(float) + s.meta.size();
  return std::make_unique<SparseLayer<cpu::Sparse24Matrix>>(std::move(s), &cpu::gemm_sparse24, bytes, "gemm_sparse24");
}

// W ≈ up · down: x · downᵀ (m × rank), then · upᵀ.
class LowRankLayer final : public OwnLayer {
 public:
  explicit LowRankLayer(const CompressedLayer& layer) : rank_(layer.rank), down_(layer.down), up_(layer.up) {}
  cpu::Isa multiply(const float* x, std::int64_t m, float* y) override {
    hidden_.resize(static_cast<std::size_t>(m * rank_));
    down_.multiply(x, m, hidden_.data());
    return up_.multiply(hidden_.data(), m, y);
  }
  std::size_t bytes() const override { return down_.bytes() + up_.bytes(); }
  std::string_view kernel() const override { return "gemm_fp32 x2"; }

 private:
  std::int64_t rank_;
  Fp32Layer down_, up_;
  std::vector<float> hidden_;
};

std::unique_ptr<OwnLayer> own_layer(const CompressedLayer& layer, Variant variant) {
  switch (variant) {
    case Variant::bf16: return std::make_unique<Bf16Layer>(layer.weight);
    case Variant::int8_dynamic:
    case Variant::int8_static: return std::make_unique<Int8Layer>(layer);
    case Variant::prune: return csr_layer(layer.weight);
    case Variant::sparse24: return sparse24_layer(layer.weight);
    case Variant::low_rank: return std::make_unique<LowRankLayer>(layer);
    default: return std::make_unique<Fp32Layer>(layer.weight);
  }
}

class OwnEngine final : public Engine {
 public:
  explicit OwnEngine(const CompressedChain& chain)
      : feature_major_(chain.spec.variant == Variant::prune || chain.spec.variant == Variant::sparse24) {
    for (const CompressedLayer& layer : chain.layers) {
      layers_.push_back(own_layer(layer, chain.spec.variant));
      biases_.emplace_back(layer.bias.data_ptr<float>(), layer.bias.data_ptr<float>() + layer.bias.numel());
      relu_.push_back(layer.relu);
    }
    isas_.assign(layers_.size(), cpu::Isa::automatic);
  }

  torch::Tensor forward(const torch::Tensor& input) override {
    const torch::Tensor x = input.reshape({input.size(0), -1}).to(torch::kFloat32).contiguous();
    const std::int64_t m = x.size(0);
    const float* in = x.data_ptr<float>();
    if (feature_major_) {
      transposed_.resize(static_cast<std::size_t>(x.numel()));
      transpose(in, m, x.size(1), transposed_.data());
      in = transposed_.data();
    }
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      std::vector<float>& out = activations_[l % 2];
      out.resize(static_cast<std::size_t>(m) * biases_[l].size());
      isas_[l] = layers_[l]->multiply(in, m, out.data());
      add_bias(l, m, out.data());
      in = out.data();
    }
    const auto width = static_cast<std::int64_t>(biases_.back().size());
    torch::Tensor y = torch::empty({m, width}, torch::kFloat32);
    if (feature_major_)
      transpose(in, width, m, y.data_ptr<float>());
    else
      std::copy(in, in + m * width, y.data_ptr<float>());
    return y;
  }

  // Bias, then ReLU where the layer has one, in whichever layout the chain runs.
  void add_bias(std::size_t l, std::int64_t m, float* y) const {
    const std::vector<float>& bias = biases_[l];
    const auto width = static_cast<std::int64_t>(bias.size());
    const float floor = relu_[l] ? 0.0f : -std::numeric_limits<float>::infinity();
    for (std::int64_t r = 0; r < (feature_major_ ? width : m); ++r) {
      float* row = y + r * (feature_major_ ? m : width);
      for (std::int64_t c = 0; c < (feature_major_ ? m : width); ++c) {
        const float v = row[c] + bias[static_cast<std::size_t>(feature_major_ ? r : c)];
        row[c] = v > floor ? v : floor;
      }
    }
  }

  std::size_t bytes() const override {
    std::size_t total = 0;
    for (std::size_t l = 0; l < layers_.size(); ++l) total += layers_[l]->bytes() + biases_[l].size() * sizeof(float);
    return total;
  }
  // The kernels and paths of the last forward, e.g. "gemm_u8s8s32/avx512_vnni".
  std::string path() const override {
    std::set<std::string> paths;
    for (std::size_t l = 0; l < layers_.size(); ++l) paths.insert(fmt::format("{}/{}", layers_[l]->kernel(), cpu::isa_name(isas_[l])));
    return fmt::format("{}", fmt::join(paths, " "));
  }

 private:
  bool feature_major_;
  std::vector<std::unique_ptr<OwnLayer>> layers_;
  std::vector<std::vector<float>> biases_;
  std::vector<bool> relu_;
  std::vector<cpu::Isa> isas_;
  std::vector<float> transposed_, activations_[2];
};

}  // namespace

std::unique_ptr<Engine> make_own_engine(const CompressedChain& chain) { return std::make_unique<OwnEngine>(chain); }

}  // namespace sciperf::suites::compression
