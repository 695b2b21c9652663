// The kernels suite (suites/kernels): cases built from parameters, the skip rules (precision
// a kernel, its device or the CPU lacks, parameters that do not apply, no GPU or a build
// without CUDA), bad input named by key and value, every output checked against its reference
// (and a corrupted one failing), the metrics and roofline ceilings, and the bytes-per-sample
// estimate the training and inference suites use. The CUDA workloads run where a GPU is.
#include "tests/unit/test_support.h"

#include "harness/config.h"
#include "kernels/models/model.h"
#include "suites/kernels/cuda_workloads.h"
#include "suites/kernels/kernel_case.h"
#include "suites/kernels/kernel_problems.h"
#include "suites/kernels/kernel_settings.h"
#include "suites/kernels/kernel_workload.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <limits>
#include <map>
#include <string>
#include <tuple>

namespace sciperf::suites::kernels {
namespace {

// The suite's defaults with some parameters set, as a sweep would produce them.
Params params_with(const std::map<std::string, ParamValue>& values) {
  Params params;
  for (const ParamSpec& spec : kernel_param_specs()) {
    auto it = values.find(spec.name);
    params.set(spec.name, spec.kind, it == values.end() ? spec.default_value : it->second);
  }
  return params;
}

KernelSettings settings_with(const std::map<std::string, ParamValue>& values) { return settings_of(params_with(values)); }

std::string text(const char* s) { return s; }

// A CPU with AVX-512 and nothing newer: no BF16, no VNNI.
cpu::CpuFeatures avx512_only() {
  cpu::CpuFeatures f;
  f.avx2 = f.fma = f.avx512f = f.avx512bw = f.avx512vl = true;
  return f;
}

TEST(KernelsSuite, IsRegisteredWithItsParameters) {
  const Suite* suite = testing::builtin_registry().find("kernels");
  ASSERT_NE(suite, nullptr);
  std::vector<std::string> names;
  for (const ParamSpec& spec : suite->params()) names.push_back(spec.name);
  EXPECT_EQ(names, (std::vector<std::string>{"kernel", "implementation", "device", "isa", "precision", "sparsity",
                                             "iterations", "seed", "m", "n", "k", "elements"}));
}

TEST(KernelsSuite, SettingsFollowTheParameters) {
  const KernelSettings defaults = settings_with({});
  EXPECT_EQ(defaults.kernel, KernelKind::gemm);
  EXPECT_EQ(defaults.implementation, Implementation::own);
  EXPECT_EQ(defaults.isa, cpu::Isa::automatic);
  EXPECT_EQ(defaults.precision, Precision::fp32);
  EXPECT_EQ(defaults.device, Device::cpu);
  const KernelSettings s = settings_with({{"kernel", text("spmm_csr")}, {"implementation", text("library")},
                                          {"sparsity", 0.75}, {"m", std::int64_t{7}}, {"n", std::int64_t{9}},
                                          {"k", std::int64_t{11}}, {"seed", std::int64_t{5}}});
  EXPECT_EQ(s.kernel, KernelKind::spmm_csr);
  EXPECT_EQ(s.implementation, Implementation::library);
  EXPECT_DOUBLE_EQ(s.sparsity, 0.75);
  EXPECT_EQ(s.m, 7);
  EXPECT_EQ(s.n, 9);
  EXPECT_EQ(s.k, 11);
  EXPECT_EQ(s.seed, 5u);
  EXPECT_EQ(settings_with({{"isa", text("avx2")}}).isa, cpu::Isa::avx2);
  EXPECT_EQ(settings_with({{"kernel", text("stream_triad")}}).kernel, KernelKind::stream_triad);
  const KernelSettings gpu = settings_with({{"device", text("cuda")}, {"implementation", text("cublaslt")}, {"precision", text("fp16")}});
  EXPECT_EQ(gpu.device, Device::cuda);
  EXPECT_EQ(gpu.implementation, Implementation::cublaslt);
  EXPECT_EQ(gpu.precision, Precision::fp16);
}

TEST(KernelsSuite, RunsWhatTheKernelAndCpuSupport) {
  EXPECT_EQ(skip_reason(params_with({})), std::nullopt);
  EXPECT_EQ(skip_reason(params_with({{"kernel", text("stream_triad")}, {"precision", text("fp64")}})), std::nullopt);
  // bf16 GEMM without AVX512_BF16 still runs automatically: its fp32 path on widened panels.
  EXPECT_EQ(skip_reason(params_with({{"precision", text("bf16")}}), avx512_only()), std::nullopt);
}

TEST(KernelsSuite, SkipsAPrecisionTheCpuLacks) {
  EXPECT_EQ(skip_reason(params_with({{"kernel", text("peak_fma")}, {"precision", text("bf16")}}), avx512_only()),
            "no AVX512_BF16");
  EXPECT_EQ(skip_reason(params_with({{"precision", text("bf16")}, {"isa", text("avx512_bf16")}}), avx512_only()),
            "no AVX512_BF16");
  EXPECT_EQ(skip_reason(params_with({{"precision", text("int8")}, {"isa", text("avx512_vnni")}}), avx512_only()),
            "no AVX512_VNNI");
  EXPECT_EQ(skip_reason(params_with({{"isa", text("avx512")}}), cpu::CpuFeatures{}), "no AVX512F AVX512BW FMA");
}

TEST(KernelsSuite, SkipsCombinationsThatDoNotApply) {
  auto reason = [](const std::map<std::string, ParamValue>& values) { return skip_reason(params_with(values)).value_or(""); };
  EXPECT_EQ(reason({{"kernel", text("stream_triad")}}), "stream_triad runs in fp64 (precision: fp32)");
  EXPECT_EQ(reason({{"precision", text("fp64")}}), "gemm runs in fp32, bf16, int8 (precision: fp64)");
  EXPECT_EQ(reason({{"kernel", text("stream_copy")}, {"precision", text("fp64")}, {"m", std::int64_t{64}}}),
            "m does not apply to stream_copy (it takes elements)");
  EXPECT_EQ(reason({{"sparsity", 0.5}}), "sparsity does not apply to gemm (it takes m, n, k)");
  EXPECT_EQ(reason({{"implementation", text("library")}, {"isa", text("avx2")}}),
            "isa applies to implementation: own (the library picks its own path)");
  EXPECT_NE(reason({{"isa", text("avx512_vnni")}}).find("gemm_fp32 has no 'avx512_vnni' path"), std::string::npos);
}

TEST(KernelsSuite, CudaCasesFollowTheDeviceRules) {
  auto reason = [](const std::map<std::string, ParamValue>& values) { return skip_reason(params_with(values)).value_or(""); };
  const std::pair<std::string, ParamValue> cuda{"device", text("cuda")};
  for (const char* precision : {"fp32", "fp16", "bf16", "int8"})
    for (const char* implementation : {"own", "library", "cublaslt"})
      EXPECT_EQ(reason({cuda, {"precision", text(precision)}, {"implementation", text(implementation)}}), "")
          << precision << " " << implementation;
  for (const char* precision : {"fp32", "fp16", "bf16", "int8"})
    EXPECT_EQ(reason({cuda, {"kernel", text("peak_fma")}, {"precision", text(precision)}}), "") << precision;
  EXPECT_EQ(reason({cuda, {"kernel", text("stream_triad")}, {"precision", text("fp64")}}), "");

  EXPECT_EQ(reason({{"precision", text("fp16")}}), "gemm runs in fp32, bf16, int8 (precision: fp16)");
  EXPECT_EQ(reason({cuda, {"precision", text("fp64")}}), "gemm on cuda runs in fp32, fp16, bf16, int8 (precision: fp64)");
  EXPECT_EQ(reason({cuda, {"kernel", text("peak_fma")}, {"precision", text("fp64")}}),
            "peak_fma on cuda runs in fp32, fp16, bf16, int8 (precision: fp64)");
  EXPECT_EQ(reason({cuda, {"kernel", text("spmm_csr")}}), "spmm_csr has no CUDA kernel (device: cpu only)");
  EXPECT_EQ(reason({{"implementation", text("cublaslt")}}), "cublaslt runs on device: cuda");
  EXPECT_EQ(reason({cuda, {"isa", text("avx2")}}), "isa applies to device: cpu");
  EXPECT_EQ(reason({cuda, {"kernel", text("stream_triad")}, {"precision", text("fp64")}, {"implementation", text("library")}}),
            "stream_triad on cuda has no library equivalent (cuBLAS is compared on gemm only)");
  EXPECT_EQ(reason({cuda, {"kernel", text("peak_fma")}, {"implementation", text("cublaslt")}}),
            "peak_fma on cuda has no library equivalent (cuBLAS is compared on gemm only)");
  const std::pair<std::string, ParamValue> int8{"precision", text("int8")};
  EXPECT_EQ(reason({cuda, int8, {"implementation", text("library")}, {"n", std::int64_t{20}}}),
            "cuBLAS int8 takes k and n divisible by 8 (k = 512, n = 20)");
  EXPECT_EQ(reason({cuda, int8, {"implementation", text("cublaslt")}, {"m", std::int64_t{13}}}), "");
  EXPECT_EQ(reason({cuda, int8, {"k", std::int64_t{19}}}), "");  // ours takes any shape
}

// Here (no GPU, or a build without the toolkit) every CUDA case is skipped with the reason,
// through the suite as the harness asks it; where a GPU is, none is.
TEST(KernelsSuite, CudaCasesSayWhyTheyCannotRun) {
  const Suite* suite = testing::builtin_registry().find("kernels");
  ASSERT_NE(suite, nullptr);
  const CaseContext context{MPI_COMM_SELF, 0, 1, 1, 1, 1};
  const std::optional<std::string> reason = cuda_unavailable_reason();
  for (const char* implementation : {"own", "library", "cublaslt"}) {
    const Params params = params_with({{"device", text("cuda")}, {"implementation", text(implementation)}});
    EXPECT_EQ(suite->skip_reason(params, context), reason) << implementation;
  }
  if (!reason) GTEST_SKIP() << "a CUDA device is here";
#ifdef SCIPERF_HAVE_CUDA_KERNELS
  // No driver: the runtime's own error, named by the call that saw it.
  EXPECT_TRUE(reason->starts_with("no CUDA device: cudaGetDeviceCount: ")) << *reason;
#else
  EXPECT_TRUE(reason->starts_with("built without CUDA")) << *reason;
#endif
}

TEST(KernelsSuite, BadInputNamesTheKeyAndValue) {
  EXPECT_EQ(input_problem(settings_with({{"kernel", text("spmm_csr")}, {"sparsity", 1.0}})),
            "sparsity = 1: must lie in (0, 1), strictly");
  EXPECT_EQ(input_problem(settings_with({{"kernel", text("spmm_csr")}, {"sparsity", 0.0}})),
            "sparsity = 0: must lie in (0, 1), strictly");
  EXPECT_EQ(input_problem(settings_with({{"kernel", text("gemm_sparse24")}, {"k", std::int64_t{30}}})),
            "k = 30: gemm_sparse24 needs k divisible by 4 (groups of four)");
  EXPECT_NE(input_problem(settings_with({{"precision", text("int8")}, {"k", std::int64_t{70000}}}))->find("k = 70000"),
            std::string::npos);
  // The case fails at set-up with the same message, for either implementation.
  const KernelSettings bad = settings_with({{"kernel", text("gemm_sparse24")}, {"k", std::int64_t{30}}});
  EXPECT_THROW(make_own_workload(bad), std::invalid_argument);
  EXPECT_THROW(make_library_workload(bad), std::invalid_argument);
}

TEST(KernelsSuite, OutOfRangeValuesAreConfigErrors) {
  try {
    parse_config("suites:\n  - suite: kernels\n    params:\n      sparsity: 1.5\n      m: 0\n", "test.yaml",
                 testing::builtin_registry());
    ADD_FAILURE() << "config accepted";
  } catch (const ConfigError& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("suites[0].params.sparsity: 1.5 is out of range"), std::string::npos) << what;
    EXPECT_NE(what.find("suites[0].params.m: 0 is out of range"), std::string::npos) << what;
  }
}

// Every kernel, both implementations where the library has one, at odd tiny sizes.
TEST(KernelsSuite, EveryWorkloadPassesItsCheck) {
  using Values = std::map<std::string, ParamValue>;
  const Values shape{{"m", std::int64_t{13}}, {"n", std::int64_t{17}}, {"k", std::int64_t{19}}};
  auto stream = [](const char* kernel) {
    return Values{{"kernel", text(kernel)}, {"precision", text("fp64")}, {"elements", std::int64_t{1001}}};
  };
  auto with = [](Values values, const Values& more) {
    values.insert(more.begin(), more.end());
    return values;
  };
  const std::vector<Values> cases{
      shape,
      with(shape, {{"precision", text("bf16")}}),
      with(shape, {{"precision", text("int8")}}),
      with(shape, {{"kernel", text("spmm_csr")}, {"sparsity", 0.7}}),
      {{"kernel", text("gemm_sparse24")}, {"m", std::int64_t{13}}, {"n", std::int64_t{17}}, {"k", std::int64_t{12}}},
      stream("stream_copy"),
      stream("stream_scale"),
      stream("stream_add"),
      stream("stream_triad"),
      {{"kernel", text("peak_fma")}, {"iterations", std::int64_t{100}}},
  };
  for (const Values& values : cases) {
    for (const char* implementation : {"own", "library"}) {
      const Params params = params_with(with(values, {{"implementation", text(implementation)}}));
      const KernelSettings s = settings_of(params);
      const std::string name = std::string(kernel_name(s.kernel)) + " " + implementation;
      ASSERT_EQ(skip_reason(params), std::nullopt) << name;
      if (s.implementation == Implementation::library && library_unavailable(s)) continue;  // no equivalent
      auto workload = s.implementation == Implementation::own ? make_own_workload(s) : make_library_workload(s);
      const cpu::CheckResult check = workload->check();
      EXPECT_TRUE(check.passed) << name << ": " << check.detail;
      EXPECT_GT(check.checked, 0) << name;
      EXPECT_FALSE(workload->isa().empty()) << name;
    }
  }
}

TEST(KernelsSuite, LibraryEquivalentsThatDoNotExistAreSkippedWithTheReason) {
  EXPECT_NE(library_unavailable(settings_with({{"kernel", text("peak_fma")}, {"implementation", text("library")}}))
                .value_or("")
                .find("no library equivalent"),
            std::string::npos);
  EXPECT_NE(library_unavailable(settings_with({{"kernel", text("gemm_sparse24")}, {"implementation", text("library")}}))
                .value_or("")
                .find("no 2:4 sparse product on the CPU"),
            std::string::npos);
  EXPECT_EQ(library_unavailable(settings_with({{"implementation", text("library")}})), std::nullopt);
}

TEST(KernelsValidation, ACorruptedGemmOutputFails) {
  const Fp32GemmProblem p = make_fp32_gemm(5, 7, 9, 3);
  std::vector<float> c(35);
  cpu::gemm_fp32(p.m, p.n, p.k, p.a.data(), p.k, p.b.data(), p.n, c.data(), p.n);
  EXPECT_TRUE(p.check(c.data()).passed);
  c[2 * 7 + 3] += 1e-3f;
  const cpu::CheckResult check = p.check(c.data());
  EXPECT_FALSE(check.passed);
  EXPECT_EQ(check.mismatches, 1);
  EXPECT_NE(check.detail.find("C(2, 3)"), std::string::npos) << check.detail;
  const Validation v = to_validation(check, kGemmCheckMethod);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.checked, 35u);
  EXPECT_EQ(v.mismatches, 1u);
  EXPECT_EQ(v.method, kGemmCheckMethod);
  EXPECT_GT(v.max_error, 1.0);  // relative to the bound
}

