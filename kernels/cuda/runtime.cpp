#include "kernels/cuda/runtime.h"

#include "kernels/cuda/detail/check.h"
#include "kernels/cuda/detail/launch.h"

#include <fmt/format.h>

#include <algorithm>

namespace sciperf::kernels::cuda {

using detail::check;
using detail::native;

namespace detail {

void check(cudaError_t status, const char* call) {
  if (status == cudaSuccess) return;
  // A failed launch leaves its error sticky for the next cudaGetLastError: clear it, so that the
  // exception is the only report.
  cudaGetLastError();
  throw CudaError(fmt::format("{}: {} (cudaError {})", call, cudaGetErrorString(status), static_cast<int>(status)));
}

int resident_blocks(int threads_per_block) {
  int device = 0, multiprocessors = 0, threads = 0;
  check(cudaGetDevice(&device), "cudaGetDevice");
  check(cudaDeviceGetAttribute(&multiprocessors, cudaDevAttrMultiProcessorCount, device), "cudaDeviceGetAttribute");
  check(cudaDeviceGetAttribute(&threads, cudaDevAttrMaxThreadsPerMultiProcessor, device), "cudaDeviceGetAttribute");
  return multiprocessors * std::max(1, threads / threads_per_block);
}

}  // namespace detail

int device_count() {
  int devices = 0;
  check(cudaGetDeviceCount(&devices), "cudaGetDeviceCount");
  return devices;
}

std::optional<std::string> device_unavailable_reason() {
  try {
    if (device_count() == 0) return std::string("no CUDA device: the runtime sees none");
  } catch (const CudaError& error) {
    return fmt::format("no CUDA device: {}", error.what());
  }
  return std::nullopt;
}

DeviceInfo device_info(int device) {
  cudaDeviceProp props{};
  check(cudaGetDeviceProperties(&props, device), "cudaGetDeviceProperties");
  return {props.name, props.major, props.minor, props.multiProcessorCount, props.totalGlobalMem};
}

void use_device(int device) { check(cudaSetDevice(device), "cudaSetDevice"); }

int current_device() {
  int device = 0;
  check(cudaGetDevice(&device), "cudaGetDevice");
  return device;
}

Stream::Stream() {
  cudaStream_t stream = nullptr;
  check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
  handle_ = stream;
}

Stream::~Stream() {
  if (handle_) cudaStreamDestroy(native(handle_));
}

void Stream::synchronize() const { check(cudaStreamSynchronize(native(handle_)), "cudaStreamSynchronize"); }

void* stream_handle(const Stream* stream) { return stream ? stream->handle() : nullptr; }

DeviceBuffer::DeviceBuffer(std::size_t bytes) : bytes_(bytes) {
  if (bytes > 0) check(cudaMalloc(&data_, bytes), "cudaMalloc");
}

DeviceBuffer::~DeviceBuffer() {
  if (data_) cudaFree(data_);
}

void DeviceBuffer::upload(const void* host, std::size_t bytes) {
  if (bytes > bytes_) throw std::invalid_argument(fmt::format("DeviceBuffer::upload: {} bytes into {}", bytes, bytes_));
  if (bytes) check(cudaMemcpy(data_, host, bytes, cudaMemcpyHostToDevice), "cudaMemcpy to device");
}

void DeviceBuffer::download(void* host, std::size_t bytes) const {
  if (bytes > bytes_) throw std::invalid_argument(fmt::format("DeviceBuffer::download: {} bytes from {}", bytes, bytes_));
  if (bytes) check(cudaMemcpy(host, data_, bytes, cudaMemcpyDeviceToHost), "cudaMemcpy to host");
}

EventTimer::EventTimer() {
  cudaEvent_t start = nullptr, stop = nullptr;
  check(cudaEventCreate(&start), "cudaEventCreate");
  start_ = start;
  check(cudaEventCreate(&stop), "cudaEventCreate");
  stop_ = stop;
}

EventTimer::~EventTimer() {
  if (start_) cudaEventDestroy(static_cast<cudaEvent_t>(start_));
  if (stop_) cudaEventDestroy(static_cast<cudaEvent_t>(stop_));
}

void EventTimer::start(const Stream* stream) {
  check(cudaEventRecord(static_cast<cudaEvent_t>(start_), native(stream_handle(stream))), "cudaEventRecord");
}

double EventTimer::stop(const Stream* stream) {
  const auto stop = static_cast<cudaEvent_t>(stop_);
  check(cudaEventRecord(stop, native(stream_handle(stream))), "cudaEventRecord");
  check(cudaEventSynchronize(stop), "cudaEventSynchronize");
  float milliseconds = 0;
  check(cudaEventElapsedTime(&milliseconds, static_cast<cudaEvent_t>(start_), stop), "cudaEventElapsedTime");
  return milliseconds * 1e-3;
}

}  // namespace sciperf::kernels::cuda
