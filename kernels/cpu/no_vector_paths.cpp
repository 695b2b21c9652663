// Builds for CPUs other than x86-64 have only the portable paths: isa.cpp then reports no
// x86 features, so resolve_path() never picks these entry points; they exist to satisfy the
// dispatchers and throw if reached anyway.
#include <stdexcept>

#include "kernels/cpu/detail/paths.h"
#include "kernels/cpu/gemm.h"

namespace sciperf::kernels::cpu::detail {
namespace {
[[noreturn]] void unavailable() { throw std::logic_error("x86 vector path called in a build without x86 paths"); }
}  // namespace

#define SCIPERF_NO_GEMM_PATH(name, args)                                                                     \
  std::size_t name##_workspace_bytes() { unavailable(); }                                                    \
  std::size_t name##_packed_b_bytes(std::int64_t, std::int64_t) { unavailable(); }                           \
  void name##_pack_b(const args::TypeB*, std::int64_t, std::int64_t, std::int64_t, void*) { unavailable(); } \
  void name(const args&, void*, const void*) { unavailable(); }
SCIPERF_NO_GEMM_PATH(gemm_fp32_avx2, GemmF32)
SCIPERF_NO_GEMM_PATH(gemm_fp32_avx512, GemmF32)
SCIPERF_NO_GEMM_PATH(gemm_bf16_avx2, GemmBf16)
SCIPERF_NO_GEMM_PATH(gemm_bf16_avx512, GemmBf16)
SCIPERF_NO_GEMM_PATH(gemm_bf16_avx512bf16, GemmBf16)
SCIPERF_NO_GEMM_PATH(gemm_i8_avx2, GemmI8)
SCIPERF_NO_GEMM_PATH(gemm_i8_avxvnni, GemmI8)
SCIPERF_NO_GEMM_PATH(gemm_i8_avx512vnni, GemmI8)
#undef SCIPERF_NO_GEMM_PATH

void spmm_csr_avx2(const SpmmArgs&) { unavailable(); }
void spmm_csr_avx512(const SpmmArgs&) { unavailable(); }
void gemm_sparse24_avx2(const Sparse24Args&) { unavailable(); }
void gemm_sparse24_avx512(const Sparse24Args&) { unavailable(); }

#define SCIPERF_NO_STREAM_PATH(suffix)                                                            \
  void stream_copy_##suffix(const double*, double*, std::size_t) { unavailable(); }               \
  void stream_scale_##suffix(double*, const double*, double, std::size_t) { unavailable(); }      \
  void stream_add_##suffix(const double*, const double*, double*, std::size_t) { unavailable(); } \
  void stream_triad_##suffix(double*, const double*, const double*, double, std::size_t) { unavailable(); }
SCIPERF_NO_STREAM_PATH(avx2)
SCIPERF_NO_STREAM_PATH(avx512)
#undef SCIPERF_NO_STREAM_PATH

double peak_fp32_avx2(std::uint64_t, double&) { unavailable(); }
double peak_fp32_avx512(std::uint64_t, double&) { unavailable(); }
double peak_fp64_avx2(std::uint64_t, double&) { unavailable(); }
double peak_fp64_avx512(std::uint64_t, double&) { unavailable(); }
double peak_bf16_avx512bf16(std::uint64_t, double&) { unavailable(); }
double peak_int8_avx2(std::uint64_t, double&) { unavailable(); }
double peak_int8_avxvnni(std::uint64_t, double&) { unavailable(); }
double peak_int8_avx512vnni(std::uint64_t, double&) { unavailable(); }

void min_max_avx512(const float*, std::size_t, float&, float&) { unavailable(); }
void quantize_u8_avx512(const float*, std::size_t, float, std::int32_t, std::uint8_t*) { unavailable(); }

}  // namespace sciperf::kernels::cpu::detail
