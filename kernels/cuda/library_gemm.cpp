// cuBLAS and cuBLASLt GEMM for the row-major problems of gemm.h. Row-major C = A · B is, in
// cuBLAS's column-major view of the same memory, C^T = B^T · A^T: B is passed as the first
// operand and A as the second, sizes (N, M, K), no transposes.
#include "kernels/cuda/gemm.h"

#include "kernels/cuda/detail/check.h"
#include "kernels/cuda/detail/gemm_args.h"

#include <cublasLt.h>
#include <cublas_v2.h>
#include <fmt/format.h>

#include <memory>
#include <tuple>

namespace sciperf::kernels::cuda {
namespace {

using detail::GemmArgs;

void check(cublasStatus_t status, const char* call) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw CudaError(fmt::format("{}: {} (cublasStatus {})", call, cublasGetStatusString(status), static_cast<int>(status)));
}

constexpr std::size_t kLtWorkspaceBytes = std::size_t{32} << 20;

// Inputs, output, computation and the type of alpha and beta, per precision.
struct BlasTypes {
  cudaDataType_t input, output;
  cublasComputeType_t compute;
  cudaDataType_t scale;
  const char* compute_name;
};

BlasTypes blas_types(Precision precision) {
  switch (precision) {
    case Precision::fp16: return {CUDA_R_16F, CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F, "CUBLAS_COMPUTE_32F"};
    case Precision::bf16: return {CUDA_R_16BF, CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F, "CUBLAS_COMPUTE_32F"};
    case Precision::int8: return {CUDA_R_8I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32I, "CUBLAS_COMPUTE_32I"};
    default: return {CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F, "CUBLAS_COMPUTE_32F"};
  }
}

std::string library_version() {
  const std::size_t v = cublasLtGetVersion();  // major * 10000 + minor * 100 + patch
  return fmt::format("{}.{}.{}", v / 10000, v / 100 % 100, v % 100);
}

}  // namespace

struct LibraryGemm::State {
  BlasApi api;
  Precision precision;
  BlasTypes types;
  GemmArgs shape;
  cudaStream_t stream = nullptr;
  // alpha = 1, beta = 0 in the scale type.
  float alpha_f = 1, beta_f = 0;
  int alpha_i = 1, beta_i = 0;
  cublasHandle_t blas = nullptr;
  cublasLtHandle_t lt = nullptr;
  cublasLtMatmulDesc_t operation = nullptr;
  cublasLtMatrixLayout_t first = nullptr, second = nullptr, result = nullptr;  // B^T, A^T, C^T
  cublasLtMatmulAlgo_t algorithm{};
  std::unique_ptr<DeviceBuffer> workspace;

  const void* alpha() const { return types.scale == CUDA_R_32I ? static_cast<const void*>(&alpha_i) : &alpha_f; }
  const void* beta() const { return types.scale == CUDA_R_32I ? static_cast<const void*>(&beta_i) : &beta_f; }

  void plan_lt() {
    check(cublasLtCreate(&lt), "cublasLtCreate");
    check(cublasLtMatmulDescCreate(&operation, types.compute, types.scale), "cublasLtMatmulDescCreate");
    const auto [m, n, k] = std::tuple{shape.m, shape.n, shape.k};
    check(cublasLtMatrixLayoutCreate(&first, types.input, n, k, shape.ldb), "cublasLtMatrixLayoutCreate");
    check(cublasLtMatrixLayoutCreate(&second, types.input, k, m, shape.lda), "cublasLtMatrixLayoutCreate");
    check(cublasLtMatrixLayoutCreate(&result, types.output, n, m, shape.ldc), "cublasLtMatrixLayoutCreate");
    workspace = std::make_unique<DeviceBuffer>(kLtWorkspaceBytes);
    cublasLtMatmulPreference_t preference = nullptr;
    check(cublasLtMatmulPreferenceCreate(&preference), "cublasLtMatmulPreferenceCreate");
    const std::size_t bytes = kLtWorkspaceBytes;
    cublasLtMatmulHeuristicResult_t best{};
    int found = 0;
    const cublasStatus_t status = [&] {
      const cublasStatus_t set = cublasLtMatmulPreferenceSetAttribute(
          preference, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &bytes, sizeof bytes);
      if (set != CUBLAS_STATUS_SUCCESS) return set;
      return cublasLtMatmulAlgoGetHeuristic(lt, operation, first, second, result, result, preference, 1, &best, &found);
    }();
    cublasLtMatmulPreferenceDestroy(preference);
    check(status, "cublasLtMatmulAlgoGetHeuristic");
    if (found == 0)
      throw CudaError(fmt::format("cublasLtMatmulAlgoGetHeuristic: no {} algorithm for M={} N={} K={}",
                                  precision_name(precision), m, n, k));
    algorithm = best.algo;
  }

