// What one case of the kernels suite runs, read from its parameters, and the rules that
// decide whether it can run here. Plain C++ (no LibTorch, no MPI, no CUDA): the suite, its
// tests and `--dry-run` all use it.
#pragma once

#include "harness/params.h"
#include "kernels/cpu/isa.h"
#include "kernels/cpu/peak.h"
#include "kernels/cpu/stream.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf::suites::kernels {

namespace cpu = ::sciperf::kernels::cpu;

enum class KernelKind { gemm, spmm_csr, gemm_sparse24, stream_copy, stream_scale, stream_add, stream_triad, peak_fma };
// own: kernels/cpu or kernels/cuda; library: LibTorch on the CPU, cuBLAS's cublasGemmEx on
// CUDA; cublaslt: cuBLASLt's cublasLtMatmul (CUDA only).
enum class Implementation { own, library, cublaslt };
enum class Device { cpu, cuda };
// fp16 runs on CUDA only.
enum class Precision { fp32, fp64, fp16, bf16, int8 };
std::string_view implementation_name(Implementation implementation);
std::string_view device_name(Device device);
std::string_view precision_name(Precision precision);
cpu::Precision cpu_precision(Precision precision);  // std::invalid_argument for fp16

struct KernelSettings {
  KernelKind kernel = KernelKind::gemm;
  Implementation implementation = Implementation::own;
  Device device = Device::cpu;
  cpu::Isa isa = cpu::Isa::automatic;
  Precision precision = Precision::fp32;
  double sparsity = 0.9;            // spmm_csr: fraction of zeros in A
  std::int64_t iterations = 100000; // peak_fma: rounds of the multiply-add chains per call
  std::uint64_t seed = 1;           // the inputs
  std::int64_t m = 512, n = 512, k = 512;
  std::int64_t elements = 10'000'000;  // STREAM: elements of each float64 array
};

std::string_view kernel_name(KernelKind kernel);
bool is_stream(KernelKind kernel);
cpu::StreamKernel stream_kernel(KernelKind kernel);  // stream_* only

// The suite's parameters, in declaration order (shapes last, so they vary fastest).
const std::vector<ParamSpec>& kernel_param_specs();
KernelSettings settings_of(const Params& params);

// Why the case cannot run here, or nullopt: a precision the kernel lacks (on its device), a
// parameter set that does not apply to the kernel or the device, an ISA path the kernel lacks
// or the CPU lacks ("no AVX512_BF16"). Library availability (LibTorch) and the GPU are checked
// apart: library_unavailable(), cuda_unavailable_reason() (cuda_workloads.h).
std::optional<std::string> skip_reason(const Params& params, const cpu::CpuFeatures& features = cpu::cpu_features());

// Inputs no kernel can take, beyond the bounds the config already checks (a sparsity of
// exactly 0 or 1, a k that 2:4 sparsity or int8 sums cannot take), naming the key and the
// value; nullopt when the inputs are good. The workloads throw std::invalid_argument with it,
// so such a case fails at set-up with that message.
std::optional<std::string> input_problem(const KernelSettings& settings);
void check_inputs(const KernelSettings& settings);

// The ISA path the own implementation runs (resolved from `isa`); throws as resolve_path does.
cpu::Isa own_path(const KernelSettings& settings, const cpu::CpuFeatures& features = cpu::cpu_features());

}  // namespace sciperf::suites::kernels
