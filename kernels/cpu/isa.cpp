#include "kernels/cpu/isa.h"

#include <array>
#include <cstdint>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define SCIPERF_CPU_X86 1
#endif

namespace sciperf::kernels::cpu {
namespace {

constexpr std::array<std::pair<Isa, std::string_view>, 7> kIsaNames{{
    {Isa::automatic, "automatic"},
    {Isa::scalar, "scalar"},
    {Isa::avx2, "avx2"},
    {Isa::avx512, "avx512"},
    {Isa::avx512_bf16, "avx512_bf16"},
    {Isa::avx_vnni, "avx_vnni"},
    {Isa::avx512_vnni, "avx512_vnni"},
}};

#ifdef SCIPERF_CPU_X86
std::uint64_t xgetbv0() {
  std::uint32_t eax = 0;
  std::uint32_t edx = 0;
  // The xgetbv intrinsic needs -mxsave; the instruction is there whenever OSXSAVE is set.
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<std::uint64_t>(edx) << 32) | eax;
}

CpuFeatures detect() {
  CpuFeatures f;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_max(0, nullptr) < 7) return f;
  __cpuid_count(1, 0, eax, ebx, ecx, edx);
  const bool osxsave = (ecx >> 27) & 1u;
  const bool avx = (ecx >> 28) & 1u;
  const bool fma = (ecx >> 12) & 1u;
  if (!osxsave || !avx) return f;
  const std::uint64_t xcr0 = xgetbv0();
  const bool ymm_state = (xcr0 & 0x6u) == 0x6u;    // SSE and AVX state
  const bool zmm_state = (xcr0 & 0xE6u) == 0xE6u;  // plus opmask, ZMM_Hi256, Hi16_ZMM
  if (!ymm_state) return f;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const unsigned leaf7_ebx = ebx;
  const unsigned leaf7_ecx = ecx;
  const unsigned max_subleaf = eax;
  unsigned leaf7_1_eax = 0;
  if (max_subleaf >= 1) {
    __cpuid_count(7, 1, eax, ebx, ecx, edx);
    leaf7_1_eax = eax;
  }
  f.fma = fma;
  f.avx2 = (leaf7_ebx >> 5) & 1u;
  f.avx_vnni = f.avx2 && ((leaf7_1_eax >> 4) & 1u);
  if (zmm_state) {
    f.avx512f = (leaf7_ebx >> 16) & 1u;
    f.avx512bw = (leaf7_ebx >> 30) & 1u;
    f.avx512vl = (leaf7_ebx >> 31) & 1u;
    f.avx512_vnni = f.avx512f && ((leaf7_ecx >> 11) & 1u);
    f.avx512_bf16 = f.avx512f && ((leaf7_1_eax >> 5) & 1u);
  }
  return f;
}
#else
CpuFeatures detect() { return {}; }
#endif

void need(bool present, std::string_view name, std::string& missing) {
  if (present) return;
  if (!missing.empty()) missing += ' ';
  missing += name;
}

}  // namespace

std::string_view isa_name(Isa isa) {
  for (const auto& [value, name] : kIsaNames)
    if (value == isa) return name;
  return "unknown";
}

Isa parse_isa(std::string_view name) {
  for (const auto& [value, text] : kIsaNames)
    if (text == name) return value;
  throw std::invalid_argument("isa: unknown path '" + std::string(name) +
                              "' (automatic, scalar, avx2, avx512, avx512_bf16, avx_vnni, avx512_vnni)");
}

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

std::string describe(const CpuFeatures& f) {
  const std::array<std::pair<bool, std::string_view>, 8> all{{{f.avx2, "avx2"},
                                                              {f.fma, "fma"},
                                                              {f.avx512f, "avx512f"},
                                                              {f.avx512bw, "avx512bw"},
                                                              {f.avx512vl, "avx512vl"},
                                                              {f.avx512_vnni, "avx512_vnni"},
                                                              {f.avx512_bf16, "avx512_bf16"},
                                                              {f.avx_vnni, "avx_vnni"}}};
  std::string out;
  for (const auto& [present, name] : all)
    if (present) out += (out.empty() ? "" : " ") + std::string(name);
  return out;
}

