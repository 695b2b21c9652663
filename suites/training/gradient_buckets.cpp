#include "suites/training/gradient_buckets.h"

#include "kernels/comm/algorithms.h"
#include "suites/training/nccl_allreduce.h"

#include <fmt/format.h>

#include <chrono>
#include <stdexcept>

namespace sciperf::suites::training {
namespace {

using OwnAllreduce = void (*)(void*, std::size_t, comm::DataType, comm::ReduceOp, MPI_Comm);

OwnAllreduce own_allreduce(const std::string& backend) {
  if (backend == "ring") return comm::allreduce_ring;
  if (backend == "rabenseifner") return comm::allreduce_rabenseifner;
  if (backend == "recursive_doubling") return comm::allreduce_recursive_doubling;
  if (backend == "binary_tree") return comm::allreduce_binary_tree;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& allreduce_backends() {
  static const std::vector<std::string> names{"mpi", "nccl", "ring", "rabenseifner", "recursive_doubling", "binary_tree"};
  return names;
}

std::optional<std::string> allreduce_unavailable_reason(const std::string& backend, const std::string& device) {
  if (backend != "nccl") return std::nullopt;
  if (device != "cuda") return std::string("allreduce nccl needs device: cuda");
  if (auto missing = nccl_missing_from_build()) return missing;
  if (!torch::cuda::is_available()) return std::string("no CUDA device visible to LibTorch");
  return std::nullopt;
}

GradientBuckets::GradientBuckets(std::vector<torch::Tensor> parameters, std::int64_t bucket_bytes, std::string backend,
                                 bool overlap, MPI_Comm comm)
    : backend_(std::move(backend)), overlap_(overlap), comm_(comm) {
  if (backend_ != "mpi" && backend_ != "nccl" && !own_allreduce(backend_))
    throw std::invalid_argument(fmt::format("allreduce: unknown '{}' (expected mpi, nccl, ring, rabenseifner, "
                                            "recursive_doubling, binary_tree)", backend_));
  if (bucket_bytes <= 0) throw std::invalid_argument(fmt::format("bucket: {} bytes is not a positive size", bucket_bytes));
  MPI_Comm_size(comm_, &size_);
  for (auto it = parameters.rbegin(); it != parameters.rend(); ++it)
    if (it->requires_grad()) parameters_.push_back(*it);
  // nccl: the buckets live on the model's GPU. Checked on every rank before anything
  // collective, so a rank that cannot run it fails alone instead of hanging the others.
  torch::Device bucket_device(torch::kCPU);
  if (backend_ == "nccl") {
    const torch::Device device = parameters_.empty() ? torch::Device(torch::kCPU) : parameters_.front().device();
    if (auto why = allreduce_unavailable_reason(backend_, device.is_cuda() ? "cuda" : "cpu"))
      throw std::invalid_argument(*why);
    bucket_device = device;
  }
  where_.resize(parameters_.size());
  std::int64_t filled = bucket_bytes;  // forces a first bucket
  std::vector<std::int64_t> elements;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const std::int64_t bytes = parameters_[i].numel() * static_cast<std::int64_t>(sizeof(float));
    if (filled >= bucket_bytes) {
      buckets_.emplace_back();
      elements.push_back(0);
      filled = 0;
    }
    Bucket& bucket = buckets_.back();
    where_[i] = {buckets_.size() - 1, bucket.parameters.size()};
    bucket.parameters.push_back(i);
    bucket.offsets.push_back(elements.back());
    elements.back() += parameters_[i].numel();
    filled += bytes;
    gradient_bytes_ += bytes;
  }
  for (std::size_t b = 0; b < buckets_.size(); ++b)
    buckets_[b].flat = torch::zeros({elements[b]}, torch::TensorOptions(torch::kFloat32).device(bucket_device));
  // NCCL sums even at one rank (as DistributedDataParallel does): one GPU runs the whole path.
  if (backend_ == "nccl") nccl_ = make_nccl_allreduce(comm_, bucket_device);
  if (overlap_ && communicates()) {
    for (std::size_t i = 0; i < parameters_.size(); ++i)
      hooks_.push_back(parameters_[i].register_hook([this, i](const torch::Tensor& gradient) { on_gradient(i, gradient); }));
  }
}

GradientBuckets::~GradientBuckets() {
  for (std::size_t i = 0; i < hooks_.size(); ++i) parameters_[i].remove_hook(hooks_[i]);
  // A step cut short (an exception in backward) may leave sums in flight on the buckets.
  if (nccl_) {
    try {
      nccl_->finish();
    } catch (...) {
    }
  }
}

void GradientBuckets::begin_step() {
  if (!communicates()) return;
  for (Bucket& bucket : buckets_) {
    bucket.pending = bucket.parameters.size();
    bucket.started = false;
  }
  armed_ = overlap_;
}

void GradientBuckets::on_gradient(std::size_t parameter, const torch::Tensor& gradient) {
  if (!armed_) return;
  const auto [b, slot] = where_[parameter];
  Bucket& bucket = buckets_[b];
  copy_in(bucket, slot, gradient);
  if (--bucket.pending == 0) start(bucket);
  // MPI libraries progress non-blocking collectives mostly inside MPI calls: poke them.
  for (Bucket& other : buckets_) {
    if (other.request == MPI_REQUEST_NULL) continue;
    int done = 0;
    MPI_Test(&other.request, &done, MPI_STATUS_IGNORE);
  }
}

void GradientBuckets::copy_in(Bucket& bucket, std::size_t slot, const torch::Tensor& gradient) {
  bucket.flat.narrow(0, bucket.offsets[slot], gradient.numel()).copy_(gradient.reshape({-1}));
}

void GradientBuckets::start(Bucket& bucket) {
  bucket.started = true;
  if (nccl_) {
    nccl_->start(bucket.flat);  // returns at once; finish_step waits
    return;
  }
  if (backend_ == "mpi" && overlap_) {
    MPI_Iallreduce(MPI_IN_PLACE, bucket.flat.data_ptr<float>(), static_cast<int>(bucket.flat.numel()), MPI_FLOAT, MPI_SUM,
                   comm_, &bucket.request);
    return;
  }
  reduce_now(bucket);
}

void GradientBuckets::reduce_now(Bucket& bucket) {
  float* data = bucket.flat.data_ptr<float>();
  const auto count = static_cast<std::size_t>(bucket.flat.numel());
  if (auto algorithm = own_allreduce(backend_)) {
    algorithm(data, count, comm::DataType::float32, comm::ReduceOp::sum, comm_);
  } else {
    MPI_Allreduce(MPI_IN_PLACE, data, static_cast<int>(count), MPI_FLOAT, MPI_SUM, comm_);
  }
}

double GradientBuckets::finish_step() {
  const auto start_time = std::chrono::steady_clock::now();
  armed_ = false;
  if (!communicates()) return 0;  // one rank's gradients are already the average
  for (Bucket& bucket : buckets_) {
    if (!bucket.started) {
      // Without overlap (or for parameters backward never reached) the gradients are
      // gathered here; a missing gradient counts as zero, as it does on every rank.
      for (std::size_t slot = 0; slot < bucket.parameters.size(); ++slot) {
        const torch::Tensor& gradient = parameters_[bucket.parameters[slot]].grad();
        if (gradient.defined()) {
          copy_in(bucket, slot, gradient);
        } else {
          bucket.flat.narrow(0, bucket.offsets[slot], parameters_[bucket.parameters[slot]].numel()).zero_();
        }
      }
      start(bucket);
    }
  }
  // Every bucket has started: wait for them all (on the GPU, the host waits for NCCL's
  // stream, so what LibTorch enqueues next reads the sums), then average and hand back.
  if (nccl_) nccl_->finish();
  for (Bucket& bucket : buckets_) {
    if (bucket.request != MPI_REQUEST_NULL) MPI_Wait(&bucket.request, MPI_STATUS_IGNORE);
    // Every rank divides the same sums the same way: the averages are bit-identical.
    bucket.flat.div_(size_);
    for (std::size_t slot = 0; slot < bucket.parameters.size(); ++slot) {
      torch::Tensor& parameter = parameters_[bucket.parameters[slot]];
      torch::Tensor averaged = bucket.flat.narrow(0, bucket.offsets[slot], parameter.numel()).view(parameter.sizes());
      if (parameter.grad().defined()) {
        parameter.mutable_grad().copy_(averaged);
      } else {
        parameter.mutable_grad() = averaged.to(parameter.options()).clone();
      }
    }
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
}

}  // namespace sciperf::suites::training
