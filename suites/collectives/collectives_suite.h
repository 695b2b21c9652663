#pragma once

#include "harness/suite.h"

namespace sciperf::suites {

// Collectives over MPI (the library's and our own algorithms): time per op across ranks,
// algbw and busbw as nccl-tests defines them, every output checked.
class CollectivesSuite : public Suite {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  const std::vector<ParamSpec>& params() const override;
  std::vector<std::string> headline_metrics() const override;
  std::optional<std::string> skip_reason(const Params& params, const CaseContext& context) const override;
  std::unique_ptr<CaseInstance> prepare(const Params& params, const CaseContext& context) const override;
};

}  // namespace sciperf::suites
