// Which instruction-set path a CPU kernel runs: what the CPU offers (CPUID and XGETBV),
// which paths each kernel implements, and the choice between them, automatic (the best the
// CPU has) or forced (tests run every path; a forced path the CPU lacks throws
// IsaUnavailable, whose message is "skipped: no AVX512_BF16" and the like).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf::kernels::cpu {

// A code path. `automatic` asks for the best available one; the others name one path.
enum class Isa {
  automatic,
  scalar,       // portable C++, no intrinsics
  avx2,         // AVX2 + FMA, 256-bit
  avx512,       // AVX-512F (+BW for the integer paths), 512-bit
  avx512_bf16,  // AVX512_BF16: vdpbf16ps
  avx_vnni,     // AVX-VNNI: VEX-encoded 256-bit vpdpbusd
  avx512_vnni,  // AVX512_VNNI: 512-bit vpdpbusd
};

// Lower-case names as above ("avx512_bf16"); parse_isa throws std::invalid_argument naming
// the text for an unknown one.
std::string_view isa_name(Isa isa);
Isa parse_isa(std::string_view name);

// What this CPU and operating system support (the OS must save the vector registers:
// XGETBV is checked for the YMM and ZMM state as well as CPUID's feature bits).
struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool avx512_vnni = false;
  bool avx512_bf16 = false;
  bool avx_vnni = false;
};
const CpuFeatures& cpu_features();  // detected once
// "avx2 fma avx512f ..." (the ones present), for inventories and logs.
std::string describe(const CpuFeatures& features);

// The features a path needs that `features` lacks, upper case and space separated as the
// vendors spell them ("AVX512_BF16", "AVX2 FMA"); empty when the path can run.
std::string missing_features(Isa isa, const CpuFeatures& features = cpu_features());

// Thrown when a path is forced that the CPU lacks; what() is "skipped: no <FEATURES>".
class IsaUnavailable : public std::runtime_error {
 public:
  IsaUnavailable(Isa isa, const std::string& missing);
  Isa isa() const { return isa_; }

 private:
  Isa isa_;
};

enum class Kernel {
  gemm_fp32,
  gemm_bf16,
  gemm_int8,
  spmm_csr,
  gemm_sparse24,
  stream,
  peak_fp32,
  peak_fp64,
  peak_bf16,
  peak_int8,
  quantize_u8,
};
std::string_view kernel_name(Kernel kernel);

// The paths a kernel implements, best first (independent of the CPU).
std::vector<Isa> implemented_paths(Kernel kernel);
// Those the CPU can run, best first; never empty except for kernels with no portable path
// (peak_bf16, peak_int8) on CPUs without their instructions.
std::vector<Isa> available_paths(Kernel kernel, const CpuFeatures& features = cpu_features());

// The path a call runs: `automatic` gives the best available one (IsaUnavailable if there is
// none); a named path the kernel does not implement throws std::invalid_argument, one the CPU
// lacks throws IsaUnavailable.
Isa resolve_path(Kernel kernel, Isa requested, const CpuFeatures& features = cpu_features());

}  // namespace sciperf::kernels::cpu