TEST(KernelsValidation, Bf16OutputsAreJudgedWithTheirRounding) {
  const Bf16GemmProblem p = make_bf16_gemm(4, 6, 64, 8);
  std::vector<cpu::Bf16> c(p.reference.value.size());
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = cpu::to_bf16(static_cast<float>(p.reference.value[i]));
  EXPECT_TRUE(check_bf16_output(p, c.data()).passed);
  // Two bf16 ulps off (2^-7 relative): beyond rounding.
  const float wrong = cpu::to_float(c[5]) * (1 + 0x1p-6f);
  c[5] = cpu::to_bf16(wrong);
  EXPECT_FALSE(check_bf16_output(p, c.data()).passed);
}

TEST(KernelsValidation, SignedInt8OutputsAreExact) {
  const Int8GemmProblem p = make_int8_gemm(3, 5, 7, 2);
  const std::vector<std::int8_t> a = signed_a(p);
  std::vector<std::int32_t> c(15, 0);
  for (std::int64_t i = 0; i < p.m; ++i)
    for (std::int64_t j = 0; j < p.n; ++j)
      for (std::int64_t k = 0; k < p.k; ++k) c[i * p.n + j] += a[i * p.k + k] * p.b[k * p.n + j];
  EXPECT_TRUE(check_signed_a_output(p, c.data()).passed);
  c[7] += 1;
  EXPECT_FALSE(check_signed_a_output(p, c.data()).passed);
}

