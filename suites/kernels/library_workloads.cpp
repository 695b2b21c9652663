// The library's equivalent of each kernel: LibTorch on the CPU (its BLAS for fp32, oneDNN for
// bf16 and int8, its sparse CSR product, its elementwise ops for STREAM), one thread, as our
// kernels run. Tensors view the problem's arrays and the output buffer: no copies are timed.
// The only TU of the suite that includes LibTorch.
#include "suites/kernels/problem_workloads.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/version.h>

#include <fmt/format.h>

namespace sciperf::suites::kernels {
namespace {

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
#define SCIPERF_HAVE_INT_MM 1
#endif

std::string torch_version() {
  return fmt::format("{}.{}.{}", TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR, TORCH_VERSION_PATCH);
}

// One "KEY<sep>value" item of LibTorch's build summary (at::show_config()), e.g. the BLAS.
std::string config_item(std::string_view key, std::string_view ends) {
  static const std::string config = at::show_config();
  const std::size_t at = config.find(key);
  if (at == std::string::npos) return "unknown";
  const std::size_t from = at + key.size();
  return config.substr(from, config.find_first_of(ends, from) - from);
}

template <class Out>
c10::ScalarType scalar_type() {
  if constexpr (std::is_same_v<Out, float>) return at::kFloat;
  else if constexpr (std::is_same_v<Out, cpu::Bf16>) return at::kBFloat16;
  else if constexpr (std::is_same_v<Out, std::int32_t>) return at::kInt;
  else if constexpr (std::is_same_v<Out, std::int8_t>) return at::kChar;
  else if constexpr (std::is_same_v<Out, std::int64_t>) return at::kLong;
  else return at::kDouble;
}

// A tensor over `data` (rows x cols, row major); the array must outlive it.
template <class T>
at::Tensor view(T* data, std::int64_t rows, std::int64_t cols) {
  return at::from_blob(const_cast<std::remove_const_t<T>*>(data), {rows, cols}, scalar_type<std::remove_const_t<T>>());
}
template <class T>
at::Tensor view(std::vector<T>& data) {
  return at::from_blob(data.data(), {static_cast<std::int64_t>(data.size())}, scalar_type<T>());
}

class LibraryCode {
 public:
  explicit LibraryCode(std::string call) : call_(std::move(call)) { at::set_num_threads(1); }
  std::string isa() const { return "LibTorch CPU capability " + config_item("CPU capability usage: ", "\n"); }
  std::string code() const {
    return fmt::format("LibTorch {} {} (BLAS: {}), one thread", torch_version(), call_, config_item("BLAS_INFO=", ",\n"));
  }

 private:
  std::string call_;
};

// The product's inputs as tensors, and the call that writes the output tensor.
template <class Problem>
struct ProductOp {
  std::vector<at::Tensor> (*inputs)(Problem& problem);
  void (*run)(at::Tensor& output, const std::vector<at::Tensor>& inputs);
  const char* call;
};

template <class Problem, class Out>
class LibraryProduct final : public ProductWorkload<Problem, Out> {
 public:
  LibraryProduct(Problem problem, typename ProductWorkload<Problem, Out>::Check check, const char* method, bool integer,
                 const ProductOp<Problem>& op)
      : ProductWorkload<Problem, Out>(std::move(problem), check, method, integer),
        library_(op.call),
        inputs_(op.inputs(this->problem_)),
        output_tensor_(view(this->output_.data(), static_cast<std::int64_t>(this->output_.size()) / this->problem_.n,
                            this->problem_.n)),
        run_(op.run) {}
  void run() override { run_(output_tensor_, inputs_); }
  std::string isa() const override { return library_.isa(); }
  std::string code() const override { return library_.code(); }