std::string missing_features(Isa isa, const CpuFeatures& f) {
  std::string missing;
  switch (isa) {
    case Isa::automatic:
    case Isa::scalar:
      break;
    case Isa::avx2:
      need(f.avx2, "AVX2", missing);
      need(f.fma, "FMA", missing);
      break;
    case Isa::avx512:
      need(f.avx512f, "AVX512F", missing);
      need(f.avx512bw, "AVX512BW", missing);
      need(f.fma, "FMA", missing);
      break;
    case Isa::avx512_bf16:
      need(f.avx512f, "AVX512F", missing);
      need(f.avx512bw, "AVX512BW", missing);
      need(f.avx512_bf16, "AVX512_BF16", missing);
      break;
    case Isa::avx_vnni:
      need(f.avx2, "AVX2", missing);
      need(f.fma, "FMA", missing);
      need(f.avx_vnni, "AVX_VNNI", missing);
      break;
    case Isa::avx512_vnni:
      need(f.avx512f, "AVX512F", missing);
      need(f.avx512bw, "AVX512BW", missing);
      need(f.avx512_vnni, "AVX512_VNNI", missing);
      break;
  }
  return missing;
}

IsaUnavailable::IsaUnavailable(Isa isa, const std::string& missing)
    : std::runtime_error("skipped: no " + missing), isa_(isa) {}

std::string_view kernel_name(Kernel kernel) {
  switch (kernel) {
    case Kernel::gemm_fp32:
      return "gemm_fp32";
    case Kernel::gemm_bf16:
      return "gemm_bf16";
    case Kernel::gemm_int8:
      return "gemm_int8";
    case Kernel::spmm_csr:
      return "spmm_csr";
    case Kernel::gemm_sparse24:
      return "gemm_sparse24";
    case Kernel::stream:
      return "stream";
    case Kernel::peak_fp32:
      return "peak_fp32";
    case Kernel::peak_fp64:
      return "peak_fp64";
    case Kernel::peak_bf16:
      return "peak_bf16";
    case Kernel::peak_int8:
      return "peak_int8";
    case Kernel::quantize_u8:
      return "quantize_u8";
  }
  return "unknown";
}

std::vector<Isa> implemented_paths(Kernel kernel) {
  switch (kernel) {
    case Kernel::gemm_fp32:
    case Kernel::spmm_csr:
    case Kernel::gemm_sparse24:
    case Kernel::stream:
    case Kernel::peak_fp32:
    case Kernel::peak_fp64:
      return {Isa::avx512, Isa::avx2, Isa::scalar};
    case Kernel::quantize_u8:
      return {Isa::avx512, Isa::scalar};
    case Kernel::gemm_bf16:
      return {Isa::avx512_bf16, Isa::avx512, Isa::avx2, Isa::scalar};
    case Kernel::gemm_int8:
      return {Isa::avx512_vnni, Isa::avx_vnni, Isa::avx2, Isa::scalar};
    case Kernel::peak_bf16:
      return {Isa::avx512_bf16};
    case Kernel::peak_int8:
      return {Isa::avx512_vnni, Isa::avx_vnni, Isa::avx2};
  }
  return {};
}

std::vector<Isa> available_paths(Kernel kernel, const CpuFeatures& features) {
  std::vector<Isa> out;
  for (Isa isa : implemented_paths(kernel))
    if (missing_features(isa, features).empty()) out.push_back(isa);
  return out;
}

Isa resolve_path(Kernel kernel, Isa requested, const CpuFeatures& features) {
  const std::vector<Isa> implemented = implemented_paths(kernel);
  if (requested == Isa::automatic) {
    for (Isa isa : implemented)
      if (missing_features(isa, features).empty()) return isa;
    // Nothing runs here: name what the best path would need.
    throw IsaUnavailable(implemented.front(), missing_features(implemented.front(), features));
  }
  bool found = false;
  for (Isa isa : implemented) found = found || isa == requested;
  if (!found) {
    std::string list;
    for (Isa isa : implemented) list += (list.empty() ? "" : ", ") + std::string(isa_name(isa));
    throw std::invalid_argument("isa: " + std::string(kernel_name(kernel)) + " has no '" +
                                std::string(isa_name(requested)) + "' path (it has " + list + ")");
  }
  if (std::string missing = missing_features(requested, features); !missing.empty())
    throw IsaUnavailable(requested, missing);
  return requested;
}

}  // namespace sciperf::kernels::cpu
