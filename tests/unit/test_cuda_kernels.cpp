// The CUDA kernels' API (kernels/cuda) where no GPU is: a missing driver or device is reported
// as CudaError naming the call and the runtime's text, never a crash; bad arguments are refused
// with std::invalid_argument before any CUDA call. Built only with the CUDA kernels; their
// results on a GPU are checked through the kernels suite (test_kernels_suite.cpp).
#ifdef SCIPERF_HAVE_CUDA_KERNELS

#include "kernels/cuda/gemm.h"
#include "kernels/cuda/peak.h"
#include "kernels/cuda/runtime.h"
#include "kernels/cuda/stream.h"

#include <gtest/gtest.h>

#include <climits>
#include <functional>
#include <string>

namespace sciperf::kernels::cuda {
namespace {

// The message of what `call` throws as E, or "" when it throws nothing.
template <class E>
std::string thrown(const std::function<void()>& call) {
  try {
    call();
  } catch (const E& error) {
    return error.what();
  }
  return "";
}

TEST(CudaKernels, NoDeviceIsAnErrorNamingTheCall) {
  const std::optional<std::string> reason = device_unavailable_reason();
  if (!reason) GTEST_SKIP() << device_count() << " CUDA device(s) here";
  // Without a driver (this machine): cudaGetDeviceCount fails with 35, and says why.
  EXPECT_TRUE(reason->starts_with("no CUDA device: cudaGetDeviceCount: ")) << *reason;
  EXPECT_NE(reason->find("(cudaError "), std::string::npos) << *reason;
  EXPECT_TRUE(thrown<CudaError>([] { device_count(); }).starts_with("cudaGetDeviceCount: "));
  // Everything that needs the device throws CudaError, naming its call.
  EXPECT_TRUE(thrown<CudaError>([] { Stream stream; }).starts_with("cudaStreamCreateWithFlags: "));
  EXPECT_TRUE(thrown<CudaError>([] { DeviceBuffer buffer(64); }).starts_with("cudaMalloc: "));
  EXPECT_TRUE(thrown<CudaError>([] { EventTimer timer; }).starts_with("cudaEventCreate: "));
  EXPECT_NE(thrown<CudaError>([] { PeakFma peak(Precision::fp32, 1); }), "");
  EXPECT_NE(thrown<CudaError>([] { LibraryGemm gemm(BlasApi::cublas, Precision::fp16, 8, 8, 8, 8, 8, 8); }), "");
  EXPECT_NE(thrown<CudaError>([] { LibraryGemm gemm(BlasApi::cublaslt, Precision::int8, 8, 8, 8, 8, 8, 8); }), "");
}

TEST(CudaKernels, GemmArgumentsAreCheckedFirst) {
  auto gemm_error = [](std::int64_t M, std::int64_t N, std::int64_t K, std::int64_t lda, std::int64_t ldb,
                       std::int64_t ldc, Precision precision = Precision::fp32, bool null_a = false) {
    static char device_stand_in[1];
    const void* A = null_a ? nullptr : device_stand_in;
    return thrown<std::invalid_argument>(
        [&] { gemm(precision, M, N, K, A, lda, device_stand_in, ldb, device_stand_in, ldc); });
  };
  EXPECT_EQ(gemm_error(-1, 4, 4, 4, 4, 4), "cuda::gemm: M=-1 must be >= 0");
  EXPECT_EQ(gemm_error(4, 4, 8, 7, 4, 4), "cuda::gemm: lda=7 must be >= K=8");
  EXPECT_EQ(gemm_error(4, 5, 8, 8, 4, 5), "cuda::gemm: ldb=4 must be >= N=5");
  EXPECT_EQ(gemm_error(4, 5, 8, 8, 5, 3), "cuda::gemm: ldc=3 must be >= N=5");
  EXPECT_EQ(gemm_error(4, 4, 4, 4, 4, 4, Precision::bf16, true), "cuda::gemm: A is null");
  EXPECT_EQ(gemm_error(1, 1, kGemmS8MaxK + 1, kGemmS8MaxK + 1, 1, 1, Precision::int8),
            "cuda::gemm: K=131072 exceeds 131071 (int32 sums could overflow)");
  // Empty matrices may be null, and an empty output needs no device at all.
  EXPECT_NO_THROW(gemm(Precision::fp16, 0, 4, 0, nullptr, 0, nullptr, 4, nullptr, 4));
  EXPECT_EQ(gemm_error(0, 4, 4, 4, 4, 4, Precision::fp32, true), "");
  EXPECT_EQ(thrown<std::invalid_argument>([] {
              LibraryGemm gemm(BlasApi::cublas, Precision::fp32, 4, std::int64_t{INT_MAX} + 1, 4, 4,
                               std::int64_t{INT_MAX} + 1, std::int64_t{INT_MAX} + 1);
            }),
            "cublasGemmEx: N=2147483648 exceeds the int range cuBLAS takes");
}

TEST(CudaKernels, StreamAndPeakRefuseBadArgumentsBeforeTheDevice) {
  EXPECT_NO_THROW(run_stream(cpu::StreamKernel::triad, nullptr, nullptr, nullptr, 3.0, 0));
  EXPECT_THROW(run_stream(cpu::StreamKernel::copy, nullptr, nullptr, nullptr, 3.0, 10), std::invalid_argument);
  EXPECT_EQ(thrown<std::invalid_argument>([] { PeakFma peak(Precision::int8, 0); }),
            "cuda::PeakFma: iterations must be >= 1");
}

TEST(CudaKernels, PrecisionsNameThemselves) {
  EXPECT_EQ(precision_name(Precision::bf16), "bf16");
  EXPECT_EQ(input_bytes(Precision::fp32), 4u);
  EXPECT_EQ(input_bytes(Precision::fp16), 2u);
  EXPECT_EQ(input_bytes(Precision::int8), 1u);
  EXPECT_NE(gemm_description(Precision::int8).find("int8 -> int32"), std::string::npos);
}

}  // namespace
}  // namespace sciperf::kernels::cuda

#endif
