// AVX-512F paths of the fp32 GEMM and of the bf16 GEMM through fp32 (compiled with
// -mavx512f -mavx512bw -mfma; called only after resolve_path() has checked the CPU).
//
// Micro-kernel 14 x 32: 28 zmm accumulators, two B vectors per k and the 14 A values
// broadcast from the packed panel (vbroadcastss): 28 FMAs
// against 16 loads per k, so the two FMA pipes, not the loads, set the pace.
#include <immintrin.h>

#include "kernels/cpu/detail/bf16_bits.h"
#include "kernels/cpu/detail/gemm_blocked.h"
#include "kernels/cpu/detail/pack_a_avx512.h"
#include "kernels/cpu/gemm.h"

namespace sciperf::kernels::cpu::detail {
namespace {

constexpr int kMR = 14;
constexpr int kNR = 32;

template <int R>
inline void micro_14x32(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc, bool accumulate) {
  __m512 acc[kMR][2];
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    // Fetch the C tile now, behind the k loop, rather than stalling on it at the end: C is
    // the one operand that is not packed and often comes from far away (DRAM for large C).
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) {
    _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc + 16), _MM_HINT_T0);
  }
  for (std::int64_t k = 0; k < kc; ++k) {
    const __m512 b0 = _mm512_load_ps(b);
    const __m512 b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) {
      const __m512 ar = _mm512_set1_ps(a[r]);
      acc[r][0] = _mm512_fmadd_ps(ar, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(ar, b1, acc[r][1]);
    }
    a += kMR;
    b += kNR;
  }
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) {
    float* row = c + r * ldc;
    if (accumulate) {
      acc[r][0] = _mm512_add_ps(acc[r][0], _mm512_loadu_ps(row));
      acc[r][1] = _mm512_add_ps(acc[r][1], _mm512_loadu_ps(row + 16));
    }
    _mm512_storeu_ps(row, acc[r][0]);
    _mm512_storeu_ps(row + 16, acc[r][1]);
  }
}

// The first `rows` rows of the tile only (the bottom edge of M), so that a short M does not
// pay for a full 14-row tile.
inline void micro_14x32_rows(int rows, std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc,
                             bool accumulate) {
  // clang-format off
  switch (rows) {
#define SCIPERF_ROWS(n) case n: return micro_14x32<n>(kc, a, b, c, ldc, accumulate);
    SCIPERF_ROWS(1) SCIPERF_ROWS(2) SCIPERF_ROWS(3) SCIPERF_ROWS(4) SCIPERF_ROWS(5) SCIPERF_ROWS(6) SCIPERF_ROWS(7)
    SCIPERF_ROWS(8) SCIPERF_ROWS(9) SCIPERF_ROWS(10) SCIPERF_ROWS(11) SCIPERF_ROWS(12) SCIPERF_ROWS(13)
#undef SCIPERF_ROWS
    default: return micro_14x32<kMR>(kc, a, b, c, ldc, accumulate);
  }
  // clang-format on
}

struct Fp32Traits {
  using InA = float;
  using InB = float;
  using Out = float;
  using Slot = float;
  static constexpr int kMR = detail::kMR, kNR = detail::kNR, kKG = 1;
  // KC 1024: C is read and written K/KC times; fewer passes over C beat keeping the B
  // micro-panel (KC x 32 floats, 128 KiB) in L1: it streams from L2 beside the A block
  // (84 x 1024 floats, 336 KiB). Measured against KC 256/384/512/768: +5-15 % at 2048^3.
  static constexpr std::int64_t kKC = 1024, kMC = 14 * 6, kNC = 1024;
  static void pack_a_panel(const InA* src, std::int64_t lda, std::int64_t rows, std::int64_t kc, std::int64_t k_left,
                           Slot* dst) {
    pack_a_panel_transposed<Fp32Traits>(src, lda, rows, kc, k_left, dst);
  }
  static float a_slot(const float* p, int) { return *p; }
  static float b_slot(const float* p, std::int64_t, int) { return *p; }
  static void micro(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc, bool accumulate) {
    micro_14x32<kMR>(kc, a, b, c, ldc, accumulate);
  }
  static void micro_rows(int rows, std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc,
                         bool accumulate) {
    micro_14x32_rows(rows, kc, a, b, c, ldc, accumulate);
  }
};

// bf16 widened to fp32 while packing; the fp32 micro-kernel does the rest. (Fp32Traits's
// pack_a_panel takes float rows, so the driver packs these slot by slot, converting.)
struct Bf16ViaFp32Traits : Fp32Traits {
  using InA = Bf16;
  using InB = Bf16;
  static float a_slot(const Bf16* p, int) { return bf16_bits_to_float(p->bits); }
  static float b_slot(const Bf16* p, std::int64_t, int) { return bf16_bits_to_float(p->bits); }
};

}  // namespace

SCIPERF_CPU_GEMM_EXPORT(gemm_fp32_avx512, Fp32Traits)

SCIPERF_CPU_GEMM_EXPORT(gemm_bf16_avx512, Bf16ViaFp32Traits)

}  // namespace sciperf::kernels::cpu::detail
