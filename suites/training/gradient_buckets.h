// Data-parallel gradient averaging in buckets, as PyTorch's DistributedDataParallel does:
// parameters are grouped, in the reverse of their registration order (roughly the order
// backward produces their gradients), into flat buckets of about `bucket_bytes`, and each
// bucket is all-reduced once per step. With overlap, a bucket's all-reduce starts from a
// gradient hook as soon as backward has produced the bucket's last gradient.
#pragma once

#include <torch/torch.h>

#include <mpi.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sciperf::suites::training {

class NcclAllreduce;

// "mpi" (the library's MPI_Allreduce, MPI_Iallreduce when overlapped), "nccl" (device: cuda:
// the buckets stay on the GPU, summed by NCCL) or one of our own algorithms in kernels/comm
// ("ring", "rabenseifner", "recursive_doubling", "binary_tree").
const std::vector<std::string>& allreduce_backends();

// Why the all-reduce `backend` cannot run with the model on `device` ("cpu" or "cuda") here,
// or nullopt: nccl needs device: cuda, a build with NCCL and a LibTorch with CUDA, and a GPU
// LibTorch sees. Never throws; the other backends run anywhere.
std::optional<std::string> allreduce_unavailable_reason(const std::string& backend, const std::string& device);

class GradientBuckets {
 public:
  GradientBuckets(std::vector<torch::Tensor> parameters, std::int64_t bucket_bytes, std::string backend, bool overlap,
                  MPI_Comm comm);
  ~GradientBuckets();
  GradientBuckets(const GradientBuckets&) = delete;
  GradientBuckets& operator=(const GradientBuckets&) = delete;

  // Before backward: with overlap, arms the hooks for this step.
  void begin_step();
  // After backward: finishes every bucket and writes the averaged gradients into the
  // parameters' .grad. Returns the seconds this call took: the communication backward did
  // not hide (all of it without overlap).
  double finish_step();

  std::size_t bucket_count() const { return buckets_.size(); }
  std::int64_t gradient_bytes() const { return gradient_bytes_; }
  const std::string& backend() const { return backend_; }
  bool overlapped() const { return overlap_; }

 private:
  struct Bucket {
    std::vector<std::size_t> parameters;  // indices into parameters_
    std::vector<std::int64_t> offsets;    // each parameter's first element in `flat`
    torch::Tensor flat;                   // float32; on the host (device gradients are staged), on the GPU for nccl
    std::size_t pending = 0;              // gradients still to arrive this step
    bool started = false;
    MPI_Request request = MPI_REQUEST_NULL;
  };

  void on_gradient(std::size_t parameter, const torch::Tensor& gradient);
  void copy_in(Bucket& bucket, std::size_t slot, const torch::Tensor& gradient);
  void start(Bucket& bucket);
  void reduce_now(Bucket& bucket);

  bool communicates() const { return size_ > 1 || nccl_ != nullptr; }

  std::vector<torch::Tensor> parameters_;
  std::vector<Bucket> buckets_;
  std::vector<std::pair<std::size_t, std::size_t>> where_;  // parameter -> (bucket, slot)
  std::vector<unsigned> hooks_;                             // overlap: each parameter's hook handle
  bool armed_ = false;                                      // hooks act only inside a step
  std::string backend_;
  bool overlap_;
  MPI_Comm comm_;
  int size_ = 1;
  std::int64_t gradient_bytes_ = 0;
  std::unique_ptr<NcclAllreduce> nccl_;  // backend "nccl" only
};

}  // namespace sciperf::suites::training
