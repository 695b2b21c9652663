#include "kernels/cpu/quantize.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu {
namespace {

void check(const void* pointer, std::int64_t n, const char* what) {
  if (n < 0) throw std::invalid_argument(std::string(what) + ": n = " + std::to_string(n) + " is negative");
  if (n > 0 && pointer == nullptr) throw std::invalid_argument(std::string(what) + ": null pointer with n = " + std::to_string(n));
}

// The portable loops are written for the compiler to vectorize: independent lanes, no library
// calls (quantize.cpp is compiled with -fno-trapping-math so the clamps become min/max).
void min_max_scalar(const float* x, std::int64_t n, float& lo_out, float& hi_out) {
  // Per-lane extremes: a single running min/max is a reduction the compiler may not reorder.
  constexpr int kLanes = 16;
  float lo[kLanes] = {}, hi[kLanes] = {};
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) {
      lo[j] = x[i + j] < lo[j] ? x[i + j] : lo[j];
      hi[j] = x[i + j] > hi[j] ? x[i + j] : hi[j];
    }
  for (; i < n; ++i) {
    lo[0] = std::min(lo[0], x[i]);
    hi[0] = std::max(hi[0], x[i]);
  }
  lo_out = *std::min_element(lo, lo + kLanes);
  hi_out = *std::max_element(hi, hi + kLanes);
}

void quantize_u8_scalar(const float* x, std::int64_t n, float inverse, std::int32_t zero_point, std::uint8_t* q) {
  const float zero = static_cast<float>(zero_point);
  // Adding and subtracting 1.5 · 2^23 rounds to the nearest integer, ties to even (the default
  // rounding mode), for |v| < 2^22: here |v| <= 256 once clamped.
  constexpr float kRound = 12582912.0f;
  for (std::int64_t i = 0; i < n; ++i) {
    float v = x[i] * inverse;
    v = v < -256.0f ? -256.0f : (v > 256.0f ? 256.0f : v);
    v = (v + kRound) - kRound + zero;
    v = v < 0.0f ? 0.0f : (v > 255.0f ? 255.0f : v);
    q[i] = static_cast<std::uint8_t>(static_cast<std::int32_t>(v));
  }
}

}  // namespace

AffineU8 u8_params(float min, float max) {
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  if (max == min) return {};
  AffineU8 params;
  params.scale = (max - min) / 255.0f;
  params.zero_point = std::clamp(static_cast<std::int32_t>(std::lround(-min / params.scale)), 0, 255);
  return params;
}

AffineU8 u8_params_of(const float* x, std::int64_t n, Isa path) {
  check(x, n, "u8_params_of");
  float lo = 0.0f, hi = 0.0f;
  if (resolve_path(Kernel::quantize_u8, path) == Isa::avx512)
    detail::min_max_avx512(x, static_cast<std::size_t>(n), lo, hi);
  else
    min_max_scalar(x, n, lo, hi);
  return u8_params(lo, hi);
}

Isa quantize_u8(const float* x, std::int64_t n, AffineU8 params, std::uint8_t* q, Isa path) {
  check(x, n, "quantize_u8");
  check(q, n, "quantize_u8");
  if (!(params.scale > 0.0f)) throw std::invalid_argument("quantize_u8: scale " + std::to_string(params.scale) + " is not positive");
  const Isa isa = resolve_path(Kernel::quantize_u8, path);
  if (isa == Isa::avx512)
    detail::quantize_u8_avx512(x, static_cast<std::size_t>(n), 1.0f / params.scale, params.zero_point, q);
  else
    quantize_u8_scalar(x, n, 1.0f / params.scale, params.zero_point, q);
  return isa;
}

QuantizedWeights quantize_s8(const float* w, std::int64_t rows, std::int64_t cols, bool per_channel) {
  check(w, rows * cols, "quantize_s8");
  QuantizedWeights out;
  out.q.resize(static_cast<std::size_t>(rows * cols));
  out.scales.resize(static_cast<std::size_t>(rows));
  auto largest = [&](std::int64_t first_row, std::int64_t row_count) {
    float m = 0.0f;
    for (std::int64_t i = first_row * cols; i < (first_row + row_count) * cols; ++i) m = std::max(m, std::fabs(w[i]));
    return m;
  };
  const float tensor_max = per_channel ? 0.0f : largest(0, rows);
  for (std::int64_t r = 0; r < rows; ++r) {
    const float m = per_channel ? largest(r, 1) : tensor_max;
    const float scale = m > 0.0f ? m / 127.0f : 1.0f;
    out.scales[static_cast<std::size_t>(r)] = scale;
    for (std::int64_t c = 0; c < cols; ++c) {
      const float level = std::nearbyint(w[r * cols + c] / scale);
      out.q[static_cast<std::size_t>(r * cols + c)] = static_cast<std::int8_t>(std::clamp(level, -127.0f, 127.0f));
    }
  }
  return out;
}

std::vector<std::int32_t> row_sums(const std::int8_t* q, std::int64_t rows, std::int64_t cols) {
  std::vector<std::int32_t> sums(static_cast<std::size_t>(rows), 0);
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) sums[static_cast<std::size_t>(r)] += q[r * cols + c];
  return sums;
}

void dequantize_product(const std::int32_t* acc, std::int64_t m, std::int64_t n, const AffineU8* row_params,
                        const float* weight_scales, const std::int32_t* weight_sums, float* y) {
  for (std::int64_t r = 0; r < m; ++r) {
    const float scale = row_params[r].scale;
    const std::int32_t zero = row_params[r].zero_point;
    for (std::int64_t c = 0; c < n; ++c)
      y[r * n + c] = scale * weight_scales[c] * static_cast<float>(acc[r * n + c] - zero * weight_sums[c]);
  }
}

}  // namespace sciperf::kernels::cpu
