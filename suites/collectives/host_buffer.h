// Page-aligned host memory, as OSU and IMB allocate: MPI libraries copy and register
// aligned buffers faster, and a 4 KiB boundary keeps results independent of where malloc
// happened to place a buffer.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace sciperf::suites {

class HostBuffer {
 public:
  static constexpr std::size_t kAlignment = 4096;

  explicit HostBuffer(std::size_t bytes = 0) : size_(bytes) {
    if (bytes == 0) return;
    const std::size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
    data_.reset(static_cast<std::byte*>(std::aligned_alloc(kAlignment, rounded)));
    if (!data_) throw std::bad_alloc();
  }
  std::byte* data() const { return data_.get(); }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(std::byte* p) const { std::free(p); }
  };
  std::unique_ptr<std::byte, Free> data_;
  std::size_t size_;
};

}  // namespace sciperf::suites
