// One kernel on its inputs, run by our kernels (kernels/cpu, kernels/cuda) or by the library
// (LibTorch on the CPU, cuBLAS on CUDA): the operation a kernels case times, and the check of
// its output.
#pragma once

#include "suites/kernels/kernel_settings.h"
#include "kernels/cpu/reference.h"

#include <memory>
#include <optional>
#include <string>

namespace sciperf::suites::kernels {

struct WorkCounts {
  double operations = 0;        // per call; a multiply-add counts two
  std::optional<double> bytes;  // compulsory bytes per call (kernel_problems.h); none for peak_fma
  bool integer = false;         // int8: operations are integer ops, not FLOPs
};

class KernelWorkload {
 public:
  virtual ~KernelWorkload() = default;
  // One timed call. On a device it only enqueues the work: wait() finishes it.
  virtual void run() = 0;
  virtual void wait() {}
  // A device times its calls with its own clock (CUDA events): the seconds of device time the
  // calls since begin_device_timing() took. nullopt for the CPU, which the harness's clock
  // times.
  virtual void begin_device_timing() {}
  virtual std::optional<double> device_seconds() { return std::nullopt; }
  // Poisons the output, runs once and checks the output against the reference.
  virtual cpu::CheckResult check() = 0;
  virtual std::string check_method() const = 0;
  virtual WorkCounts counts() const = 0;
  // The instruction-set path that ran: ours (isa_name), the library's CPU capability, or the
  // GPU's architecture and name.
  virtual std::string isa() const = 0;
  // Whose code ran, e.g. "sciperf kernels/cpu", "LibTorch 2.11.0 at::mm_out (BLAS: mkl)" or
  // "cuBLAS 13.0.2 cublasGemmEx ...".
  virtual std::string code() const = 0;
};

// Inputs are made and the reference computed here (O(m n k) for GEMMs). Settings must have
// passed skip_reason; inputs that input_problem() rejects throw std::invalid_argument.
std::unique_ptr<KernelWorkload> make_own_workload(const KernelSettings& settings);
std::unique_ptr<KernelWorkload> make_library_workload(const KernelSettings& settings);

// Why the library cannot run this kernel here (no equivalent, or LibTorch refuses a tiny
// probe of it), or nullopt.
std::optional<std::string> library_unavailable(const KernelSettings& settings);

}  // namespace sciperf::suites::kernels