TEST(KernelsValidation, ACorruptedStreamOutputFails) {
  StreamProblem p = make_stream(cpu::StreamKernel::triad, 100, 4);
  cpu::stream_triad(p.a.data(), p.b.data(), p.c.data(), p.q, p.a.size());
  EXPECT_TRUE(p.check().passed);
  p.output()[42] *= 1 + 1e-12;
  EXPECT_FALSE(p.check().passed);
}

TEST(KernelsProblems, Fp16GemmIsSizedAndItsReferenceIsOfTheRoundedValues) {
  EXPECT_EQ(to_fp16(1.0f).bits, 0x3C00);
  EXPECT_EQ(to_fp16(1.0f + 0x1p-11f).bits, 0x3C00);  // a tie: to even
  EXPECT_EQ(to_fp16(-2.5f).bits, 0xC100);
  EXPECT_EQ(to_float(Fp16{0x7BFF}), 65504.0f);
  const Fp16GemmProblem p = make_fp16_gemm(13, 17, 19, 4);
  ASSERT_EQ(p.a.size(), 13u * 19);
  ASSERT_EQ(p.b.size(), 19u * 17);
  EXPECT_DOUBLE_EQ(p.operations, 2.0 * 13 * 17 * 19);
  EXPECT_DOUBLE_EQ(p.bytes, 2.0 * (13 * 19 + 19 * 17) + 4.0 * 13 * 17);
  EXPECT_EQ(p.reference.rows, 13);
  EXPECT_EQ(p.reference.cols, 17);
  double c00 = 0;
  for (int k = 0; k < 19; ++k) c00 += double{to_float(p.a[k])} * to_float(p.b[static_cast<std::size_t>(k) * 17]);
  EXPECT_EQ(p.reference.value[0], c00);  // exact: fp16 products and their sums fit in float64
}

