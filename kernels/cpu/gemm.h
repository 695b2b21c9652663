// Dense GEMM on one core: C = A · B, all row major with leading dimensions (lda >= K,
// ldb >= N, ldc >= N), any M, N, K >= 0. Cache-blocked with packed panels and
// register-blocked micro-kernels per instruction set (see isa.h); every call returns the
// path that ran. C is overwritten (K == 0 gives zeros). Single-threaded.
//
// Bad arguments (negative sizes, a leading dimension below the row length, a null pointer
// with a non-empty matrix) throw std::invalid_argument naming the parameter and its value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "kernels/cpu/isa.h"

namespace sciperf::kernels::cpu {

// bfloat16: the upper half of an IEEE float32.
struct Bf16 {
  std::uint16_t bits = 0;
};
Bf16 to_bf16(float value);  // round to nearest even; NaN stays NaN
float to_float(Bf16 value);
void to_bf16(const float* in, Bf16* out, std::size_t n);

// fp32 GEMM. Paths: avx512 (14x32 micro-kernel), avx2 (6x16), scalar.
Isa gemm_fp32(std::int64_t M, std::int64_t N, std::int64_t K, const float* A, std::int64_t lda, const float* B,
              std::int64_t ldb, float* C, std::int64_t ldc, Isa path = Isa::automatic);

// bf16 inputs, fp32 accumulation and output. Paths: avx512_bf16 (vdpbf16ps on k-pairs),
// and avx512 / avx2 / scalar, which widen the packed panels to fp32 and run the fp32
// micro-kernels (products of two bf16 are exact in fp32, so both round alike).
Isa gemm_bf16(std::int64_t M, std::int64_t N, std::int64_t K, const Bf16* A, std::int64_t lda, const Bf16* B,
              std::int64_t ldb, float* C, std::int64_t ldc, Isa path = Isa::automatic);

// Unsigned 8-bit A times signed 8-bit B, exact int32 result. Paths: avx512_vnni and
// avx_vnni (vpdpbusd on k-quads), avx2 (widened to int16, vpmaddwd: exact, unlike vpmaddubsw
// whose int16 sums saturate for large u8 x s8 pairs), scalar. K is limited to
// kGemmInt8MaxK so that no int32 sum can overflow (255 * 128 * K < 2^31).
inline constexpr std::int64_t kGemmInt8MaxK = 65793;
Isa gemm_u8s8s32(std::int64_t M, std::int64_t N, std::int64_t K, const std::uint8_t* A, std::int64_t lda,
                 const std::int8_t* B, std::int64_t ldb, std::int32_t* C, std::int64_t ldc, Isa path = Isa::automatic);

// B packed once, in the layout of one path, for many products with different A (the
// weights of a layer at inference): a product with a PackedB skips packing B, which
// dominates when M is small. A PackedB runs on the path it was packed for (forced or
// automatic at packing time) and only with its own kernel; it is immutable and cheap to copy
// (shared storage).
class PackedB {
 public:
  PackedB() = default;
  Kernel kernel() const { return kernel_; }
  Isa path() const { return path_; }
  std::int64_t k() const { return k_; }
  std::int64_t n() const { return n_; }
  std::size_t bytes() const { return bytes_; }
  const void* data() const { return data_.get(); }

  // For the packing functions (gemm.cpp): storage of `bytes`, 64-byte aligned.
  PackedB(Kernel kernel, Isa path, std::int64_t k, std::int64_t n, std::size_t bytes);
  void* mutable_data() { return data_.get(); }

 private:
  Kernel kernel_ = Kernel::gemm_fp32;
  Isa path_ = Isa::automatic;
  std::int64_t k_ = 0, n_ = 0;
  std::size_t bytes_ = 0;
  std::shared_ptr<void> data_;
};

// B is K x N, row major, ldb >= N.
PackedB pack_b_fp32(std::int64_t K, std::int64_t N, const float* B, std::int64_t ldb, Isa path = Isa::automatic);
PackedB pack_b_bf16(std::int64_t K, std::int64_t N, const Bf16* B, std::int64_t ldb, Isa path = Isa::automatic);
PackedB pack_b_s8(std::int64_t K, std::int64_t N, const std::int8_t* B, std::int64_t ldb, Isa path = Isa::automatic);

// C (M x B.n()) = A (M x B.k()) · B, on B's path; the same result, bit for bit, as the
// unpacked call on that path. A PackedB of another kernel throws std::invalid_argument.
Isa gemm_fp32(std::int64_t M, const float* A, std::int64_t lda, const PackedB& B, float* C, std::int64_t ldc);
Isa gemm_bf16(std::int64_t M, const Bf16* A, std::int64_t lda, const PackedB& B, float* C, std::int64_t ldc);
Isa gemm_u8s8s32(std::int64_t M, const std::uint8_t* A, std::int64_t lda, const PackedB& B, std::int32_t* C,
                 std::int64_t ldc);

// Operations of one GEMM call (2·M·N·K: a multiply-add counts two).
inline double gemm_ops(std::int64_t M, std::int64_t N, std::int64_t K) {
  return 2.0 * static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K);
}

}  // namespace sciperf::kernels::cpu
