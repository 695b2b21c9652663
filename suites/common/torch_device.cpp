#include "suites/common/torch_device.h"

#include <algorithm>

#ifdef SCIPERF_TORCH_HAS_CUDA
#include <c10/cuda/CUDAStream.h>
#endif

namespace sciperf::suites {

torch::Device rank_device(const std::string& device, const CaseContext& context) {
  if (device != "cuda") return torch::Device(torch::kCPU);
  const int devices = static_cast<int>(torch::cuda::device_count());
  const int local_rank = context.rank % std::max(1, context.ranks_per_node);
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(devices > 0 ? local_rank % devices : 0));
}

void synchronize(const torch::Device& device) {
  if (!device.is_cuda()) return;
#ifdef SCIPERF_TORCH_HAS_CUDA
  // LibTorch's current stream only: a training step's NCCL all-reduce runs on a stream of its
  // own, and a device-wide wait would count its unhidden tail in the phase being timed.
  c10::cuda::getCurrentCUDAStream(device.index()).synchronize();
#else
  torch::cuda::synchronize(device.index());
#endif
}

}  // namespace sciperf::suites
