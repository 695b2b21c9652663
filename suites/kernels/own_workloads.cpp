// Our kernels (kernels/cpu) on each problem, on the ISA path the case asks for.
#include "suites/kernels/problem_workloads.h"

#include "kernels/cpu/peak.h"

namespace sciperf::suites::kernels {
namespace {

constexpr char kOwnCode[] = "sciperf kernels/cpu, one thread";

template <class Problem, class Out>
class OwnProduct final : public ProductWorkload<Problem, Out> {
 public:
  // Computes the problem's product into c (ldc = n) on `path`; returns the path that ran.
  using Kernel = cpu::Isa (*)(const Problem&, Out*, cpu::Isa);
  OwnProduct(Problem problem, Kernel kernel, cpu::Isa path, std::string method, bool integer = false)
      : ProductWorkload<Problem, Out>(std::move(problem), check_against_reference<Problem, Out>, std::move(method),
                                      integer),
        kernel_(kernel),
        path_(path),
        ran_(path) {}
  void run() override { ran_ = kernel_(this->problem_, this->output_.data(), path_); }
  std::string isa() const override { return std::string(cpu::isa_name(ran_)); }
  std::string code() const override { return kOwnCode; }

 private:
  Kernel kernel_;
  cpu::Isa path_, ran_;
};

class OwnStream final : public StreamWorkload {
 public:
  OwnStream(StreamProblem problem, cpu::Isa path) : StreamWorkload(std::move(problem)), path_(path), ran_(path) {}
  void run() override {
    StreamProblem& p = problem_;
    const std::size_t n = p.a.size();
    switch (p.kind) {
      case cpu::StreamKernel::copy: ran_ = cpu::stream_copy(p.a.data(), p.c.data(), n, path_); break;
      case cpu::StreamKernel::scale: ran_ = cpu::stream_scale(p.b.data(), p.c.data(), p.q, n, path_); break;
      case cpu::StreamKernel::add: ran_ = cpu::stream_add(p.a.data(), p.b.data(), p.c.data(), n, path_); break;
      case cpu::StreamKernel::triad: ran_ = cpu::stream_triad(p.a.data(), p.b.data(), p.c.data(), p.q, n, path_); break;
    }
  }
  std::string isa() const override { return std::string(cpu::isa_name(ran_)); }
  std::string code() const override { return kOwnCode; }

 private:
  cpu::Isa path_, ran_;
};

// The multiply-add chains keep their values in registers: checked by check_peak.
class OwnPeak final : public KernelWorkload {
 public:
  OwnPeak(cpu::Precision precision, std::uint64_t iterations, cpu::Isa path)
      : precision_(precision),
        iterations_(iterations),
        path_(path),
        operations_(cpu::peak_fma(precision, 1, path).ops * static_cast<double>(iterations)),
        last_{path, 0, 0} {}
  void run() override { last_ = cpu::peak_fma(precision_, iterations_, path_); }
  cpu::CheckResult check() override {
    run();
    const cpu::PeakRun again = cpu::peak_fma(precision_, iterations_, path_);
    return check_peak({last_.checksum, last_.ops}, {again.checksum, again.ops}, operations_);
  }
  std::string check_method() const override { return kPeakCheckMethod; }
  WorkCounts counts() const override { return {operations_, std::nullopt, precision_ == cpu::Precision::int8}; }
  std::string isa() const override { return std::string(cpu::isa_name(last_.path)); }
  std::string code() const override { return kOwnCode; }

 private:
  cpu::Precision precision_;
  std::uint64_t iterations_;
  cpu::Isa path_;
  double operations_;  // per call: one round's count times the rounds
  cpu::PeakRun last_;
};

template <class Problem, class Out>
std::unique_ptr<KernelWorkload> own_product(Problem problem, typename OwnProduct<Problem, Out>::Kernel kernel,
                                            cpu::Isa path, const char* method, bool integer = false) {
  return std::make_unique<OwnProduct<Problem, Out>>(std::move(problem), kernel, path, method, integer);
}

std::unique_ptr<KernelWorkload> own_gemm(const KernelSettings& s, cpu::Isa path) {
  switch (s.precision) {
    case Precision::bf16:
      return own_product<Bf16GemmProblem, float>(
          make_bf16_gemm(s.m, s.n, s.k, s.seed),
          [](const Bf16GemmProblem& p, float* c, cpu::Isa isa) {
            return cpu::gemm_bf16(p.m, p.n, p.k, p.a.data(), p.k, p.b.data(), p.n, c, p.n, isa);
          },
          path, kGemmCheckMethod);
    case Precision::int8:
      return own_product<Int8GemmProblem, std::int32_t>(
          make_int8_gemm(s.m, s.n, s.k, s.seed),
          [](const Int8GemmProblem& p, std::int32_t* c, cpu::Isa isa) {
            return cpu::gemm_u8s8s32(p.m, p.n, p.k, p.a.data(), p.k, p.b.data(), p.n, c, p.n, isa);
          },
          path, kInt8CheckMethod, true);
    default:
      return own_product<Fp32GemmProblem, float>(
          make_fp32_gemm(s.m, s.n, s.k, s.seed),
          [](const Fp32GemmProblem& p, float* c, cpu::Isa isa) {
            return cpu::gemm_fp32(p.m, p.n, p.k, p.a.data(), p.k, p.b.data(), p.n, c, p.n, isa);
          },
          path, kGemmCheckMethod);
  }
}

}  // namespace

std::unique_ptr<KernelWorkload> make_own_workload(const KernelSettings& s) {
  check_inputs(s);
  const cpu::Isa path = own_path(s);
  switch (s.kernel) {
    case KernelKind::gemm: return own_gemm(s, path);
    case KernelKind::spmm_csr:
      return own_product<SpmmProblem, float>(
          make_spmm(s.m, s.n, s.k, s.sparsity, s.seed),
          [](const SpmmProblem& p, float* c, cpu::Isa isa) { return cpu::spmm_csr(p.a, p.n, p.b.data(), p.n, c, p.n, isa); },
          path, kGemmCheckMethod);
    case KernelKind::gemm_sparse24:
      return own_product<Sparse24Problem, float>(
          make_sparse24(s.m, s.n, s.k, s.seed),
          [](const Sparse24Problem& p, float* c, cpu::Isa isa) {
            return cpu::gemm_sparse24(p.a, p.n, p.b.data(), p.n, c, p.n, isa);
          },
          path, kGemmCheckMethod);
    case KernelKind::peak_fma:
      return std::make_unique<OwnPeak>(cpu_precision(s.precision), static_cast<std::uint64_t>(s.iterations), path);
    default: return std::make_unique<OwnStream>(make_stream(stream_kernel(s.kernel), s.elements, s.seed), path);
  }
}

}  // namespace sciperf::suites::kernels
