// The CUPTI collector's plain-C++ half: per-case totals of activity records (with the
// copy/compute overlap), the bounded Chrome trace, and the config options. The CUPTI calls
// themselves need a GPU; here the collector must say why it is unavailable.
#include "collectors/cupti/activity.h"
#include "collectors/cupti/cupti_collector.h"
#include "collectors/cupti/options.h"
#include "tests/unit/test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace sciperf::collectors::cupti {
namespace {

ActivityRecord kernel(std::uint64_t start, std::uint64_t end, std::string name = "gemm", std::uint32_t stream = 7) {
  return {ActivityKind::kernel, start, end, 0, 0, stream, std::move(name)};
}
ActivityRecord copy(std::uint64_t start, std::uint64_t end, std::uint64_t bytes) {
  return {ActivityKind::memcpy, start, end, bytes, 0, 13, "HtoD"};
}

std::map<std::string, Counter> by_name(const std::vector<Counter>& counters) {
  std::map<std::string, Counter> out;
  for (const Counter& c : counters) out.emplace(c.name, c);
  return out;
}

TEST(CuptiActivity, TotalsUnionsAndCopyComputeOverlap) {
  // Kernels on two streams overlap in [150, 200); a copy runs across the second kernel's
  // start and on into idle time: it overlaps compute in [250, 300) and [400, 450).
  const std::vector<ActivityRecord> records{
      kernel(100, 200), kernel(150, 300, "ncclDevKernel_AllReduce_Sum_f32_RING_LL", 9), copy(250, 350, 4096),
      kernel(400, 500), copy(380, 450, 1024), {ActivityKind::memset, 600, 610, 512, 0, 7, "memset"}};
  const ActivitySummary s = summarize(records);
  EXPECT_EQ(s.kernels, 3u);
  EXPECT_EQ(s.nccl_kernels, 1u);
  EXPECT_EQ(s.memcpys, 2u);
  EXPECT_EQ(s.memsets, 1u);
  EXPECT_DOUBLE_EQ(s.kernel_seconds, 350e-9) << "concurrent kernels each count";
  EXPECT_DOUBLE_EQ(s.nccl_kernel_seconds, 150e-9);
  EXPECT_DOUBLE_EQ(s.kernel_busy_seconds, 300e-9) << "[100, 300) and [400, 500)";
  EXPECT_DOUBLE_EQ(s.copy_busy_seconds, 170e-9);
  EXPECT_DOUBLE_EQ(s.copy_compute_overlap_seconds, 100e-9);
  EXPECT_DOUBLE_EQ(s.memcpy_bytes, 5120);
  EXPECT_DOUBLE_EQ(s.memset_bytes, 512);
  EXPECT_DOUBLE_EQ(s.span_seconds, 510e-9);
}

TEST(CuptiActivity, RecordsWithoutTimestampsCountButTakeNoTime) {
  const ActivitySummary s = summarize({kernel(0, 0), kernel(10, 20)});
  EXPECT_EQ(s.kernels, 2u);
  EXPECT_DOUBLE_EQ(s.kernel_seconds, 10e-9);
  EXPECT_DOUBLE_EQ(s.span_seconds, 10e-9);
  EXPECT_DOUBLE_EQ(summarize({}).span_seconds, 0);
}

TEST(CuptiActivity, CountersArePerOperation) {
  const ActivitySummary s = summarize({kernel(0, 1000), kernel(1000, 3000), copy(0, 500, 800)});
  auto counters = by_name(summary_counters(s, 2, 5));
  EXPECT_DOUBLE_EQ(counters.at("cupti.kernels").value, 1.0);
  EXPECT_DOUBLE_EQ(counters.at("cupti.kernel_time").value, 1.5e-6);
  EXPECT_EQ(counters.at("cupti.kernel_time").unit, "s");
  EXPECT_DOUBLE_EQ(counters.at("cupti.memcpy_bytes").value, 400);
  EXPECT_EQ(counters.at("cupti.memcpy_bytes").unit, "bytes");
  EXPECT_DOUBLE_EQ(counters.at("cupti.copy_compute_overlap").value, 250e-9);
  EXPECT_DOUBLE_EQ(counters.at("cupti.profiled_operations").value, 2);
  EXPECT_DOUBLE_EQ(counters.at("cupti.dropped_records").value, 5) << "not per operation: a warning, as counted";
}

TEST(CuptiTrace, BoundedEventsInStartOrderWithDeviceNames) {
  const std::vector<ActivityRecord> records{kernel(3000, 4000, "late"), kernel(1000, 2500, "first"), copy(2000, 2100, 64)};
  const nlohmann::json trace = chrome_trace(records, 2, 3, "suite/case:1");
  const nlohmann::json& events = trace["traceEvents"];
  ASSERT_EQ(events.size(), 3u) << "two records and one process name";
  EXPECT_EQ(events[0]["name"], "first");
  EXPECT_EQ(events[0]["ph"], "X");
  EXPECT_DOUBLE_EQ(events[0]["ts"].get<double>(), 0.0) << "microseconds from the first record";
  EXPECT_DOUBLE_EQ(events[0]["dur"].get<double>(), 1.5);
  EXPECT_EQ(events[0]["tid"], 7);
  EXPECT_EQ(events[1]["cat"], "memcpy");
  EXPECT_DOUBLE_EQ(events[1]["ts"].get<double>(), 1.0);
  EXPECT_EQ(events[1]["args"]["bytes"], 64);
  EXPECT_EQ(events[2]["ph"], "M");
  EXPECT_EQ(events[2]["args"]["name"], "GPU 0 (rank 3)");
  EXPECT_EQ(trace["otherData"]["dropped_events"], 1);
  EXPECT_EQ(trace["otherData"]["case"], "suite/case:1");
}

TEST(CuptiTrace, FileGoesUnderTracesWithASafeName) {
  sciperf::testing::TempDir dir;
  const auto path = write_chrome_trace(dir.path(), "../collectives/bytes:1KiB", 1, chrome_trace({kernel(0, 10)}, 10, 1, "x"));
  EXPECT_EQ(path.parent_path(), dir.path() / "traces");
  EXPECT_EQ(path.filename().string().find('/'), std::string::npos);
  EXPECT_TRUE(path.filename().string().ends_with(".rank1.json"));
  std::ifstream in(path);
  EXPECT_EQ(nlohmann::json::parse(in)["traceEvents"].size(), 2u);
}

TEST(CuptiOptions, ReadsEveryKey) {
  std::vector<OptionProblem> problems;
  const CuptiOptions options = read_options(
      {{"trace", "true"}, {"trace_events", "1000"}, {"metrics", {"dram__bytes_read.sum"}}}, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_TRUE(options.trace);
  EXPECT_EQ(options.trace_events, 1000);
  EXPECT_EQ(options.metrics, std::vector<std::string>{"dram__bytes_read.sum"});
  const CuptiOptions defaults = read_options(nlohmann::json::object(), problems);
  EXPECT_FALSE(defaults.trace);
  EXPECT_EQ(defaults.trace_events, 100'000);
}

TEST(CuptiCollector, UnavailableWithoutAGpuSayingWhy) {
  const auto collector = make_cupti_collector();
  EXPECT_EQ(collector->name(), "cupti");
  const auto reason = collector->unavailable_reason();
#ifdef SCIPERF_HAVE_CUPTI
  EXPECT_EQ(collector->profile_passes(), 1) << "activity only, without metrics";
  if (!reason) GTEST_SKIP() << "a GPU is visible here (ci/gpu-check)";
  EXPECT_NE(reason->find("no CUDA device"), std::string::npos) << *reason;
#else
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("no CUPTI"), std::string::npos) << *reason;
#endif
}

}  // namespace
}  // namespace sciperf::collectors::cupti
