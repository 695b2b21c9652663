// Data-parallel training of the model zoo (kernels/models) over MPI: throughput, a phase
// breakdown of the step, scaling efficiency and time to the task's target loss.
#pragma once

#include "harness/suite.h"

namespace sciperf::suites {

class TrainingSuite : public Suite {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  const std::vector<ParamSpec>& params() const override;
  std::optional<std::string> skip_reason(const Params& params, const CaseContext& context) const override;
  std::unique_ptr<CaseInstance> prepare(const Params& params, const CaseContext& context) const override;
  std::vector<std::string> headline_metrics() const override;
};

}  // namespace sciperf::suites
