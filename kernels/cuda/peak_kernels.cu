// The peak loops: per thread 16 independent chains of one multiply-add instruction, 8 rounds
// of them per loop trip so that the loop's own instructions take under 3% of the issue slots.
// Each step feeds the accumulator back as an operand (acc = acc * x + y; dp4a(acc, x, y)), so
// the compiler cannot fold a chain into a closed form.
#include "kernels/cuda/detail/check.h"
#include "kernels/cuda/detail/launch.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace sciperf::kernels::cuda::detail {
namespace {

constexpr int kThreads = 256;
constexpr int kChains = 16;
constexpr int kRounds = 8;
// Operands passed at run time (not foldable); acc * x + y stays near y / (1 - x), finite in
// every format.
constexpr float kX = 0.999f, kY = 0.001f;

template <Precision P>
struct Lane;
template <>
struct Lane<Precision::fp32> {
  using T = float;
  static constexpr double kOps = 2;
  __device__ static T make(float v) { return v; }
  __device__ static T step(T acc, T x, T y) { return fmaf(acc, x, y); }
  __device__ static float value(T v) { return v; }
};
// half2 and bfloat162: two lanes per instruction; the intrinsics are overloaded for both.
__device__ __half2 both_lanes(float v, __half2*) { return __float2half2_rn(v); }
__device__ __nv_bfloat162 both_lanes(float v, __nv_bfloat162*) { return __float2bfloat162_rn(v); }
template <class Pair>
struct PairLane {
  using T = Pair;
  static constexpr double kOps = 4;
  __device__ static T make(float v) { return both_lanes(v, static_cast<T*>(nullptr)); }
  __device__ static T step(T acc, T x, T y) { return __hfma2(acc, x, y); }
  __device__ static float value(T v) { return __low2float(v) + __high2float(v); }
};
template <>
struct Lane<Precision::fp16> : PairLane<__half2> {};
template <>
struct Lane<Precision::bf16> : PairLane<__nv_bfloat162> {};
template <>
struct Lane<Precision::int8> {
  using T = int;  // four signed bytes
  static constexpr double kOps = 8;
  __device__ static T make(float v) { return __float_as_int(v); }
  __device__ static T step(T acc, T x, T y) { return __dp4a(acc, x, y); }
  __device__ static float value(T v) { return static_cast<float>(v); }
};

template <class L>
__global__ void __launch_bounds__(kThreads) peak_kernel(std::uint64_t iterations, float x_value, float y_value,
                                                         float* sink) {
  const typename L::T x = L::make(x_value), y = L::make(y_value);
  typename L::T acc[kChains];
#pragma unroll
  for (int c = 0; c < kChains; ++c) acc[c] = L::make(static_cast<float>(threadIdx.x % 32) * 1e-3f + c * 1e-2f);
  for (std::uint64_t i = 0; i < iterations; ++i)
#pragma unroll
    for (int r = 0; r < kRounds; ++r)
#pragma unroll
      for (int c = 0; c < kChains; ++c) acc[c] = L::step(acc[c], x, y);
  float total = 0;
#pragma unroll
  for (int c = 0; c < kChains; ++c) total += L::value(acc[c]);
  sink[static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x] = total;
}

// Calls visit(Lane<precision>{}).
template <class Visit>
auto with_lane(Precision precision, Visit visit) {
  switch (precision) {
    case Precision::fp16: return visit(Lane<Precision::fp16>{});
    case Precision::bf16: return visit(Lane<Precision::bf16>{});
    case Precision::int8: return visit(Lane<Precision::int8>{});
    default: return visit(Lane<Precision::fp32>{});
  }
}

}  // namespace

int peak_threads_per_block() { return kThreads; }

double peak_ops_per_thread_and_iteration(Precision precision) {
  return with_lane(precision, [](auto lane) { return kRounds * kChains * decltype(lane)::kOps; });
}

void launch_peak(Precision precision, std::uint64_t iterations, int blocks, float* sink, void* stream) {
  with_lane(precision, [&](auto lane) {
    peak_kernel<decltype(lane)><<<blocks, kThreads, 0, native(stream)>>>(iterations, kX, kY, sink);
  });
  check(cudaGetLastError(), "peak_kernel launch");
}

}  // namespace sciperf::kernels::cuda::detail