// Tensor cores get four times the fp32 bound (kTensorCoreUnitRoundoff): an error of three
// fp32 bounds passes there and fails in fp32; five fail both.
TEST(KernelsValidation, TensorCoreOutputsGetTheirWiderBound) {
  const Bf16GemmProblem p = make_bf16_gemm(3, 4, 50, 6);
  auto off_by = [&](double bounds) {
    std::vector<float> c(p.reference.value.size());
    for (std::size_t i = 0; i < c.size(); ++i)
      c[i] = static_cast<float>(p.reference.value[i] + bounds * cpu::dot_error_bound(p.k, p.reference.magnitude[i]));
    return c;
  };
  const std::vector<float> three = off_by(3), five = off_by(5);
  EXPECT_FALSE(cpu::check_gemm(three.data(), p.n, p.reference).passed);
  EXPECT_TRUE(check_tensor_core_output(p, three.data()).passed);
  EXPECT_FALSE(check_tensor_core_output(p, five.data()).passed);
}

TEST(KernelsValidation, APeakLoopMustBeReproducible) {
  EXPECT_TRUE(check_peak({1.5, 100}, {1.5, 100}, 100).passed);
  const cpu::CheckResult changed = check_peak({1.5, 100}, {1.25, 100}, 100);
  EXPECT_FALSE(changed.passed);
  EXPECT_NE(changed.detail.find("checksum 1.5 then 1.25"), std::string::npos) << changed.detail;
  EXPECT_FALSE(check_peak({std::numeric_limits<double>::quiet_NaN(), 100}, {1, 100}, 100).passed);
  EXPECT_FALSE(check_peak({1.5, 90}, {1.5, 90}, 100).passed);
}

