#include "kernels/cpu/peak.h"

#include <stdexcept>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu {

std::string_view precision_name(Precision precision) {
  switch (precision) {
    case Precision::fp32:
      return "fp32";
    case Precision::fp64:
      return "fp64";
    case Precision::bf16:
      return "bf16";
    case Precision::int8:
      return "int8";
  }
  return "unknown";
}

Kernel peak_kernel(Precision precision) {
  switch (precision) {
    case Precision::fp32:
      return Kernel::peak_fp32;
    case Precision::fp64:
      return Kernel::peak_fp64;
    case Precision::bf16:
      return Kernel::peak_bf16;
    case Precision::int8:
      return Kernel::peak_int8;
  }
  throw std::invalid_argument("peak_fma: unknown precision");
}

PeakRun peak_fma(Precision precision, std::uint64_t iterations, Isa path) {
  if (iterations == 0) throw std::invalid_argument("peak_fma: iterations=0 must be >= 1");
  PeakRun run;
  run.path = resolve_path(peak_kernel(precision), path);
  using namespace detail;
  switch (precision) {
    case Precision::fp32:
      run.checksum = run.path == Isa::avx512 ? peak_fp32_avx512(iterations, run.ops)
                     : run.path == Isa::avx2 ? peak_fp32_avx2(iterations, run.ops)
                                             : peak_fp32_scalar(iterations, run.ops);
      break;
    case Precision::fp64:
      run.checksum = run.path == Isa::avx512 ? peak_fp64_avx512(iterations, run.ops)
                     : run.path == Isa::avx2 ? peak_fp64_avx2(iterations, run.ops)
                                             : peak_fp64_scalar(iterations, run.ops);
      break;
    case Precision::bf16:
      run.checksum = peak_bf16_avx512bf16(iterations, run.ops);
      break;
    case Precision::int8:
      run.checksum = run.path == Isa::avx512_vnni ? peak_int8_avx512vnni(iterations, run.ops)
                     : run.path == Isa::avx_vnni  ? peak_int8_avxvnni(iterations, run.ops)
                                                  : peak_int8_avx2(iterations, run.ops);
      break;
  }
  return run;
}

}  // namespace sciperf::kernels::cpu
