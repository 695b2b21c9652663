// GEMM dispatch: check the arguments, pick the path, hand it a per-thread workspace (and B
// packed ahead, when given).
#include "kernels/cpu/gemm.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "kernels/cpu/detail/bf16_bits.h"
#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu {
namespace {

[[noreturn]] void bad(const char* kernel, const char* what, std::int64_t value, const std::string& rule) {
  throw std::invalid_argument(std::string(kernel) + ": " + what + "=" + std::to_string(value) + " " + rule);
}

void check_b(const char* kernel, std::int64_t K, std::int64_t N, const void* B, std::int64_t ldb) {
  if (N < 0) bad(kernel, "N", N, "must be >= 0");
  if (K < 0) bad(kernel, "K", K, "must be >= 0");
  if (K > 0 && ldb < N) bad(kernel, "ldb", ldb, "must be >= N=" + std::to_string(N));
  if (K > 0 && N > 0 && B == nullptr) throw std::invalid_argument(std::string(kernel) + ": B is null");
}

void check_a_c(const char* kernel, std::int64_t M, std::int64_t N, std::int64_t K, const void* A, std::int64_t lda,
               const void* C, std::int64_t ldc) {
  if (M < 0) bad(kernel, "M", M, "must be >= 0");
  if (M > 0 && lda < K) bad(kernel, "lda", lda, "must be >= K=" + std::to_string(K));
  if (M > 0 && ldc < N) bad(kernel, "ldc", ldc, "must be >= N=" + std::to_string(N));
  if (M > 0 && K > 0 && A == nullptr) throw std::invalid_argument(std::string(kernel) + ": A is null");
  if (M > 0 && N > 0 && C == nullptr) throw std::invalid_argument(std::string(kernel) + ": C is null");
}

void check_int8_depth(std::int64_t K) {
  if (K > kGemmInt8MaxK)
    bad("gemm_u8s8s32", "K", K, "exceeds " + std::to_string(kGemmInt8MaxK) + " (int32 sums could overflow)");
}

void check_packed(const char* kernel, Kernel expected, const PackedB& B) {
  if (B.kernel() != expected)
    throw std::invalid_argument(std::string(kernel) + ": B was packed for " + std::string(kernel_name(B.kernel())));
  if (B.k() > 0 && B.n() > 0 && B.data() == nullptr) throw std::invalid_argument(std::string(kernel) + ": B is empty");
}

struct FreeAligned {
  void operator()(void* p) const { std::free(p); }
};

void* aligned_bytes(std::size_t bytes) {
  void* p = std::aligned_alloc(64, std::max<std::size_t>(64, (bytes + 63) / 64 * 64));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

// One packing workspace per thread, grown to the largest path's need and kept.
void* workspace(std::size_t bytes) {
  thread_local std::unique_ptr<void, FreeAligned> buffer;
  thread_local std::size_t capacity = 0;
  if (capacity < bytes) {
    buffer.reset(aligned_bytes(bytes));
    capacity = bytes;
  }
  return buffer.get();
}

// The entry points of one path (detail/paths.h).
template <class Args>
struct PathFns {
  std::size_t (*workspace_bytes)();
  std::size_t (*packed_b_bytes)(std::int64_t, std::int64_t);
  void (*pack_b)(const typename Args::TypeB*, std::int64_t, std::int64_t, std::int64_t, void*);
  void (*run)(const Args&, void*, const void*);
};
#define SCIPERF_PATH_FNS(name) \
  { &detail::name##_workspace_bytes, &detail::name##_packed_b_bytes, &detail::name##_pack_b, &detail::name }

PathFns<detail::GemmF32> fp32_path(Isa isa) {
  switch (isa) {
    case Isa::avx512:
      return SCIPERF_PATH_FNS(gemm_fp32_avx512);
    case Isa::avx2:
      return SCIPERF_PATH_FNS(gemm_fp32_avx2);
    default:
      return SCIPERF_PATH_FNS(gemm_fp32_scalar);
  }
}

PathFns<detail::GemmBf16> bf16_path(Isa isa) {
  switch (isa) {
    case Isa::avx512_bf16:
      return SCIPERF_PATH_FNS(gemm_bf16_avx512bf16);
    case Isa::avx512:
      return SCIPERF_PATH_FNS(gemm_bf16_avx512);
    case Isa::avx2:
      return SCIPERF_PATH_FNS(gemm_bf16_avx2);
    default:
      return SCIPERF_PATH_FNS(gemm_bf16_scalar);
  }
}

PathFns<detail::GemmI8> int8_path(Isa isa) {
  switch (isa) {
    case Isa::avx512_vnni:
      return SCIPERF_PATH_FNS(gemm_i8_avx512vnni);
    case Isa::avx_vnni:
      return SCIPERF_PATH_FNS(gemm_i8_avxvnni);
    case Isa::avx2:
      return SCIPERF_PATH_FNS(gemm_i8_avx2);
    default:
      return SCIPERF_PATH_FNS(gemm_i8_scalar);
  }
}
#undef SCIPERF_PATH_FNS

// C = A B on a resolved path; B packed ahead when `packed_b` is non-null.
template <class Args>
void run(const PathFns<Args>& path, const Args& p, const void* packed_b) {
  using Out = std::remove_pointer_t<decltype(p.c)>;
  if (p.m == 0 || p.n == 0) return;
  if (p.k == 0) {
    for (std::int64_t i = 0; i < p.m; ++i) std::fill(p.c + i * p.ldc, p.c + i * p.ldc + p.n, Out{});
    return;
  }
  path.run(p, workspace(path.workspace_bytes()), packed_b);
}

template <class Args>
PackedB pack(Kernel kernel, Isa isa, const PathFns<Args>& path, std::int64_t K, std::int64_t N,
             const typename Args::TypeB* B, std::int64_t ldb) {
  PackedB packed(kernel, isa, K, N, K > 0 && N > 0 ? path.packed_b_bytes(K, N) : 0);
  if (packed.bytes() > 0) path.pack_b(B, ldb, K, N, packed.mutable_data());
  return packed;
}

}  // namespace

PackedB::PackedB(Kernel kernel, Isa path, std::int64_t k, std::int64_t n, std::size_t bytes)
    : kernel_(kernel), path_(path), k_(k), n_(n), bytes_(bytes) {
  if (bytes > 0) data_ = std::shared_ptr<void>(aligned_bytes(bytes), FreeAligned{});
}

Bf16 to_bf16(float value) { return Bf16{detail::float_to_bf16_bits(value)}; }
float to_float(Bf16 value) { return detail::bf16_bits_to_float(value.bits); }
void to_bf16(const float* in, Bf16* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i].bits = detail::float_to_bf16_bits(in[i]);
}

Isa gemm_fp32(std::int64_t M, std::int64_t N, std::int64_t K, const float* A, std::int64_t lda, const float* B,
              std::int64_t ldb, float* C, std::int64_t ldc, Isa path) {
  check_b("gemm_fp32", K, N, B, ldb);
  check_a_c("gemm_fp32", M, N, K, A, lda, C, ldc);
  const Isa isa = resolve_path(Kernel::gemm_fp32, path);
  run(fp32_path(isa), detail::GemmF32{M, N, K, A, lda, B, ldb, C, ldc}, nullptr);
  return isa;
}

Isa gemm_bf16(std::int64_t M, std::int64_t N, std::int64_t K, const Bf16* A, std::int64_t lda, const Bf16* B,
              std::int64_t ldb, float* C, std::int64_t ldc, Isa path) {
  check_b("gemm_bf16", K, N, B, ldb);
  check_a_c("gemm_bf16", M, N, K, A, lda, C, ldc);
  const Isa isa = resolve_path(Kernel::gemm_bf16, path);
  run(bf16_path(isa), detail::GemmBf16{M, N, K, A, lda, B, ldb, C, ldc}, nullptr);
  return isa;
}

Isa gemm_u8s8s32(std::int64_t M, std::int64_t N, std::int64_t K, const std::uint8_t* A, std::int64_t lda,
                 const std::int8_t* B, std::int64_t ldb, std::int32_t* C, std::int64_t ldc, Isa path) {
  check_b("gemm_u8s8s32", K, N, B, ldb);
  check_a_c("gemm_u8s8s32", M, N, K, A, lda, C, ldc);
  check_int8_depth(K);
  const Isa isa = resolve_path(Kernel::gemm_int8, path);
  run(int8_path(isa), detail::GemmI8{M, N, K, A, lda, B, ldb, C, ldc}, nullptr);
  return isa;
}

PackedB pack_b_fp32(std::int64_t K, std::int64_t N, const float* B, std::int64_t ldb, Isa path) {
  check_b("pack_b_fp32", K, N, B, ldb);
  const Isa isa = resolve_path(Kernel::gemm_fp32, path);
  return pack(Kernel::gemm_fp32, isa, fp32_path(isa), K, N, B, ldb);
}

PackedB pack_b_bf16(std::int64_t K, std::int64_t N, const Bf16* B, std::int64_t ldb, Isa path) {
  check_b("pack_b_bf16", K, N, B, ldb);
  const Isa isa = resolve_path(Kernel::gemm_bf16, path);
  return pack(Kernel::gemm_bf16, isa, bf16_path(isa), K, N, B, ldb);
}

PackedB pack_b_s8(std::int64_t K, std::int64_t N, const std::int8_t* B, std::int64_t ldb, Isa path) {
  check_b("pack_b_s8", K, N, B, ldb);
  check_int8_depth(K);
  const Isa isa = resolve_path(Kernel::gemm_int8, path);
  return pack(Kernel::gemm_int8, isa, int8_path(isa), K, N, B, ldb);
}

Isa gemm_fp32(std::int64_t M, const float* A, std::int64_t lda, const PackedB& B, float* C, std::int64_t ldc) {
  check_packed("gemm_fp32", Kernel::gemm_fp32, B);
  check_a_c("gemm_fp32", M, B.n(), B.k(), A, lda, C, ldc);
  const Isa isa = resolve_path(Kernel::gemm_fp32, B.path());
  run(fp32_path(isa), detail::GemmF32{M, B.n(), B.k(), A, lda, nullptr, B.n(), C, ldc}, B.data());
  return isa;
}

Isa gemm_bf16(std::int64_t M, const Bf16* A, std::int64_t lda, const PackedB& B, float* C, std::int64_t ldc) {
  check_packed("gemm_bf16", Kernel::gemm_bf16, B);
  check_a_c("gemm_bf16", M, B.n(), B.k(), A, lda, C, ldc);
  const Isa isa = resolve_path(Kernel::gemm_bf16, B.path());
  run(bf16_path(isa), detail::GemmBf16{M, B.n(), B.k(), A, lda, nullptr, B.n(), C, ldc}, B.data());
  return isa;
}

Isa gemm_u8s8s32(std::int64_t M, const std::uint8_t* A, std::int64_t lda, const PackedB& B, std::int32_t* C,
                 std::int64_t ldc) {
  check_packed("gemm_u8s8s32", Kernel::gemm_int8, B);
  check_a_c("gemm_u8s8s32", M, B.n(), B.k(), A, lda, C, ldc);
  const Isa isa = resolve_path(Kernel::gemm_int8, B.path());
  run(int8_path(isa), detail::GemmI8{M, B.n(), B.k(), A, lda, nullptr, B.n(), C, ldc}, B.data());
  return isa;
}

}  // namespace sciperf::kernels::cpu