// Every CUDA workload at odd sizes (13 x 17 x 19 inside one tile; 130 x 145 x 70 across tile
// and k-step edges; 130 x 144 x 72 for cuBLAS's int8, which wants k and n divisible by 8),
// each implementation; runs only where a GPU is (ci/gpu-check).
TEST(KernelsSuite, EveryCudaWorkloadPassesItsCheck) {
  if (auto reason = cuda_unavailable_reason()) GTEST_SKIP() << *reason;
  using Values = std::map<std::string, ParamValue>;
  std::vector<Values> cases;
  for (auto [m, n, k] : {std::tuple{13, 17, 19}, std::tuple{130, 145, 70}, std::tuple{130, 144, 72}})
    for (const char* precision : {"fp32", "fp16", "bf16", "int8"})
      for (const char* implementation : {"own", "library", "cublaslt"})
        cases.push_back({{"precision", text(precision)}, {"implementation", text(implementation)},
                         {"m", std::int64_t{m}}, {"n", std::int64_t{n}}, {"k", std::int64_t{k}}});
  for (const char* kernel : {"stream_copy", "stream_scale", "stream_add", "stream_triad"})
    cases.push_back({{"kernel", text(kernel)}, {"precision", text("fp64")}, {"elements", std::int64_t{100003}}});
  for (const char* precision : {"fp32", "fp16", "bf16", "int8"})
    cases.push_back({{"kernel", text("peak_fma")}, {"precision", text(precision)}, {"iterations", std::int64_t{10}}});
  for (Values values : cases) {
    values["device"] = text("cuda");
    const Params params = params_with(values);
    const KernelSettings s = settings_of(params);
    const std::string name = fmt::format("{} {} {}", kernel_name(s.kernel), precision_name(s.precision),
                                         implementation_name(s.implementation));
    if (auto reason = skip_reason(params)) {
      EXPECT_TRUE(reason->starts_with("cuBLAS int8 takes")) << name << ": " << *reason;
      continue;
    }
    const auto workload = make_cuda_workload(s, 0);
    const cpu::CheckResult check = workload->check();
    EXPECT_TRUE(check.passed) << name << ": " << check.detail;
    EXPECT_GT(check.checked, 0) << name;
    EXPECT_TRUE(workload->isa().starts_with("cuda sm_")) << name;
    workload->begin_device_timing();
    workload->run();
    workload->wait();
    EXPECT_GT(workload->device_seconds().value_or(0), 0) << name;
  }
}

