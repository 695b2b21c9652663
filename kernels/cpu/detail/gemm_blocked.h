// The blocked GEMM driver shared by every instruction-set path (GotoBLAS / BLIS loop order):
//
//   for jc over N in NC columns        B block  KC x NC  packed once per (jc, pc), lives in L3
//    for pc over K in KC slots
//     pack B into NR-wide panels
//     for ic over M in MC rows         A block  MC x KC  packed per (jc, pc, ic), lives in L2
//      pack A into MR-tall panels
//      for jr over NC in NR            B micro-panel KC x NR stays in L1 across the ir loop
//       for ir over MC in MR           micro-kernel: MR x NR tile of C in registers
//
// A "slot" is the 32-bit unit of a packed panel: one float for fp32, a k-pair of bf16 or
// int16, a k-quad of int8. The packed A panel holds, per slot index g, the MR rows' slots
// side by side; the packed B panel holds, per g, the NR columns' slots. Short edges are
// zero-padded in the panels, and the tile is written through a temporary.
//
// Include this only from a path's translation unit: everything is in an anonymous namespace
// so that each unit keeps its own copy compiled with its own target flags (one shared
// inline copy could otherwise be taken from an AVX-512 unit and run on any CPU). For the
// same reason these headers use no standard-library templates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {
namespace {

inline std::int64_t min_i64(std::int64_t a, std::int64_t b) { return a < b ? a : b; }
inline std::int64_t round_up(std::int64_t x, std::int64_t to) { return (x + to - 1) / to * to; }

// Traits: InA, InB, Out, Slot; kMR, kNR, kKG (k per slot), kKC (slots), kMC, kNC;
//   static Slot a_slot(const InA* p, int count);            count valid k (<= kKG), rest 0
//   static Slot b_slot(const InB* p, std::int64_t ldb, int count);
//   static void micro(std::int64_t kc, const Slot* a, const Slot* b, Out* c, std::int64_t ldc, bool accumulate);
// and optionally
//   static void pack_b_row(const InB* p, std::int64_t ldb, Slot* out);  the kNR slots of one g
//   static void micro_rows(int rows, <micro's arguments>);  only the first `rows` rows (M edge)
//   static void pack_a_panel(const InA* src, std::int64_t lda, std::int64_t rows, std::int64_t kc,
//                            std::int64_t k_left, Slot* dst);  one whole MR-row panel
template <class T>
std::size_t blocked_workspace_bytes() {
  const std::int64_t slots = round_up(T::kMC, T::kMR) * T::kKC + T::kKC * round_up(T::kNC, T::kNR) + T::kMR * T::kNR;
  return static_cast<std::size_t>(slots) * 4 + 3 * 64;
}

// Slots [g_begin, kc) of one MR-row panel, slot by slot; rows >= `rows` are zero.
template <class T>
void pack_a_slots(const typename T::InA* src, std::int64_t lda, std::int64_t rows, std::int64_t g_begin,
                  std::int64_t kc, std::int64_t k_left, typename T::Slot* dst) {
  using Slot = typename T::Slot;
  constexpr int MR = T::kMR;
  constexpr int KG = T::kKG;
  const std::int64_t full = min_i64(kc, k_left / KG);
  for (std::int64_t r = 0; r < MR; ++r) {
    if (r >= rows) {
      for (std::int64_t g = g_begin; g < kc; ++g) dst[g * MR + r] = Slot{};
      continue;
    }
    const typename T::InA* row = src + r * lda;
    std::int64_t g = g_begin;
    for (; g < full; ++g) dst[g * MR + r] = T::a_slot(row + g * KG, KG);
    for (; g < kc; ++g) dst[g * MR + r] = T::a_slot(row + g * KG, static_cast<int>(k_left - g * KG));
  }
}

template <class T>
void pack_a(const typename T::InA* A, std::int64_t lda, std::int64_t K, std::int64_t i0, std::int64_t mc,
            std::int64_t g0, std::int64_t kc, typename T::Slot* out) {
  constexpr int MR = T::kMR;
  for (std::int64_t ir = 0; ir < mc; ir += MR) {
    typename T::Slot* dst = out + ir * kc;  // panels of MR rows, kc slots each
    const std::int64_t rows = min_i64(MR, mc - ir);
    const typename T::InA* src = A + (i0 + ir) * lda + g0 * T::kKG;
    const std::int64_t k_left = K - g0 * T::kKG;  // valid k from this block's first slot
    if constexpr (requires { T::pack_a_panel(src, lda, rows, kc, k_left, dst); }) {
      T::pack_a_panel(src, lda, rows, kc, k_left, dst);  // a vectorized transpose
    } else {
      pack_a_slots<T>(src, lda, rows, 0, kc, k_left, dst);
    }
  }
}

template <class T>
void pack_b(const typename T::InB* B, std::int64_t ldb, std::int64_t K, std::int64_t j0, std::int64_t nc,
            std::int64_t g0, std::int64_t kc, typename T::Slot* out) {
  using Slot = typename T::Slot;
  constexpr int NR = T::kNR;
  constexpr int KG = T::kKG;
  for (std::int64_t jr = 0; jr < nc; jr += NR) {
    Slot* dst = out + jr * kc;  // panels of NR columns, kc slots each
    const std::int64_t cols = min_i64(NR, nc - jr);
    for (std::int64_t g = 0; g < kc; ++g) {
      const std::int64_t k = (g0 + g) * KG;
      const int count = static_cast<int>(min_i64(KG, K - k));
      const typename T::InB* src = B + k * ldb + j0 + jr;
      Slot* d = dst + g * NR;
      if (count == KG && cols == NR) {
        if constexpr (requires { T::pack_b_row(src, ldb, d); }) {
          T::pack_b_row(src, ldb, d);  // a vectorized interleave of KG rows of B
        } else {
          for (int j = 0; j < NR; ++j) d[j] = T::b_slot(src + j, ldb, KG);
        }
      } else {
        for (std::int64_t j = 0; j < cols; ++j) d[j] = T::b_slot(src + j, ldb, count);
        for (std::int64_t j = cols; j < NR; ++j) d[j] = Slot{};
      }
    }
  }
}

// B packed ahead, block by block in the driver's (jc, pc) order, each block as pack_b lays it
// out: a product with the same B (inference weights) then skips packing B.
template <class T>
std::size_t packed_b_bytes(std::int64_t K, std::int64_t N) {
  std::int64_t cols = 0;
  for (std::int64_t jc = 0; jc < N; jc += T::kNC) cols += round_up(min_i64(T::kNC, N - jc), T::kNR);
  return static_cast<std::size_t>((K + T::kKG - 1) / T::kKG * cols) * 4;
}

template <class T>
void prepack_b(const typename T::InB* B, std::int64_t ldb, std::int64_t K, std::int64_t N, typename T::Slot* out) {
  const std::int64_t k_slots = (K + T::kKG - 1) / T::kKG;
  for (std::int64_t jc = 0; jc < N; jc += T::kNC) {
    const std::int64_t nc = min_i64(T::kNC, N - jc);
    for (std::int64_t pc = 0; pc < k_slots; pc += T::kKC) {
      const std::int64_t kc = min_i64(T::kKC, k_slots - pc);
      pack_b<T>(B, ldb, K, jc, nc, pc, kc, out);
      out += kc * round_up(nc, T::kNR);
    }
  }
}

template <class T>
void gemm_blocked(const GemmArgs<typename T::InA, typename T::InB, typename T::Out>& p, void* workspace,
                  const typename T::Slot* packed_b) {
  using Slot = typename T::Slot;
  using Out = typename T::Out;
  constexpr int MR = T::kMR;
  constexpr int NR = T::kNR;
  const std::int64_t k_slots = (p.k + T::kKG - 1) / T::kKG;

  auto align = [](unsigned char* x) { return x + ((64 - reinterpret_cast<std::uintptr_t>(x) % 64) % 64); };
  unsigned char* base = align(static_cast<unsigned char*>(workspace));
  Slot* pa = reinterpret_cast<Slot*>(base);
  base = align(base + static_cast<std::size_t>(round_up(T::kMC, MR) * T::kKC) * 4);
  Slot* pb = reinterpret_cast<Slot*>(base);
  base = align(base + static_cast<std::size_t>(T::kKC * round_up(T::kNC, NR)) * 4);
  Out* tile = reinterpret_cast<Out*>(base);

  for (std::int64_t jc = 0; jc < p.n; jc += T::kNC) {
    const std::int64_t nc = min_i64(T::kNC, p.n - jc);
    for (std::int64_t pc = 0; pc < k_slots; pc += T::kKC) {
      const std::int64_t kc = min_i64(T::kKC, k_slots - pc);
      const bool accumulate = pc > 0;
      const Slot* b_block = pb;
      if (packed_b != nullptr) {
        b_block = packed_b;
        packed_b += kc * round_up(nc, NR);
      } else {
        pack_b<T>(p.b, p.ldb, p.k, jc, nc, pc, kc, pb);
      }
      for (std::int64_t ic = 0; ic < p.m; ic += T::kMC) {
        const std::int64_t mc = min_i64(T::kMC, p.m - ic);
        pack_a<T>(p.a, p.lda, p.k, ic, mc, pc, kc, pa);
        for (std::int64_t jr = 0; jr < nc; jr += NR) {
          const std::int64_t cols = min_i64(NR, nc - jr);
          const Slot* b_panel = b_block + jr * kc;
          for (std::int64_t ir = 0; ir < mc; ir += MR) {
            const std::int64_t rows = min_i64(MR, mc - ir);
            const Slot* a_panel = pa + ir * kc;
            Out* c = p.c + (ic + ir) * p.ldc + jc + jr;
            if (rows == MR && cols == NR) {
              T::micro(kc, a_panel, b_panel, c, p.ldc, accumulate);
              continue;
            }
            if constexpr (requires { T::micro_rows(1, kc, a_panel, b_panel, tile, NR, false); }) {
              T::micro_rows(static_cast<int>(rows), kc, a_panel, b_panel, tile, NR, false);
            } else {
              T::micro(kc, a_panel, b_panel, tile, NR, false);
            }
            for (std::int64_t r = 0; r < rows; ++r)
              for (std::int64_t j = 0; j < cols; ++j)
                c[r * p.ldc + j] = accumulate ? c[r * p.ldc + j] + tile[r * NR + j] : tile[r * NR + j];
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace sciperf::kernels::cpu::detail

// Defines a path's entry points (declared in paths.h) from its traits.
#define SCIPERF_CPU_GEMM_EXPORT(name, Traits)                                                                  \
  std::size_t name##_workspace_bytes() { return blocked_workspace_bytes<Traits>(); }                           \
  std::size_t name##_packed_b_bytes(std::int64_t k, std::int64_t n) { return packed_b_bytes<Traits>(k, n); }   \
  void name##_pack_b(const Traits::InB* b, std::int64_t ldb, std::int64_t k, std::int64_t n, void* out) {      \
    prepack_b<Traits>(b, ldb, k, n, static_cast<Traits::Slot*>(out));                                          \
  }                                                                                                            \
  void name(const GemmArgs<Traits::InA, Traits::InB, Traits::Out>& p, void* workspace, const void* packed_b) { \
    gemm_blocked<Traits>(p, workspace, static_cast<const Traits::Slot*>(packed_b));                            \
  }
