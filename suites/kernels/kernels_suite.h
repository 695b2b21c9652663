#pragma once

#include "harness/suite.h"

namespace sciperf::suites {

// Compute kernels (kernels/cpu; kernels/cuda with device: cuda) beside their library
// equivalent (LibTorch on the CPU; cuBLAS and cuBLASLt on the GPU): GFLOP/s and GB/s per
// kernel and shape, every output checked against a float64 reference, and the machine's
// measured ceilings (peak multiply-add rate per precision, STREAM triad bandwidth) for the
// roofline.
class KernelsSuite : public Suite {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  const std::vector<ParamSpec>& params() const override;
  std::vector<std::string> headline_metrics() const override;
  std::optional<std::string> skip_reason(const Params& params, const CaseContext& context) const override;
  std::unique_ptr<CaseInstance> prepare(const Params& params, const CaseContext& context) const override;
};

}  // namespace sciperf::suites
