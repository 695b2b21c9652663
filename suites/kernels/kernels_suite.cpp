#include "suites/kernels/kernels_suite.h"

#include "harness/inventory.h"
#include "harness/units.h"
#include "suites/kernels/cuda_workloads.h"
#include "suites/kernels/kernel_case.h"
#include "suites/kernels/kernel_settings.h"
#include "suites/kernels/kernel_workload.h"

#include <fmt/format.h>

#include <algorithm>

namespace sciperf::suites {
namespace {

using kernels::KernelKind;
using kernels::KernelSettings;

// Leave room for the OS and everything else on the node (as collectives does).
constexpr double kUsableMemoryFraction = 0.8;

// A generous bound on one rank's memory: inputs, output, the float64 reference (value and
// magnitude per output element) and the library's copies.
double memory_bytes(const KernelSettings& s) {
  if (s.kernel == KernelKind::peak_fma) return 0;
  if (kernels::is_stream(s.kernel)) return 3.0 * 8 * static_cast<double>(s.elements);
  const auto m = static_cast<double>(s.m), n = static_cast<double>(s.n), k = static_cast<double>(s.k);
  return 8 * (m * k + k * n) + 24 * m * n;
}

std::optional<std::string> memory_problem(const KernelSettings& s, const CaseContext& context) {
  const auto available = available_memory_bytes();
  const double ranks_here = std::min(context.ranks_per_node, context.size);
  const double needed = memory_bytes(s);
  if (!available || needed * ranks_here <= kUsableMemoryFraction * static_cast<double>(*available)) return std::nullopt;
  return fmt::format("needs about {} per rank x {} ranks on this node; {} available",
                     format_size(static_cast<std::uint64_t>(needed)), ranks_here, format_size(*available));
}

}  // namespace

std::string_view KernelsSuite::name() const { return "kernels"; }

std::string_view KernelsSuite::description() const {
  return "CPU and CUDA kernels (GEMM fp32/fp16/bf16/int8, CSR and 2:4 sparse, STREAM, peak multiply-add) beside "
         "LibTorch's and cuBLAS's: GFLOP/s, GB/s, roofline ceilings; every output checked against a float64 reference";
}

const std::vector<ParamSpec>& KernelsSuite::params() const { return kernels::kernel_param_specs(); }

std::vector<std::string> KernelsSuite::headline_metrics() const { return {"gflops", "gbs"}; }

std::optional<std::string> KernelsSuite::skip_reason(const Params& params, const CaseContext& context) const {
  if (auto reason = kernels::skip_reason(params)) return reason;
  const KernelSettings s = kernels::settings_of(params);
  // Bad inputs are not skipped: prepare fails the case, naming the key and the value.
  if (kernels::input_problem(s)) return std::nullopt;
  if (s.device == kernels::Device::cuda) {
    if (auto reason = kernels::cuda_unavailable_reason()) return reason;
  } else if (s.implementation == kernels::Implementation::library) {
    if (auto reason = kernels::library_unavailable(s)) return reason;
  }
  return memory_problem(s, context);
}

std::unique_ptr<CaseInstance> KernelsSuite::prepare(const Params& params, const CaseContext& context) const {
  return std::make_unique<kernels::KernelCase>(kernels::settings_of(params), context);
}

}  // namespace sciperf::suites
