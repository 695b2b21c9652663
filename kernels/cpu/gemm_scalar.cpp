// Portable paths of the three GEMMs: the same blocking and packing as the vector paths with
// a plain C++ 4 x 16 micro-kernel (compiled for baseline x86-64 or any other CPU; the
// compiler may still use SSE2 on it).
#include "kernels/cpu/detail/bf16_bits.h"
#include "kernels/cpu/detail/gemm_blocked.h"
#include "kernels/cpu/gemm.h"

namespace sciperf::kernels::cpu::detail {
namespace {

template <class Slot, class Out, int MR, int NR>
void micro_generic(std::int64_t kc, const Slot* a, const Slot* b, Out* c, std::int64_t ldc, bool accumulate) {
  Out acc[MR][NR] = {};
  for (std::int64_t k = 0; k < kc; ++k) {
    for (int r = 0; r < MR; ++r) {
      const Out ar = static_cast<Out>(a[r]);
      for (int j = 0; j < NR; ++j) acc[r][j] += ar * static_cast<Out>(b[j]);
    }
    a += MR;
    b += NR;
  }
  for (int r = 0; r < MR; ++r)
    for (int j = 0; j < NR; ++j) c[r * ldc + j] = accumulate ? c[r * ldc + j] + acc[r][j] : acc[r][j];
}

struct Fp32Traits {
  using InA = float;
  using InB = float;
  using Out = float;
  using Slot = float;
  static constexpr int kMR = 4, kNR = 16, kKG = 1;
  static constexpr std::int64_t kKC = 256, kMC = 4 * 64, kNC = 2048;
  static float a_slot(const float* p, int) { return *p; }
  static float b_slot(const float* p, std::int64_t, int) { return *p; }
  static void micro(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc, bool accumulate) {
    micro_generic<float, float, kMR, kNR>(kc, a, b, c, ldc, accumulate);
  }
};

struct Bf16ViaFp32Traits : Fp32Traits {
  using InA = Bf16;
  using InB = Bf16;
  static float a_slot(const Bf16* p, int) { return bf16_bits_to_float(p->bits); }
  static float b_slot(const Bf16* p, std::int64_t, int) { return bf16_bits_to_float(p->bits); }
};

struct I8Traits {
  using InA = std::uint8_t;
  using InB = std::int8_t;
  using Out = std::int32_t;
  using Slot = std::int32_t;
  static constexpr int kMR = 4, kNR = 16, kKG = 1;
  static constexpr std::int64_t kKC = 256, kMC = 4 * 64, kNC = 2048;
  static std::int32_t a_slot(const std::uint8_t* p, int) { return *p; }
  static std::int32_t b_slot(const std::int8_t* p, std::int64_t, int) { return *p; }
  static void micro(std::int64_t kc, const std::int32_t* a, const std::int32_t* b, std::int32_t* c, std::int64_t ldc,
                    bool accumulate) {
    micro_generic<std::int32_t, std::int32_t, kMR, kNR>(kc, a, b, c, ldc, accumulate);
  }
};

}  // namespace

SCIPERF_CPU_GEMM_EXPORT(gemm_fp32_scalar, Fp32Traits)

SCIPERF_CPU_GEMM_EXPORT(gemm_bf16_scalar, Bf16ViaFp32Traits)

SCIPERF_CPU_GEMM_EXPORT(gemm_i8_scalar, I8Traits)

}  // namespace sciperf::kernels::cpu::detail
