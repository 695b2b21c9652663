// Argument checks shared by our GEMM (gemm.cpp) and the library's (library_gemm.cpp): the
// same rules as kernels/cpu/gemm.h, named by parameter and value.
#pragma once

#include "kernels/cuda/detail/launch.h"

#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace sciperf::kernels::cuda::detail {

[[noreturn]] inline void bad_argument(const char* call, const char* what, std::int64_t value, const std::string& rule) {
  throw std::invalid_argument(std::string(call) + ": " + what + "=" + std::to_string(value) + " " + rule);
}

// Sizes and leading dimensions (pointers are not looked at).
inline void check_gemm_shape(const char* call, Precision precision, const GemmArgs& g) {
  if (g.m < 0) bad_argument(call, "M", g.m, "must be >= 0");
  if (g.n < 0) bad_argument(call, "N", g.n, "must be >= 0");
  if (g.k < 0) bad_argument(call, "K", g.k, "must be >= 0");
  if (g.m > 0 && g.lda < g.k) bad_argument(call, "lda", g.lda, "must be >= K=" + std::to_string(g.k));
  if (g.k > 0 && g.ldb < g.n) bad_argument(call, "ldb", g.ldb, "must be >= N=" + std::to_string(g.n));
  if (g.m > 0 && g.ldc < g.n) bad_argument(call, "ldc", g.ldc, "must be >= N=" + std::to_string(g.n));
  if (precision == Precision::int8 && g.k > kGemmS8MaxK)
    bad_argument(call, "K", g.k, "exceeds " + std::to_string(kGemmS8MaxK) + " (int32 sums could overflow)");
}

inline void check_gemm_pointers(const char* call, const GemmArgs& g) {
  if (g.m > 0 && g.k > 0 && g.a == nullptr) throw std::invalid_argument(std::string(call) + ": A is null");
  if (g.k > 0 && g.n > 0 && g.b == nullptr) throw std::invalid_argument(std::string(call) + ": B is null");
  if (g.m > 0 && g.n > 0 && g.c == nullptr) throw std::invalid_argument(std::string(call) + ": C is null");
}

inline void check_gemm_args(const char* call, Precision precision, const GemmArgs& g) {
  check_gemm_shape(call, precision, g);
  check_gemm_pointers(call, g);
}

// cuBLAS takes int sizes.
inline void check_fits_int(const char* call, const GemmArgs& g) {
  constexpr std::int64_t kMax = std::numeric_limits<int>::max();
  const std::pair<const char*, std::int64_t> values[] = {{"M", g.m},     {"N", g.n},     {"K", g.k},
                                                         {"lda", g.lda}, {"ldb", g.ldb}, {"ldc", g.ldc}};
  for (const auto& [name, value] : values)
    if (value > kMax) bad_argument(call, name, value, "exceeds the int range cuBLAS takes");
}

}  // namespace sciperf::kernels::cuda::detail