  ~State() {
    if (result) cublasLtMatrixLayoutDestroy(result);
    if (second) cublasLtMatrixLayoutDestroy(second);
    if (first) cublasLtMatrixLayoutDestroy(first);
    if (operation) cublasLtMatmulDescDestroy(operation);
    if (lt) cublasLtDestroy(lt);
    if (blas) cublasDestroy(blas);
  }
};

LibraryGemm::LibraryGemm(BlasApi api, Precision precision, std::int64_t M, std::int64_t N, std::int64_t K,
                         std::int64_t lda, std::int64_t ldb, std::int64_t ldc, const Stream* stream)
    : state_(std::make_unique<State>()) {
  const char* call = api == BlasApi::cublas ? "cublasGemmEx" : "cublasLtMatmul";
  const GemmArgs shape{M, N, K, nullptr, lda, nullptr, ldb, nullptr, ldc};
  detail::check_gemm_shape(call, precision, shape);
  detail::check_fits_int(call, shape);
  State& s = *state_;
  s.api = api;
  s.precision = precision;
  s.types = blas_types(precision);
  s.shape = shape;
  s.stream = detail::native(stream_handle(stream));
  if (api == BlasApi::cublaslt) {
    s.plan_lt();
    return;
  }
  check(cublasCreate(&s.blas), "cublasCreate");
  check(cublasSetStream(s.blas, s.stream), "cublasSetStream");
}

LibraryGemm::~LibraryGemm() = default;

void LibraryGemm::run(const void* A, const void* B, void* C) {
  State& s = *state_;
  GemmArgs g = s.shape;
  g.a = A, g.b = B, g.c = C;
  detail::check_gemm_pointers(s.api == BlasApi::cublas ? "cublasGemmEx" : "cublasLtMatmul", g);
  if (g.m == 0 || g.n == 0) return;
  const auto [m, n, k] = std::tuple{static_cast<int>(g.m), static_cast<int>(g.n), static_cast<int>(g.k)};
  if (s.api == BlasApi::cublas) {
    check(cublasGemmEx(s.blas, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, s.alpha(), B, s.types.input, static_cast<int>(g.ldb),
                       A, s.types.input, static_cast<int>(g.lda), s.beta(), C, s.types.output, static_cast<int>(g.ldc),
                       s.types.compute, CUBLAS_GEMM_DEFAULT),
          "cublasGemmEx");
    return;
  }
  check(cublasLtMatmul(s.lt, s.operation, s.alpha(), B, s.first, A, s.second, s.beta(), C, s.result, C, s.result,
                       &s.algorithm, s.workspace->data(), s.workspace->size(), s.stream),
        "cublasLtMatmul");
}

std::string LibraryGemm::description() const {
  const State& s = *state_;
  const char* output = s.precision == Precision::int8 ? "int32" : "fp32";
  return fmt::format("cuBLAS {} {} {} x {} -> {}, {}", library_version(),
                     s.api == BlasApi::cublas ? "cublasGemmEx" : "cublasLtMatmul (heuristic's first algorithm)",
                     precision_name(s.precision), precision_name(s.precision), output, s.types.compute_name);
}

}  // namespace sciperf::kernels::cuda
