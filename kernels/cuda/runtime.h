// The CUDA runtime as the kernels in kernels/cuda and their callers use it: devices, streams,
// device memory and event timing. No CUDA type appears here (device memory is void*, a stream
// an opaque object), so the suites include this without the toolkit's headers.
//
// Every failing CUDA call throws CudaError naming the call and the runtime's text, e.g.
// "cudaGetDeviceCount: CUDA driver version is insufficient for CUDA runtime version (cudaError 35)"
// on a machine without a driver; nothing here aborts.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

namespace sciperf::kernels::cuda {

class CudaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Devices this process sees; throws CudaError when the runtime cannot tell (no driver).
int device_count();
// Why no kernel can run here ("no CUDA device: cudaGetDeviceCount: ..."), or nullopt.
std::optional<std::string> device_unavailable_reason();

struct DeviceInfo {
  std::string name;
  int major = 0, minor = 0;  // compute capability
  int multiprocessors = 0;
  std::size_t memory_bytes = 0;
};
DeviceInfo device_info(int device);
// The calling thread's device from now on (cudaSetDevice), and which one that is.
void use_device(int device);
int current_device();

// A non-blocking stream of the current device. Calls that take `const Stream*` enqueue on it;
// nullptr means the legacy default stream.
class Stream {
 public:
  Stream();
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  void synchronize() const;
  void* handle() const { return handle_; }  // the cudaStream_t

 private:
  void* handle_ = nullptr;
};
void* stream_handle(const Stream* stream);  // nullptr for the default stream

// Memory on the current device, freed on destruction. Copies are synchronous.
class DeviceBuffer {
 public:
  explicit DeviceBuffer(std::size_t bytes);
  ~DeviceBuffer();
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  void* data() const { return data_; }
  std::size_t size() const { return bytes_; }
  void upload(const void* host, std::size_t bytes);
  void download(void* host, std::size_t bytes) const;

 private:
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
};

// Device time of the work enqueued on one stream between start() and stop(), from a pair of
// CUDA events: what the device spent, without the host's launch and wake-up latency.
class EventTimer {
 public:
  EventTimer();
  ~EventTimer();
  EventTimer(const EventTimer&) = delete;
  EventTimer& operator=(const EventTimer&) = delete;
  void start(const Stream* stream);
  // Records the stop event, waits for it, and returns the seconds since start().
  double stop(const Stream* stream);

 private:
  void* start_ = nullptr;
  void* stop_ = nullptr;
};

}  // namespace sciperf::kernels::cuda
