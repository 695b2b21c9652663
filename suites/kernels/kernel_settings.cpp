#include "suites/kernels/kernel_settings.h"

#include "kernels/cpu/gemm.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

namespace sciperf::suites::kernels {
namespace {

// Each kernel's precisions on each device (none on CUDA: no CUDA kernel) and the parameters
// that size it; other sizing parameters must keep their defaults (as collectives does with
// `op`), so that no two cases measure the same thing.
struct KernelTraits {
  KernelKind kind;
  std::string_view name;
  std::vector<Precision> cpu_precisions;
  std::vector<Precision> cuda_precisions;
  std::vector<std::string_view> sizing;
};

const std::vector<KernelTraits>& all_traits() {
  using enum Precision;
  static const std::vector<KernelTraits> traits{
      {KernelKind::gemm, "gemm", {fp32, bf16, int8}, {fp32, fp16, bf16, int8}, {"m", "n", "k"}},
      {KernelKind::spmm_csr, "spmm_csr", {fp32}, {}, {"sparsity", "m", "n", "k"}},
      {KernelKind::gemm_sparse24, "gemm_sparse24", {fp32}, {}, {"m", "n", "k"}},
      {KernelKind::stream_copy, "stream_copy", {fp64}, {fp64}, {"elements"}},
      {KernelKind::stream_scale, "stream_scale", {fp64}, {fp64}, {"elements"}},
      {KernelKind::stream_add, "stream_add", {fp64}, {fp64}, {"elements"}},
      {KernelKind::stream_triad, "stream_triad", {fp64}, {fp64}, {"elements"}},
      {KernelKind::peak_fma, "peak_fma", {fp32, fp64, bf16, int8}, {fp32, fp16, bf16, int8}, {"iterations"}},
  };
  return traits;
}

const KernelTraits& traits_of(KernelKind kind) {
  return *std::find_if(all_traits().begin(), all_traits().end(), [&](const KernelTraits& t) { return t.kind == kind; });
}

constexpr std::string_view kSizingParams[] = {"sparsity", "iterations", "m", "n", "k", "elements"};
constexpr Precision kPrecisions[] = {Precision::fp32, Precision::fp64, Precision::fp16, Precision::bf16, Precision::int8};
constexpr Implementation kImplementations[] = {Implementation::own, Implementation::library, Implementation::cublaslt};
constexpr Device kDevices[] = {Device::cpu, Device::cuda};
constexpr cpu::Isa kIsas[] = {cpu::Isa::automatic, cpu::Isa::scalar,   cpu::Isa::avx2,       cpu::Isa::avx512,
                              cpu::Isa::avx512_bf16, cpu::Isa::avx_vnni, cpu::Isa::avx512_vnni};

template <class T, std::size_t N, class Name>
std::vector<std::string> names_of(const T (&values)[N], Name name) {
  std::vector<std::string> names;
  for (const T& value : values) names.emplace_back(name(value));
  return names;
}

std::vector<std::string> kernel_names() {
  std::vector<std::string> names;
  for (const KernelTraits& t : all_traits()) names.emplace_back(t.name);
  return names;
}

template <class T, std::size_t N, class Name>
T parse(const char* key, const T (&values)[N], Name name, const std::string& text) {
  for (const T& value : values)
    if (name(value) == text) return value;
  throw std::invalid_argument(fmt::format("{}: unknown '{}'", key, text));
}

KernelKind parse_kernel(const std::string& text) {
  for (const KernelTraits& t : all_traits())
    if (t.name == text) return t.kind;
  throw std::invalid_argument(fmt::format("kernel: unknown '{}'", text));
}

cpu::Kernel cpu_kernel(const KernelSettings& s) {
  switch (s.kernel) {
    case KernelKind::gemm:
      return s.precision == Precision::bf16   ? cpu::Kernel::gemm_bf16
             : s.precision == Precision::int8 ? cpu::Kernel::gemm_int8
                                              : cpu::Kernel::gemm_fp32;
    case KernelKind::spmm_csr: return cpu::Kernel::spmm_csr;
    case KernelKind::gemm_sparse24: return cpu::Kernel::gemm_sparse24;
    case KernelKind::peak_fma: return cpu::peak_kernel(cpu_precision(s.precision));
    default: return cpu::Kernel::stream;
  }
}

std::optional<std::string> precision_problem(const KernelSettings& s) {
  const KernelTraits& t = traits_of(s.kernel);
  const bool cuda = s.device == Device::cuda;
  const std::vector<Precision>& precisions = cuda ? t.cuda_precisions : t.cpu_precisions;
  if (precisions.empty()) return fmt::format("{} has no CUDA kernel (device: cpu only)", t.name);
  if (std::find(precisions.begin(), precisions.end(), s.precision) != precisions.end()) return std::nullopt;
  std::vector<std::string_view> names;
  for (Precision p : precisions) names.push_back(precision_name(p));
  return fmt::format("{}{} runs in {} (precision: {})", t.name, cuda ? " on cuda" : "", fmt::join(names, ", "),
                     precision_name(s.precision));
}

// What the device allows: the ISA paths are the CPU's, cuBLAS is compared on GEMM only (int8
// with aligned rows), and cuBLASLt is a CUDA library.
std::optional<std::string> device_problem(const KernelSettings& s) {
  if (s.device == Device::cpu)
    return s.implementation == Implementation::cublaslt ? std::optional<std::string>("cublaslt runs on device: cuda")
                                                        : std::nullopt;
  if (s.isa != cpu::Isa::automatic) return "isa applies to device: cpu";
  if (s.implementation != Implementation::own && s.kernel != KernelKind::gemm)
    return fmt::format("{} on cuda has no library equivalent (cuBLAS is compared on gemm only)", kernel_name(s.kernel));
  // cuBLAS's int8 kernels read rows in 16-byte pieces: LibTorch's at::_int_mm asks the same.
  if (s.implementation != Implementation::own && s.precision == Precision::int8 && (s.k % 8 != 0 || s.n % 8 != 0))
    return fmt::format("cuBLAS int8 takes k and n divisible by 8 (k = {}, n = {})", s.k, s.n);
  return std::nullopt;
}

std::optional<std::string> sizing_problem(const Params& params, KernelKind kind) {
  const KernelTraits& t = traits_of(kind);
  for (const ParamSpec& spec : kernel_param_specs()) {
    const bool sizing = std::find(std::begin(kSizingParams), std::end(kSizingParams), spec.name) != std::end(kSizingParams);
    const bool used = std::find(t.sizing.begin(), t.sizing.end(), spec.name) != t.sizing.end();
    if (sizing && !used && params.at(spec.name) != spec.default_value)
      return fmt::format("{} does not apply to {} (it takes {})", spec.name, t.name, fmt::join(t.sizing, ", "));
  }
  return std::nullopt;
}

std::optional<std::string> isa_problem(const KernelSettings& s, const cpu::CpuFeatures& features) {
  if (s.device == Device::cuda) return std::nullopt;
  if (s.implementation != Implementation::own)
    return s.isa == cpu::Isa::automatic
               ? std::nullopt
               : std::optional<std::string>("isa applies to implementation: own (the library picks its own path)");
  try {
    own_path(s, features);
  } catch (const cpu::IsaUnavailable& unavailable) {
    return "no " + cpu::missing_features(unavailable.isa(), features);
  } catch (const std::invalid_argument& not_implemented) {
    return not_implemented.what();
  }
  return std::nullopt;
}

}  // namespace

std::string_view kernel_name(KernelKind kernel) { return traits_of(kernel).name; }

std::string_view implementation_name(Implementation implementation) {
  switch (implementation) {
    case Implementation::library: return "library";
    case Implementation::cublaslt: return "cublaslt";
    default: return "own";
  }
}

std::string_view device_name(Device device) { return device == Device::cuda ? "cuda" : "cpu"; }

std::string_view precision_name(Precision precision) {
  switch (precision) {
    case Precision::fp64: return "fp64";
    case Precision::fp16: return "fp16";
    case Precision::bf16: return "bf16";
    case Precision::int8: return "int8";
    default: return "fp32";
  }
}

cpu::Precision cpu_precision(Precision precision) {
  switch (precision) {
    case Precision::fp32: return cpu::Precision::fp32;
    case Precision::fp64: return cpu::Precision::fp64;
    case Precision::bf16: return cpu::Precision::bf16;
    case Precision::int8: return cpu::Precision::int8;
    default: throw std::invalid_argument(fmt::format("{} has no CPU kernel", precision_name(precision)));
  }
}

bool is_stream(KernelKind kernel) {
  return kernel == KernelKind::stream_copy || kernel == KernelKind::stream_scale || kernel == KernelKind::stream_add ||
         kernel == KernelKind::stream_triad;
}

cpu::StreamKernel stream_kernel(KernelKind kernel) {
  switch (kernel) {
    case KernelKind::stream_copy: return cpu::StreamKernel::copy;
    case KernelKind::stream_scale: return cpu::StreamKernel::scale;
    case KernelKind::stream_add: return cpu::StreamKernel::add;
    case KernelKind::stream_triad: return cpu::StreamKernel::triad;
    default: throw std::invalid_argument(fmt::format("{} is not a STREAM kernel", kernel_name(kernel)));
  }
}

const std::vector<ParamSpec>& kernel_param_specs() {
  static const std::vector<ParamSpec> params{
      {"kernel", ParamKind::text, std::string("gemm"), "The kernel", kernel_names(), {}, {}},
      {"implementation", ParamKind::text, std::string("own"),
       "own: ours (kernels/cpu, kernels/cuda); library: LibTorch on the CPU, cuBLAS cublasGemmEx on CUDA; "
       "cublaslt: cuBLASLt cublasLtMatmul (CUDA only)",
       names_of(kImplementations, implementation_name), {}, {}},
      {"device", ParamKind::text, std::string("cpu"),
       "cpu: one core per rank; cuda: one GPU per rank (node-local rank mod the GPUs)", names_of(kDevices, device_name), {}, {}},
      {"isa", ParamKind::text, std::string("automatic"),
       "own on the CPU: the instruction-set path (automatic: the best the CPU has)", names_of(kIsas, cpu::isa_name), {}, {}},
      {"precision", ParamKind::text, std::string("fp32"),
       "gemm: fp32, bf16, int8, fp16 (cuda); peak_fma: fp32, fp64 (cpu), fp16 (cuda), bf16, int8; "
       "spmm_csr, gemm_sparse24: fp32; stream_*: fp64",
       names_of(kPrecisions, precision_name), {}, {}},
      {"sparsity", ParamKind::real, 0.9, "spmm_csr: fraction of zeros in A, in (0, 1)", {}, 0.0, 1.0},
      {"iterations", ParamKind::integer, std::int64_t{100000}, "peak_fma: rounds of the multiply-add chains per call",
       {}, 1.0, {}},
      {"seed", ParamKind::integer, std::int64_t{1}, "Seed of the inputs", {}, 0.0, {}},
      {"m", ParamKind::integer, std::int64_t{512}, "GEMM: rows of A and C", {}, 1.0, {}},
      {"n", ParamKind::integer, std::int64_t{512}, "GEMM: columns of B and C", {}, 1.0, {}},
      {"k", ParamKind::integer, std::int64_t{512}, "GEMM: columns of A, rows of B", {}, 1.0, {}},
      {"elements", ParamKind::integer, std::int64_t{10'000'000}, "STREAM: elements of each float64 array", {}, 1.0, {}},
  };
  return params;
}

KernelSettings settings_of(const Params& params) {
  KernelSettings s;
  s.kernel = parse_kernel(params.text("kernel"));
  s.implementation = parse("implementation", kImplementations, implementation_name, params.text("implementation"));
  s.device = parse("device", kDevices, device_name, params.text("device"));
  s.isa = cpu::parse_isa(params.text("isa"));
  s.precision = parse("precision", kPrecisions, precision_name, params.text("precision"));
  s.sparsity = params.real("sparsity");
  s.iterations = params.integer("iterations");
  s.seed = static_cast<std::uint64_t>(params.integer("seed"));
  s.m = params.integer("m");
  s.n = params.integer("n");
  s.k = params.integer("k");
  s.elements = params.integer("elements");
  return s;
}

std::optional<std::string> skip_reason(const Params& params, const cpu::CpuFeatures& features) {
  const KernelSettings s = settings_of(params);
  if (auto problem = precision_problem(s)) return problem;
  if (auto problem = sizing_problem(params, s.kernel)) return problem;
  if (auto problem = device_problem(s)) return problem;
  return isa_problem(s, features);
}

std::optional<std::string> input_problem(const KernelSettings& s) {
  if (s.kernel == KernelKind::spmm_csr && !(s.sparsity > 0 && s.sparsity < 1))
    return fmt::format("sparsity = {}: must lie in (0, 1), strictly", s.sparsity);
  if (s.kernel == KernelKind::gemm_sparse24 && s.k % 4 != 0)
    return fmt::format("k = {}: gemm_sparse24 needs k divisible by 4 (groups of four)", s.k);
  if (s.kernel == KernelKind::gemm && s.precision == Precision::int8 && s.k > cpu::kGemmInt8MaxK)
    return fmt::format("k = {}: int8 gemm takes k <= {} (larger int32 sums can overflow)", s.k, cpu::kGemmInt8MaxK);
  return std::nullopt;
}

void check_inputs(const KernelSettings& settings) {
  if (auto problem = input_problem(settings)) throw std::invalid_argument(*problem);
}

cpu::Isa own_path(const KernelSettings& settings, const cpu::CpuFeatures& features) {
  return cpu::resolve_path(cpu_kernel(settings), settings.isa, features);
}

}  // namespace sciperf::suites::kernels
