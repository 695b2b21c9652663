// GEMM dispatch: check the arguments, pick the kernel for the precision.
#include "kernels/cuda/gemm.h"

#include "kernels/cuda/detail/gemm_args.h"
#include "kernels/cuda/detail/launch.h"

namespace sciperf::kernels::cuda {

std::string_view precision_name(Precision precision) {
  switch (precision) {
    case Precision::fp32: return "fp32";
    case Precision::fp16: return "fp16";
    case Precision::bf16: return "bf16";
    case Precision::int8: return "int8";
  }
  return "unknown";
}

std::size_t input_bytes(Precision precision) {
  switch (precision) {
    case Precision::fp32: return 4;
    case Precision::int8: return 1;
    default: return 2;
  }
}

void gemm(Precision precision, std::int64_t M, std::int64_t N, std::int64_t K, const void* A, std::int64_t lda,
          const void* B, std::int64_t ldb, void* C, std::int64_t ldc, const Stream* stream) {
  const detail::GemmArgs args{M, N, K, A, lda, B, ldb, C, ldc};
  detail::check_gemm_args("cuda::gemm", precision, args);
  if (M == 0 || N == 0) return;
  if (precision == Precision::fp32) detail::launch_gemm_simt(args, stream_handle(stream));
  else detail::launch_gemm_wmma(precision, args, stream_handle(stream));
}

std::string gemm_description(Precision precision) {
  if (precision == Precision::fp32)
    return "sciperf kernels/cuda SIMT fp32 GEMM (128x128x8 shared-memory tiles, 8x8 outputs per thread)";
  return "sciperf kernels/cuda tensor-core GEMM (WMMA 16x16x16, 128x128x32 shared-memory tiles, " +
         std::string(precision_name(precision)) + (precision == Precision::int8 ? " -> int32)" : " -> fp32)");
}

}  // namespace sciperf::kernels::cuda