 private:
  LibraryCode library_;
  std::vector<at::Tensor> inputs_;
  at::Tensor output_tensor_;
  void (*run_)(at::Tensor&, const std::vector<at::Tensor>&);
};

void mm(at::Tensor& out, const std::vector<at::Tensor>& in) { at::mm_out(out, in[0], in[1]); }

template <class T>
std::vector<at::Tensor> dense_inputs(DenseGemmProblem<T>& p) {
  return {view(p.a.data(), p.m, p.k), view(p.b.data(), p.k, p.n)};
}

std::vector<at::Tensor> csr_inputs(SpmmProblem& p) {
  // LibTorch wants row pointers and column indices of one type; ours are int64 and int32.
  std::vector<std::int64_t> columns(p.a.col_idx.begin(), p.a.col_idx.end());
  const at::Tensor a = at::sparse_csr_tensor(view(p.a.row_ptr).clone(), view(columns).clone(), view(p.a.values),
                                             {p.a.rows, p.a.cols}, at::TensorOptions().dtype(at::kFloat));
  return {a, view(p.b.data(), p.a.cols, p.n)};
}

template <class Problem, class Out>
std::unique_ptr<KernelWorkload> library_product(Problem problem, typename ProductWorkload<Problem, Out>::Check check,
                                                const char* method, const ProductOp<Problem>& op, bool integer = false) {
  return std::make_unique<LibraryProduct<Problem, Out>>(std::move(problem), check, method, integer, op);
}

std::unique_ptr<KernelWorkload> library_gemm(const KernelSettings& s) {
  switch (s.precision) {
    case Precision::bf16:
      return library_product<Bf16GemmProblem, cpu::Bf16>(make_bf16_gemm(s.m, s.n, s.k, s.seed), check_bf16_output,
                                                         kBf16OutputCheckMethod, {dense_inputs<cpu::Bf16>, mm, "at::mm_out bf16"});
#ifdef SCIPERF_HAVE_INT_MM
    case Precision::int8:
      return library_product<Int8GemmProblem, std::int32_t>(
          make_int8_gemm(s.m, s.n, s.k, s.seed), check_signed_a_output, kInt8CheckMethod,
          {[](Int8GemmProblem& p) {
             std::vector<std::int8_t> a = signed_a(p);
             return std::vector<at::Tensor>{view(a.data(), p.m, p.k).clone(), view(p.b.data(), p.k, p.n)};
           },
           [](at::Tensor& out, const std::vector<at::Tensor>& in) { at::_int_mm_out(out, in[0], in[1]); },
           "at::_int_mm_out s8 x s8 -> s32"},
          true);
#endif
    default:
      return library_product<Fp32GemmProblem, float>(make_fp32_gemm(s.m, s.n, s.k, s.seed),
                                                     check_against_reference<Fp32GemmProblem, float>, kGemmCheckMethod,
                                                     {dense_inputs<float>, mm, "at::mm_out fp32"});
  }
}

class LibraryStream final : public StreamWorkload {
 public:
  explicit LibraryStream(StreamProblem problem)
      : StreamWorkload(std::move(problem)),
        library_("at::copy_ / mul_out / add_out (alpha) fp64"),
        a_(view(problem_.a)),
        b_(view(problem_.b)),
        c_(view(problem_.c)) {}
  void run() override {
    switch (problem_.kind) {
      case cpu::StreamKernel::copy: c_.copy_(a_); break;
      case cpu::StreamKernel::scale: at::mul_out(b_, c_, problem_.q); break;
      case cpu::StreamKernel::add: at::add_out(c_, a_, b_); break;
      case cpu::StreamKernel::triad: at::add_out(a_, b_, c_, problem_.q); break;  // b + q c
    }
  }
  std::string isa() const override { return library_.isa(); }
  std::string code() const override { return library_.code(); }

 private:
  LibraryCode library_;
  at::Tensor a_, b_, c_;
};

// Kernels the library has no equivalent of, whatever the build.
std::optional<std::string> no_equivalent(const KernelSettings& s) {
  if (s.kernel == KernelKind::peak_fma) return "peak_fma has no library equivalent (the ceiling is our own loop)";
  if (s.kernel == KernelKind::gemm_sparse24)
    return "LibTorch has no 2:4 sparse product on the CPU (its semi-structured sparsity runs on CUDA only)";
#ifndef SCIPERF_HAVE_INT_MM
  if (s.kernel == KernelKind::gemm && s.precision == Precision::int8)
    return fmt::format("LibTorch {} has no int8 matmul (at::_int_mm needs 2.1 or later)", torch_version());
#endif
  return std::nullopt;
}

}  // namespace

std::unique_ptr<KernelWorkload> make_library_workload(const KernelSettings& s) {
  check_inputs(s);
  if (auto reason = no_equivalent(s)) throw std::invalid_argument(*reason);
  switch (s.kernel) {
    case KernelKind::gemm: return library_gemm(s);
    case KernelKind::spmm_csr:
      return library_product<SpmmProblem, float>(make_spmm(s.m, s.n, s.k, s.sparsity, s.seed),
                                                 check_against_reference<SpmmProblem, float>, kGemmCheckMethod,
                                                 {csr_inputs, mm, "at::mm_out sparse CSR x dense fp32"});
    default: return std::make_unique<LibraryStream>(make_stream(stream_kernel(s.kernel), s.elements, s.seed));
  }
}

std::optional<std::string> library_unavailable(const KernelSettings& settings) {
  if (auto reason = no_equivalent(settings)) return reason;
  // A tiny problem of the same kernel: a build without the op, or without it on the CPU,
  // throws here.
  KernelSettings probe = settings;
  probe.m = probe.n = probe.k = 8;
  probe.elements = 64;
  try {
    make_library_workload(probe)->check();
  } catch (const std::exception& error) {
    const std::string what = error.what();
    return fmt::format("LibTorch {} cannot run {} here: {}", torch_version(), kernel_name(settings.kernel),
                       what.substr(0, what.find('\n')));
  }
  return std::nullopt;
}

}  // namespace sciperf::suites::kernels
