#include "suites/common/torch_device.h"

#include <algorithm>

namespace sciperf::suites {

torch::Device rank_device(const std::string& device, const CaseContext& context) {
  if (device != "cuda") return torch::Device(torch::kCPU);
  const int devices = static_cast<int>(torch::cuda::device_count());
  const int local_rank = context.rank % std::max(1, context.ranks_per_node);
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(devices > 0 ? local_rank % devices : 0));
}

void synchronize(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

}  // namespace sciperf::suites