TEST(KernelsMetrics, RatesSumOverRanksAndIntensityIsPerByte) {
  const auto metrics = kernel_metrics({2e9, 1e9, false}, KernelKind::gemm, 1.0, 2);
  auto value = [&](const std::string& name) {
    for (const Metric& m : metrics)
      if (m.name == name) return m.value;
    return -1.0;
  };
  EXPECT_DOUBLE_EQ(value("gflops"), 4.0);
  EXPECT_DOUBLE_EQ(value("gflops_per_rank"), 2.0);
  EXPECT_DOUBLE_EQ(value("arithmetic_intensity"), 2.0);
  EXPECT_EQ(value("gbs"), -1.0);  // STREAM only
  const auto stream = kernel_metrics({1e9, 24e9, false}, KernelKind::stream_triad, 2.0, 1);
  EXPECT_EQ(stream.back().name, "gbs_per_rank");
  EXPECT_DOUBLE_EQ(stream.back().value, 12.0);
  const auto int8 = kernel_metrics({1e9, 1e9, true}, KernelKind::gemm, 1.0, 1);
  EXPECT_EQ(int8.front().unit, "GOP/s");
  EXPECT_EQ(int8[2].unit, "OP/B");
  EXPECT_EQ(kernel_metrics({1e9, std::nullopt, false}, KernelKind::peak_fma, 1.0, 1).size(), 2u);  // no intensity
}

