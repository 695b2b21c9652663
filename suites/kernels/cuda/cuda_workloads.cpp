// The kernels suite's workloads on a GPU: inputs uploaded once at set-up, each timed call only
// enqueued on the workload's stream, the output poisoned on the device before a check and copied
// back for it.
#include "suites/kernels/cuda_workloads.h"

#include "kernels/cuda/gemm.h"
#include "kernels/cuda/peak.h"
#include "kernels/cuda/stream.h"
#include "suites/kernels/problem_workloads.h"

#include <fmt/format.h>

#include <utility>

namespace sciperf::suites::kernels {
namespace {

namespace cuda = ::sciperf::kernels::cuda;

// The workload's stream and its device time: a pair of CUDA events spans the calls from a first
// run() to the wait() after it (the whole repetition when the harness pipelines the calls, each
// call when it isolates them), summed since reset().
class DeviceClock {
 public:
  const cuda::Stream* stream() const { return &stream_; }
  void before_enqueue() {
    if (running_) return;
    timer_.start(&stream_);
    running_ = true;
  }
  void wait() {
    if (!running_) return stream_.synchronize();
    seconds_ += timer_.stop(&stream_);
    running_ = false;
  }
  void reset() { seconds_ = 0; }
  double seconds() const { return seconds_; }

 private:
  cuda::Stream stream_;
  cuda::EventTimer timer_;
  bool running_ = false;
  double seconds_ = 0;
};

std::string current_device_name() {
  const cuda::DeviceInfo info = cuda::device_info(cuda::current_device());
  return fmt::format("cuda sm_{}{} ({})", info.major, info.minor, info.name);
}

// What every CUDA workload shares over its CPU base: run() enqueues on the device clock's
// stream, wait() finishes, and the device names the "isa".
template <class Base>
class OnDevice : public Base {
 public:
  template <class... Args>
  explicit OnDevice(Args&&... args) : Base(std::forward<Args>(args)...), device_(current_device_name()) {}
  void run() final {
    clock_.before_enqueue();
    enqueue();
  }
  void wait() final { clock_.wait(); }
  void begin_device_timing() final { clock_.reset(); }
  std::optional<double> device_seconds() final { return clock_.seconds(); }
  std::string isa() const final { return device_; }

 protected:
  virtual void enqueue() = 0;
  const cuda::Stream* stream() const { return clock_.stream(); }

 private:
  DeviceClock clock_;
  std::string device_;
};

template <class T>
std::unique_ptr<cuda::DeviceBuffer> copy_to_device(const std::vector<T>& host) {
  auto buffer = std::make_unique<cuda::DeviceBuffer>(host.size() * sizeof(T));
  buffer->upload(host.data(), buffer->size());
  return buffer;
}

template <class T>
void copy_to_host(const cuda::DeviceBuffer& device, std::vector<T>& host) {
  device.download(host.data(), host.size() * sizeof(T));
}

// The device takes A as the problem has it, except int8: signed (signed_a, as LibTorch's).
template <class T>
const std::vector<T>& device_a(const DenseGemmProblem<T>& problem) {
  return problem.a;
}
std::vector<std::int8_t> device_a(const Int8GemmProblem& problem) { return signed_a(problem); }

cuda::Precision cuda_precision(Precision precision) {
  switch (precision) {
    case Precision::fp16: return cuda::Precision::fp16;
    case Precision::bf16: return cuda::Precision::bf16;
    case Precision::int8: return cuda::Precision::int8;
    default: return cuda::Precision::fp32;
  }
}

// C = A · B on the device: ours (kernels/cuda) or cuBLAS's (cublasGemmEx or cublasLtMatmul,
// planned once here).
template <class Problem, class Out>
class DeviceProduct final : public OnDevice<ProductWorkload<Problem, Out>> {
 public:
  using Check = typename ProductWorkload<Problem, Out>::Check;
  DeviceProduct(Problem problem, Check check, const char* method, bool integer, const KernelSettings& s)
      : OnDevice<ProductWorkload<Problem, Out>>(std::move(problem), check, method, integer),
        precision_(cuda_precision(s.precision)),
        a_(copy_to_device(device_a(this->problem_))),
        b_(copy_to_device(this->problem_.b)),
        c_(copy_to_device(this->output_)) {
    const Problem& p = this->problem_;
    if (s.implementation != Implementation::own)
      library_ = std::make_unique<cuda::LibraryGemm>(
          s.implementation == Implementation::cublaslt ? cuda::BlasApi::cublaslt : cuda::BlasApi::cublas, precision_, p.m,
          p.n, p.k, p.k, p.n, p.n, this->stream());
  }
  std::string code() const override { return library_ ? library_->description() : cuda::gemm_description(precision_); }

