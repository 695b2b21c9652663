// Mixed precision for a forward pass: LibTorch's autocast, whose API changed in 2.4 (one
// call per device type) from 1.13's per-device functions; both are supported.
#pragma once

#include <torch/torch.h>

namespace sciperf::suites {

// "fp32" runs as is; "bf16" autocasts matmuls and convolutions to bfloat16 on the given
// device while parameters, gradients and the optimizer stay in float32.
class AutocastScope {
 public:
  AutocastScope(bool enabled, torch::DeviceType device);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool enabled_;
  torch::DeviceType device_;
  bool was_enabled_ = false;
};

}  // namespace sciperf::suites
