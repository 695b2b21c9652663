// CUPTI metric names checked offline through the Host Profiling API (no GPU or driver needed):
// chips CUPTI knows, names a chip accepts and those it refuses with the message a user sees,
// config images and their replay passes. Where no GPU is, the Range Profiler itself can only
// say why it cannot run. Built only with CUPTI (the CUDA toolkit).
#ifdef SCIPERF_HAVE_CUPTI

#include "collectors/cupti/cuda/metric_catalog.h"
#include "collectors/cupti/cuda/range_profiler.h"

#include <gtest/gtest.h>

#ifdef SCIPERF_HAVE_CUDA_KERNELS
#include "kernels/cuda/runtime.h"
#include "kernels/cuda/stream.h"
#endif

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace sciperf::collectors::cupti {
namespace {

using Names = std::vector<std::string>;

// CUptiResult values (cupti_result.h), spelled out: this test sees no CUDA header.
constexpr int kInvalidOperation = 7;
constexpr int kHardwareBusy = 26;
constexpr int kInsufficientPrivileges = 35;
constexpr int kMultipleSubscribers = 39;

// Whether `text` contains `part`, showing both when not.
::testing::AssertionResult has(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

bool contains(const Names& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Tests of the host API; skipped where it cannot run (an AddressSanitizer build: libcupti's
// dlopen of libnvperf_host.so with RTLD_DEEPBIND would end the process).
class CuptiMetrics : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = host_api_unavailable_reason()) GTEST_SKIP() << *reason;
  }
};

// The one problem metric_problems finds with `metric` on `chip` ("" when none; fails when more).
std::string problem(const std::string& chip, const std::string& metric) {
  const auto problems = metric_problems(chip, {metric});
  EXPECT_LE(problems.size(), 1u) << metric;
  return problems.empty() ? "" : problems.front();
}

TEST_F(CuptiMetrics, KnowsHopperAmpereAndBlackwellChips) {
  const auto chips = supported_chips();
  EXPECT_TRUE(contains(chips, "GH100"));
  EXPECT_TRUE(contains(chips, "GA100"));
  EXPECT_TRUE(contains(chips, "GB100"));
}

TEST_F(CuptiMetrics, AcceptsTheUsualGh100Metrics) {
  const Names metrics = {
      "dram__bytes_read.sum",
      "dram__bytes_write.sum",
      "dram__bytes_read.sum.per_second",
      "dram__throughput.avg.pct_of_peak_sustained_elapsed",
      "sm__throughput.avg.pct_of_peak_sustained_elapsed",
      "gpu__time_duration.sum",
      "gpu__time_duration.max",
      "sm__cycles_elapsed.avg.per_second",
      "sm__inst_executed_pipe_tensor.sum",
      "sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active",
      "lts__t_bytes.sum",
      "l1tex__t_bytes.sum",
      "smsp__sass_thread_inst_executed_op_ffma_pred_on.sum",
      "sm__warps_active.avg.per_cycle_active",
      "dram__bytes_read.avg.pct_of_peak_sustained_elapsed",
  };
  EXPECT_EQ(metric_problems("GH100", metrics), Names{});
}

TEST_F(CuptiMetrics, MisspelledNameSuggestsTheClosestMetric) {
  EXPECT_EQ(problem("GH100", "dram__bytes_red.sum"), "'dram__bytes_red.sum' is not a GH100 metric (closest: dram__bytes_read.sum)");
  EXPECT_TRUE(has(problem("GH100", "sm__throughput.avg.pct_of_peak_sustained_elapsd"), "(closest: sm__throughput.avg.pct_of_peak_sustained_elapsed)"));
  // Names are case-sensitive; the suggestion shows the right case.
  EXPECT_TRUE(has(problem("GH100", "DRAM__BYTES_READ.SUM"), "(closest: dram__bytes_read.sum)"));
  EXPECT_TRUE(has(problem("GH100", "dram__bytes_read.sum "), "(closest: dram__bytes_read.sum)"));
  EXPECT_EQ(problem("GH100", "gpu__time_duraton"), "'gpu__time_duraton' is not a GH100 metric (closest: gpu__time_duration.sum)");
  // Nothing near: no suggestion rather than a random one.
  EXPECT_EQ(problem("GH100", "no_such_thing.sum"), "'no_such_thing.sum' is not a GH100 metric");
}

TEST_F(CuptiMetrics, WrongRollupOrSubmetricIsNamed) {
  // A throughput has no plain rollup, only percentages of its peak.
  EXPECT_EQ(problem("GH100", "sm__throughput.sum"),
            "'sm__throughput.sum' is not a GH100 metric: sm__throughput does not take '.sum' "
            "(closest: sm__throughput.sum.pct_of_peak_sustained_elapsed)");
  EXPECT_TRUE(has(problem("GH100", "dram__bytes_read.total"), "does not take '.total'"));
  EXPECT_TRUE(has(problem("GH100", "dram__bytes_read.sum.sum"), "does not take '.sum.sum'"));
  EXPECT_TRUE(has(problem("GH100", "dram__bytes_read.avg.pct"), "(closest: dram__bytes_read.avg.pct_of_peak_sustained_elapsed)"));
  // A rollup is needed: the host API describes bare base metrics but cannot collect them.
  EXPECT_EQ(problem("GH100", "dram__bytes_read"),
            "'dram__bytes_read' needs a rollup on GH100: one of .avg .max .min .sum (e.g. dram__bytes_read.sum)");
  EXPECT_TRUE(has(problem("GH100", "sm__throughput"), "(e.g. sm__throughput.avg.pct_of_peak_sustained_elapsed)"));
}

TEST_F(CuptiMetrics, EmptyNameIsRefused) {
  EXPECT_TRUE(has(problem("GH100", ""), "empty"));
}

TEST_F(CuptiMetrics, OneMessagePerBadMetricInOrder) {
  const auto problems = metric_problems(
      "GH100", {"gpu__time_duration.sum", "dram__bytes_red.sum", "lts__t_bytes.sum", "", "sm__throughput.sum"});
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_TRUE(has(problems[0], "'dram__bytes_red.sum'"));
  EXPECT_TRUE(has(problems[1], "empty"));
  EXPECT_TRUE(has(problems[2], "'sm__throughput.sum'"));
  EXPECT_EQ(metric_problems("GH100", {}), Names{});
}

TEST_F(CuptiMetrics, UnknownChipListsTheKnownOnes) {
  for (const std::string chip : {"XX100", "gh100", ""}) {
    const auto problems = metric_problems(chip, {"dram__bytes_read.sum"});
    ASSERT_EQ(problems.size(), 1u) << chip;
    EXPECT_TRUE(has(problems[0], "'" + chip + "' is not a chip this CUPTI knows"));
    EXPECT_TRUE(has(problems[0], "GA100"));
    EXPECT_TRUE(has(problems[0], "GH100"));
  }
  EXPECT_TRUE(has(metric_problems("gh100", {})[0], "(closest: GH100)"));
  EXPECT_THROW(metric_config("XX100", {"dram__bytes_read.sum"}), CuptiError);
  EXPECT_THROW(ProfilerHost("XX100"), CuptiError);
}

TEST_F(CuptiMetrics, EachChipHasItsOwnMetrics) {
  EXPECT_EQ(metric_problems("GA100", {"dram__bytes_read.sum", "sm__throughput.avg.pct_of_peak_sustained_elapsed",
                                      "gpu__time_duration.sum", "lts__t_bytes.sum"}),
            Names{});
  EXPECT_EQ(metric_problems("GB100", {"dram__bytes_read.sum", "gpu__time_duration.sum"}), Names{});
  // Hopper's warpgroup MMA (gmma) has counters on GH100 that Ampere lacks.
  const std::string hopper_only = "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_gmma.sum";
  EXPECT_EQ(problem("GH100", hopper_only), "");
  EXPECT_TRUE(has(problem("GA100", hopper_only), "is not a GA100 metric"));
}

TEST_F(CuptiMetrics, ConfigImageCountsReplayPasses) {
  const auto one = metric_config("GH100", {"gpu__time_duration.sum", "dram__bytes_read.sum", "gpu__time_duration.sum"});
  EXPECT_EQ(one.chip, "GH100");
  EXPECT_EQ(one.metrics, (Names{"gpu__time_duration.sum", "dram__bytes_read.sum"}));  // duplicate dropped
  EXPECT_FALSE(one.image.empty());
  EXPECT_EQ(one.passes, 1u);
  // Throughputs combine many counters: this list needs kernel replay (several passes).
  const auto many = metric_config("GH100", {"dram__bytes_read.sum", "sm__throughput.avg.pct_of_peak_sustained_elapsed",
                                            "gpu__time_duration.sum", "lts__t_bytes.sum",
                                            "sm__inst_executed_pipe_tensor.sum"});
  EXPECT_GT(many.passes, 1u);
}

TEST_F(CuptiMetrics, ConfigOfABadListNamesEveryProblem) {
  try {
    metric_config("GH100", {"dram__bytes_red.sum", "gpu__time_duration.sum", "sm__throughput.sum"});
    FAIL() << "expected CuptiError";
  } catch (const CuptiError& error) {
    EXPECT_TRUE(has(error.what(), "dram__bytes_red.sum"));
    EXPECT_TRUE(has(error.what(), "sm__throughput.sum"));
    EXPECT_FALSE(has(error.what(), "gpu__time_duration"));
  }
  EXPECT_THROW(metric_config("GH100", {}), CuptiError);
}

TEST_F(CuptiMetrics, MetricInfoGivesUnitAndKind) {
  const auto bytes = metric_info("GH100", "dram__bytes_read.sum");
  EXPECT_EQ(bytes.unit, "byte");
  EXPECT_EQ(bytes.kind, "counter");
  EXPECT_FALSE(bytes.description.empty());
  EXPECT_EQ(metric_info("GH100", "dram__bytes_read.sum.per_second").unit, "byte/second");
  EXPECT_EQ(metric_info("GH100", "gpu__time_duration.sum").unit, "nanosecond");
  const auto throughput = metric_info("GH100", "sm__throughput.avg.pct_of_peak_sustained_elapsed");
  EXPECT_EQ(throughput.unit, "percent");
  EXPECT_EQ(throughput.kind, "throughput");
  EXPECT_THROW(metric_info("GH100", "dram__bytes_read"), CuptiError);
}

TEST_F(CuptiMetrics, ProfilerHostConfiguresOnce) {
  ProfilerHost host("GH100");
  EXPECT_EQ(host.configure({"gpu__time_duration.sum"}).passes, 1u);
  EXPECT_THROW(host.configure({"gpu__time_duration.sum"}), CuptiError);
  // Evaluating without counters collected on a GPU is CUPTI's error, named.
  try {
    host.evaluate(std::vector<std::uint8_t>(64, 0), 0, {"gpu__time_duration.sum"});
    FAIL() << "expected CuptiError";
  } catch (const CuptiError& error) {
    EXPECT_TRUE(has(error.what(), "cuptiProfilerHostEvaluateToGpuValues: CUPTI_ERROR_"));
  }
}

TEST(CuptiErrors, SayWhatToDo) {
  const auto privileges = cupti_error_message("cuptiRangeProfilerEnable", kInsufficientPrivileges);
  EXPECT_TRUE(has(privileges, "cuptiRangeProfilerEnable: CUPTI_ERROR_INSUFFICIENT_PRIVILEGES (35)"));
  EXPECT_TRUE(has(privileges, "NVreg_RestrictProfilingToAdminUsers=0"));
  EXPECT_TRUE(has(privileges, "root"));
  const auto busy = cupti_error_message("cuptiRangeProfilerEnable", kHardwareBusy);
  EXPECT_TRUE(has(busy, "CUPTI_ERROR_HARDWARE_BUSY"));
  EXPECT_TRUE(has(busy, "DCGM"));
  EXPECT_TRUE(has(busy, "dcgmi profile --pause"));
  EXPECT_TRUE(has(cupti_error_message("cuptiRangeProfilerEnable", kMultipleSubscribers), "Nsight"));
  EXPECT_EQ(cupti_error_message("cuptiRangeProfilerStart", kInvalidOperation),
            "cuptiRangeProfilerStart: CUPTI_ERROR_INVALID_OPERATION (7)");
}

TEST(CuptiHostApi, RefusedUnderAddressSanitizerWithAReason) {
  const auto reason = host_api_unavailable_reason();
  if (!reason) GTEST_SKIP() << "not an AddressSanitizer build";
  try {
    supported_chips();
    FAIL() << "expected CuptiError";
  } catch (const CuptiError& error) {
    EXPECT_EQ(error.what(), *reason);
  }
  EXPECT_THROW(metric_problems("GH100", {"dram__bytes_read.sum"}), CuptiError);
}

// Where no GPU is (CI, this build machine), or profiling is not allowed, the Range Profiler
// says why and throws that.
TEST(CuptiRangeProfiler, UnavailableSaysWhy) {
  const auto reason = profiling_unavailable_reason();
  if (!reason) GTEST_SKIP() << "a GPU can be profiled here";
  EXPECT_FALSE(reason->empty());
  try {
    RangeProfiler profiler({"gpu__time_duration.sum"});
    FAIL() << "expected CuptiError";
  } catch (const CuptiError& error) {
    EXPECT_EQ(error.what(), *reason);
  }
}

#ifdef SCIPERF_HAVE_CUDA_KERNELS
// On a GPU: STREAM copy (c = a) over arrays far larger than L2 reads and writes about 8n bytes
// of DRAM each; a list with a throughput needs replay, one region run per pass.
TEST(CuptiRangeProfiler, CountsTheBytesOfStreamCopy) {
  if (auto reason = profiling_unavailable_reason()) GTEST_SKIP() << *reason;
  namespace cuda = sciperf::kernels::cuda;
  const std::size_t n = std::size_t{1} << 25;  // 256 MiB per array
  cuda::DeviceBuffer a(n * sizeof(double)), b(n * sizeof(double)), c(n * sizeof(double));
  const auto copy = [&] {
    cuda::run_stream(kernels::cpu::StreamKernel::copy, static_cast<double*>(a.data()), static_cast<double*>(b.data()),
                     static_cast<double*>(c.data()), 3.0, n);
  };
  copy();  // warm up: first launch, page mapping

  RangeProfiler profiler({"dram__bytes_read.sum", "dram__bytes_write.sum", "gpu__time_duration.sum",
                          "sm__throughput.avg.pct_of_peak_sustained_elapsed"});
  EXPECT_EQ(profiler.chip(), current_chip());
  const std::size_t passes = profiler.passes();
  EXPECT_GE(passes, 1u);
  const auto values = profiler.profile(copy);
  EXPECT_EQ(profiler.passes_done(), passes);
  EXPECT_FALSE(profiler.needs_another_pass());
  ASSERT_EQ(values.size(), 4u);
  const double bytes = 8.0 * static_cast<double>(n);
  EXPECT_NEAR(values.at("dram__bytes_read.sum"), bytes, 0.2 * bytes);
  EXPECT_NEAR(values.at("dram__bytes_write.sum"), bytes, 0.2 * bytes);
  EXPECT_GT(values.at("gpu__time_duration.sum"), 0.0);
  EXPECT_GT(values.at("sm__throughput.avg.pct_of_peak_sustained_elapsed"), 0.0);
  EXPECT_LE(values.at("sm__throughput.avg.pct_of_peak_sustained_elapsed"), 100.0);
  for (const auto& [name, value] : values) std::printf("%s = %g\n", name.c_str(), value);
  std::printf("chip %s, %zu passes\n", profiler.chip().c_str(), passes);
}

// A second profiler after the first (one per case), and one left in the middle of a pass.
TEST(CuptiRangeProfiler, ProfilesAgainAfterAnAbandonedPass) {
  if (auto reason = profiling_unavailable_reason()) GTEST_SKIP() << *reason;
  namespace cuda = sciperf::kernels::cuda;
  const std::size_t n = std::size_t{1} << 20;
  cuda::DeviceBuffer a(n * sizeof(double)), b(n * sizeof(double)), c(n * sizeof(double));
  const auto copy = [&] {
    cuda::run_stream(kernels::cpu::StreamKernel::copy, static_cast<double*>(a.data()), static_cast<double*>(b.data()),
                     static_cast<double*>(c.data()), 3.0, n);
  };
  {
    RangeProfiler abandoned({"gpu__time_duration.sum"});
    abandoned.begin_pass();
    copy();
    EXPECT_THROW(abandoned.results(), CuptiError);
  }
  RangeProfiler profiler({"gpu__time_duration.sum"});
  EXPECT_EQ(profiler.passes(), 1u);
  EXPECT_GT(profiler.profile(copy).at("gpu__time_duration.sum"), 0.0);
}
#endif  // SCIPERF_HAVE_CUDA_KERNELS

}  // namespace
}  // namespace sciperf::collectors::cupti

#endif  // SCIPERF_HAVE_CUPTI
