// Serving the model zoo under MLPerf LoadGen's scenarios (SingleStream, MultiStream, Server,
// Offline) with our load generator (suites/inference/loadgen): latency percentiles merged
// across ranks, throughput, and the highest Server QPS within a latency bound.
#pragma once

#include "harness/suite.h"

namespace sciperf::suites {

class InferenceSuite : public Suite {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  const std::vector<ParamSpec>& params() const override;
  std::optional<std::string> skip_reason(const Params& params, const CaseContext& context) const override;
  std::unique_ptr<CaseInstance> prepare(const Params& params, const CaseContext& context) const override;
  std::vector<std::string> headline_metrics() const override;
};

}  // namespace sciperf::suites
