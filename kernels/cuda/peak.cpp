#include "kernels/cuda/peak.h"

#include "kernels/cuda/detail/launch.h"

#include <numeric>
#include <stdexcept>
#include <vector>

namespace sciperf::kernels::cuda {
namespace {

std::uint64_t checked_iterations(std::uint64_t iterations) {
  if (iterations == 0) throw std::invalid_argument("cuda::PeakFma: iterations must be >= 1");
  return iterations;
}

}  // namespace

PeakFma::PeakFma(Precision precision, std::uint64_t iterations)
    : precision_(precision),
      iterations_(checked_iterations(iterations)),
      blocks_(detail::resident_blocks(detail::peak_threads_per_block())),
      ops_(detail::peak_ops_per_thread_and_iteration(precision) * static_cast<double>(iterations) * blocks_ *
           detail::peak_threads_per_block()),
      sink_(static_cast<std::size_t>(blocks_) * detail::peak_threads_per_block() * sizeof(float)) {}

void PeakFma::launch(const Stream* stream) {
  detail::launch_peak(precision_, iterations_, blocks_, static_cast<float*>(sink_.data()), stream_handle(stream));
}

double PeakFma::checksum(const Stream* stream) const {
  if (stream) stream->synchronize();
  std::vector<float> values(sink_.size() / sizeof(float));
  sink_.download(values.data(), sink_.size());  // synchronous: waits for the default stream too
  return std::accumulate(values.begin(), values.end(), 0.0);
}

}  // namespace sciperf::kernels::cuda
