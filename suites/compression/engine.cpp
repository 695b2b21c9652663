#include "suites/compression/engine.h"

#include <fmt/format.h>

#include <stdexcept>

namespace sciperf::suites::compression {

EngineKind parse_engine(std::string_view name) {
  if (name == "own") return EngineKind::own;
  if (name == "libtorch") return EngineKind::libtorch;
  throw std::invalid_argument(fmt::format("unknown engine '{}' (one of: own, libtorch)", name));
}

std::optional<std::string> unsupported(EngineKind kind, const VariantSpec& spec) {
  if (kind == EngineKind::own && spec.variant == Variant::fp16)
    return "skipped: kernels/cpu has no fp16 GEMM (this CPU has no AVX512_FP16 arithmetic to run one on)";
  if (kind == EngineKind::libtorch) {
    if (spec.variant == Variant::sparse24) return "skipped: LibTorch runs 2:4 semi-structured sparsity on CUDA only";
    if (auto lacking = torch_engine_lacks(spec.variant)) return lacking;
    if (spec.variant == Variant::int8_static)
      return "skipped: LibTorch's C++ API has no static int8 Linear outside its quantization workflow (Python)";
    if (spec.variant == Variant::int8_dynamic && spec.per_channel)
      return "skipped: LibTorch's C++ dynamic int8 Linear (fbgemm) quantizes weights per tensor only";
  }
  return std::nullopt;
}

std::unique_ptr<Engine> make_engine(EngineKind kind, const CompressedChain& chain) {
  if (const auto reason = unsupported(kind, chain.spec)) throw std::invalid_argument(*reason);
  return kind == EngineKind::own ? make_own_engine(chain) : make_torch_engine(chain);
}

}  // namespace sciperf::suites::compression