 private:
  void enqueue() override {
    if (library_) return library_->run(a_->data(), b_->data(), c_->data());
    const Problem& p = this->problem_;
    cuda::gemm(precision_, p.m, p.n, p.k, a_->data(), p.k, b_->data(), p.n, c_->data(), p.n, this->stream());
  }
  // The copies run on the default stream, which does not wait for ours (non-blocking): wait first.
  void compute_output() override {
    this->wait();
    c_->upload(this->output_.data(), c_->size());  // the poison
    this->run();
    this->wait();
    copy_to_host(*c_, this->output_);
  }

  cuda::Precision precision_;
  std::unique_ptr<cuda::DeviceBuffer> a_, b_, c_;
  std::unique_ptr<cuda::LibraryGemm> library_;
};

class DeviceStream final : public OnDevice<StreamWorkload> {
 public:
  explicit DeviceStream(StreamProblem problem)
      : OnDevice<StreamWorkload>(std::move(problem)),
        a_(copy_to_device(problem_.a)),
        b_(copy_to_device(problem_.b)),
        c_(copy_to_device(problem_.c)) {}
  std::string code() const override { return "sciperf kernels/cuda STREAM (fp64, grid-stride over resident blocks)"; }

 private:
  void enqueue() override {
    cuda::run_stream(problem_.kind, static_cast<double*>(a_->data()), static_cast<double*>(b_->data()),
                     static_cast<double*>(c_->data()), problem_.q, problem_.a.size(), stream());
  }
  // All three arrays go both ways: the output (poisoned) and the inputs it is checked against.
  // As for products, nothing of ours may be in flight when the copies start.
  void compute_output() override {
    wait();
    const std::pair<std::vector<double>*, cuda::DeviceBuffer*> arrays[] = {
        {&problem_.a, a_.get()}, {&problem_.b, b_.get()}, {&problem_.c, c_.get()}};
    for (const auto& [host, device] : arrays) device->upload(host->data(), device->size());
    run();
    wait();
    for (const auto& [host, device] : arrays) copy_to_host(*device, *host);
  }

  std::unique_ptr<cuda::DeviceBuffer> a_, b_, c_;
};

// The SIMT peak loop (kernels/cuda/peak.h), checked as the CPU's (check_peak).
class DevicePeak final : public OnDevice<KernelWorkload> {
 public:
  DevicePeak(Precision precision, std::uint64_t iterations)
      : peak_(cuda_precision(precision), iterations), integer_(precision == Precision::int8) {}
  cpu::CheckResult check() override {
    auto observe = [&] {
      run();
      wait();
      return PeakObservation{peak_.checksum(stream()), peak_.ops()};
    };
    const PeakObservation first = observe();
    return check_peak(first, observe(), peak_.ops());
  }
  std::string check_method() const override { return kPeakCheckMethod; }
  WorkCounts counts() const override { return {peak_.ops(), std::nullopt, integer_}; }
  std::string code() const override { return "sciperf kernels/cuda peak multiply-add (CUDA cores, no tensor cores)"; }

 private:
  void enqueue() override { peak_.launch(stream()); }

  cuda::PeakFma peak_;
  bool integer_;
};

template <class Problem, class Out>
std::unique_ptr<KernelWorkload> device_product(Problem problem, typename DeviceProduct<Problem, Out>::Check check,
                                               const char* method, const KernelSettings& s, bool integer = false) {
  return std::make_unique<DeviceProduct<Problem, Out>>(std::move(problem), check, method, integer, s);
}

std::unique_ptr<KernelWorkload> device_gemm(const KernelSettings& s) {
  switch (s.precision) {
    case Precision::fp16:
      return device_product<Fp16GemmProblem, float>(make_fp16_gemm(s.m, s.n, s.k, s.seed), check_tensor_core_output<Fp16>,
                                                    kTensorCoreCheckMethod, s);
    case Precision::bf16:
      return device_product<Bf16GemmProblem, float>(make_bf16_gemm(s.m, s.n, s.k, s.seed),
                                                    check_tensor_core_output<cpu::Bf16>, kTensorCoreCheckMethod, s);
    case Precision::int8:
      return device_product<Int8GemmProblem, std::int32_t>(make_int8_gemm(s.m, s.n, s.k, s.seed), check_signed_a_output,
                                                           kInt8CheckMethod, s, true);
    default:
      return device_product<Fp32GemmProblem, float>(make_fp32_gemm(s.m, s.n, s.k, s.seed),
                                                    check_against_reference<Fp32GemmProblem, float>, kGemmCheckMethod, s);
  }
}

}  // namespace

std::optional<std::string> cuda_unavailable_reason() { return cuda::device_unavailable_reason(); }

std::unique_ptr<KernelWorkload> make_cuda_workload(const KernelSettings& s, int local_rank) {
  check_inputs(s);
  cuda::use_device(local_rank % cuda::device_count());
  switch (s.kernel) {
    case KernelKind::gemm: return device_gemm(s);
    case KernelKind::peak_fma: return std::make_unique<DevicePeak>(s.precision, static_cast<std::uint64_t>(s.iterations));
    default: return std::make_unique<DeviceStream>(make_stream(stream_kernel(s.kernel), s.elements, s.seed));
  }
}

}  // namespace sciperf::suites::kernels
