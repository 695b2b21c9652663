// Where a rank's model runs: the CPU, or with `device: cuda` the GPU its local rank maps to
// (one GPU per rank, ranks on a node taking the node's GPUs in turn).
#pragma once

#include "harness/suite.h"

#include <torch/torch.h>

#include <string>

namespace sciperf::suites {

torch::Device rank_device(const std::string& device, const CaseContext& context);
// Waits for the work queued on LibTorch's current stream of the device (nothing to wait for
// on the CPU): timers read after it. Work on other streams (NCCL's) is waited for by its owner.
void synchronize(const torch::Device& device);

}  // namespace sciperf::suites