TEST(KernelsMetrics, CeilingsFollowTheContract) {
  const std::vector<Metric> metrics{{"gflops", 250.0, "GFLOP/s", Direction::higher_is_better},
                                    {"gbs", 38.0, "GB/s", Direction::higher_is_better}};
  const KernelSettings peak = settings_with({{"kernel", text("peak_fma")}, {"precision", text("bf16")}});
  EXPECT_EQ(roofline_ceiling(peak, metrics), (nlohmann::json{{"kind", "compute"}, {"precision", "bf16"}, {"value", 250.0}}));
  const KernelSettings triad = settings_with({{"kernel", text("stream_triad")}, {"precision", text("fp64")}});
  EXPECT_EQ(roofline_ceiling(triad, metrics), (nlohmann::json{{"kind", "memory"}, {"value", 38.0}}));
  // Not the machine's ceiling: a forced path, fp64 (outside the contract), the library, a GEMM.
  KernelSettings forced = peak;
  forced.isa = cpu::Isa::avx2;
  EXPECT_TRUE(roofline_ceiling(forced, metrics).is_null());
  KernelSettings fp64 = peak;
  fp64.precision = Precision::fp64;
  EXPECT_TRUE(roofline_ceiling(fp64, metrics).is_null());
  KernelSettings library = triad;
  library.implementation = Implementation::library;
  EXPECT_TRUE(roofline_ceiling(library, metrics).is_null());
  EXPECT_TRUE(roofline_ceiling(settings_with({}), metrics).is_null());
}

// The seed MLP 784-256-128-10 (tiny): 235,146 parameters; its three Linear layers read and
// write 784 + 256, 256 + 128 and 128 + 10 activations = 1,562 per sample.
TEST(ModelBytes, SeedMlpByHand) {
  const auto mlp = models::make_model(models::ModelOptions{});
  EXPECT_DOUBLE_EQ(mlp->forward_activations_per_sample(), 1562.0);
  EXPECT_DOUBLE_EQ(models::forward_bytes_per_sample(*mlp, 64), 4 * (235146.0 / 64 + 1562));  // 20,944.625
  EXPECT_DOUBLE_EQ(models::forward_bytes_per_sample(*mlp, 1), 4 * (235146.0 + 1562));
  // 469,504 FLOPs per sample over those bytes: about 22.4 FLOP/byte at batch 64.
  EXPECT_NEAR(mlp->forward_flops_per_sample() / models::forward_bytes_per_sample(*mlp, 64), 22.42, 0.01);
}

TEST(ModelBytes, EveryModelCountsItsActivations) {
  for (const std::string& name : models::model_names()) {
    models::ModelOptions options;
    options.name = name;
    const auto model = models::make_model(options);
    EXPECT_GT(model->forward_activations_per_sample(), static_cast<double>(models::sample_shape(options).size())) << name;
    EXPECT_LT(models::forward_bytes_per_sample(*model, 64), models::forward_bytes_per_sample(*model, 1)) << name;
  }
}

}  // namespace
}  // namespace sciperf::suites::kernels
