// Compressed variants of a trained model of the zoo — fp16/bf16 weights, dynamic and static
// int8, magnitude pruning, 2:4 sparsity, low-rank factors — on our kernels and on LibTorch:
// size, latency and throughput against the dense model, accuracy and output error.
#pragma once

#include "harness/suite.h"

namespace sciperf::suites {

class CompressionSuite : public Suite {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  const std::vector<ParamSpec>& params() const override;
  std::optional<std::string> skip_reason(const Params& params, const CaseContext& context) const override;
  std::unique_ptr<CaseInstance> prepare(const Params& params, const CaseContext& context) const override;
  std::vector<std::string> headline_metrics() const override;
};

}  // namespace sciperf::suites
