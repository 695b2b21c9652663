#include "suites/collectives/nccl_case.h"

#include "kernels/comm/cuda/nccl_communicator.h"

#include <fmt/format.h>

namespace sciperf::suites {
namespace {

using comm::cuda::DeviceBuffer;
using comm::cuda::NcclCommunicator;

// NCCL communicators are costly to create: one per job, reused by every case.
NcclCommunicator& shared_communicator(MPI_Comm comm) {
  static std::unique_ptr<NcclCommunicator> communicator;
  if (!communicator) communicator = std::make_unique<NcclCommunicator>(comm);
  return *communicator;
}

class NcclCollectiveCase : public CollectiveCase {
 public:
  NcclCollectiveCase(const CollectiveSettings& settings, const CaseContext& context)
      : CollectiveCase(settings, context),
        nccl_(shared_communicator(context.comm)),
        send_device_(send_.size()),
        recv_device_(recv_.size()) {
    upload();
  }

  void run_once() override {
    const std::string_view name = settings_.collective->name();
    const void* send =
        in_place() ? static_cast<char*>(recv_device_.data()) + input_offset_ * element_bytes_ : send_device_.data();
    void* recv = recv_device_.data();
    if (name == "allreduce") nccl_.allreduce(send, recv, layout_.count, settings_.type, settings_.op);
    else if (name == "reduce_scatter") nccl_.reduce_scatter(send, recv, layout_.recv_count, settings_.type, settings_.op);
    else if (name == "allgather") nccl_.allgather(send, recv, layout_.send_count, settings_.type);
    else if (name == "broadcast") nccl_.broadcast(recv, layout_.count, settings_.type, 0);
    else nccl_.alltoall(send, recv, layout_.count / layout_.ranks, settings_.type);
  }

  void wait() override { nccl_.synchronize(); }

  Validation validate() override {
    fill_inputs();
    upload();
    run_once();
    wait();
    recv_device_.download(recv_.data(), recv_.size());
    return check();
  }

 private:
  void upload() {
    send_device_.upload(send_.data(), send_.size());
    recv_device_.upload(recv_.data(), recv_.size());
  }

  NcclCommunicator& nccl_;
  DeviceBuffer send_device_;
  DeviceBuffer recv_device_;
};

}  // namespace

std::optional<std::string> nccl_unavailable_reason(const CaseContext& context) {
  if (context.devices_per_rank < 1) return std::string("nccl needs a GPU per rank: set system.devices_per_rank: 1");
  return comm::cuda::gpu_unavailable_reason();
}

std::unique_ptr<CaseInstance> make_nccl_case(const CollectiveSettings& settings, const CaseContext& context) {
  return std::make_unique<NcclCollectiveCase>(settings, context);
}

}  // namespace sciperf::suites
