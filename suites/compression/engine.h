// What runs a compressed model: our kernels (kernels/cpu, one thread) or LibTorch's CPU
// operators, each on the same CompressedChain. Both take and return float32 batch × features.
#pragma once

#include "suites/compression/compressed_chain.h"

#include <torch/types.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace sciperf::suites::compression {

enum class EngineKind { own, libtorch };
EngineKind parse_engine(std::string_view name);  // "own" | "libtorch"; std::invalid_argument otherwise

class Engine {
 public:
  virtual ~Engine() = default;
  virtual torch::Tensor forward(const torch::Tensor& input) = 0;
  virtual std::size_t bytes() const = 0;  // the model as this engine stores it: weights, biases, indices, scales
  virtual std::string path() const = 0;   // the code that ran, e.g. "gemm_u8s8s32/avx512_vnni"
};

// Why an engine has no implementation of a variant ("skipped: ..."); nullopt when it has one.
std::optional<std::string> unsupported(EngineKind kind, const VariantSpec& spec);

// std::invalid_argument when unsupported() says so.
std::unique_ptr<Engine> make_engine(EngineKind kind, const CompressedChain& chain);
std::unique_ptr<Engine> make_own_engine(const CompressedChain& chain);
std::unique_ptr<Engine> make_torch_engine(const CompressedChain& chain);
// Why this LibTorch cannot run `variant` (a capability its build or version lacks: 1.13 has no
// CPU float16 matmul, a build without FBGEMM no dynamic int8 Linear), or nullopt. Probed once.
std::optional<std::string> torch_engine_lacks(Variant variant);

}  // namespace sciperf::suites::compression
