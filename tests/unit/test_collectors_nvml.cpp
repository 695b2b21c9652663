// The NVML collector against a fake libnvidia-ml.so.1 (fake_nvml/): a missing or broken
// library, NVML's own errors, which GPU a rank reads, and the counters of a region, sampled
// or not.
#include "collectors/nvml/nvml_collector.h"
#include "counter_support.h"
#include "fake_nvml/fake_nvml.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <chrono>
#include <thread>

#ifndef SCIPERF_FAKE_NVML
#error "SCIPERF_FAKE_NVML names the fake libnvidia-ml.so.1 (tests/unit/CMakeLists.txt)"
#endif

namespace sciperf {
namespace {

using collectors::choose_nvml_device;
using collectors::make_nvml_collector;
using testing::expect_counters;
using testing::find_counter;
using testing::value_of;

// Options that load `path` and leave the rest as they are by default.
collectors::NvmlOptions library(const std::string& path) {
  collectors::NvmlOptions options;
  options.library = path;
  return options;
}

// The fake opened by the test as well: dlopen gives the collector the same copy, so the
// script set here is the one the collector's calls see.
class FakeNvml : public ::testing::Test {
 protected:
  void SetUp() override {
    handle_ = ::dlopen(SCIPERF_FAKE_NVML, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << ::dlerror();
    reinterpret_cast<void (*)()>(::dlsym(handle_, "fake_nvml_reset"))();
    script_ = reinterpret_cast<FakeNvmlScript* (*)()>(::dlsym(handle_, "fake_nvml_script"))();
  }
  void TearDown() override {
    if (handle_) ::dlclose(handle_);
  }

  static std::unique_ptr<Collector> collector(std::optional<std::string> visible_devices = std::nullopt, int local_rank = 0) {
    collectors::NvmlOptions options = library(SCIPERF_FAKE_NVML);
    options.visible_devices = std::move(visible_devices);
    options.local_rank = local_rank;
    return make_nvml_collector(options);
  }
  FakeNvmlScript& script() { return *script_; }

 private:
  void* handle_ = nullptr;
  FakeNvmlScript* script_ = nullptr;
};

TEST(NvmlCollector, MissingLibraryIsUnavailableWithDlerror) {
  const auto collector = make_nvml_collector(library("/nonexistent/libnvidia-ml.so.1"));
  EXPECT_EQ(collector->name(), "nvml");
  ASSERT_TRUE(collector->unavailable_reason().has_value());
  EXPECT_EQ(collector->unavailable_reason()->rfind("/nonexistent/libnvidia-ml.so.1 not found: ", 0), 0u)
      << *collector->unavailable_reason();
  EXPECT_NE(collector->unavailable_reason()->find("No such file"), std::string::npos);
  EXPECT_EQ(collector->describe()["library"], "/nonexistent/libnvidia-ml.so.1");
}

TEST(NvmlCollector, TheDriversLibraryIsUsedOrSaysItIsMissing) {
  // On a machine with the NVIDIA driver it loads; elsewhere it says why, in these words.
  const auto collector = make_nvml_collector(collectors::NvmlOptions{});
  if (const auto reason = collector->unavailable_reason(); reason && reason->find("not found") != std::string::npos) {
    EXPECT_EQ(reason->rfind("libnvidia-ml.so.1 not found: libnvidia-ml.so.1: cannot open shared object file", 0), 0u) << *reason;
  }
}

TEST(NvmlCollector, ALibraryWithoutNvmlIsUnavailable) {
  const auto collector = make_nvml_collector(library("libm.so.6"));
  EXPECT_EQ(collector->unavailable_reason(), "libm.so.6 has no nvmlInit_v2");
}

TEST_F(FakeNvml, InitFailureIsReportedWithNvmlErrorString) {
  script().init_result = 9;  // NVML_ERROR_DRIVER_NOT_LOADED
  EXPECT_EQ(collector()->unavailable_reason(), "nvmlInit_v2: fake error 9 (9)");
}

TEST_F(FakeNvml, NoGpuIsUnavailable) {
  script().device_count = 0;
  EXPECT_EQ(collector()->unavailable_reason(), "NVML found no GPU");
  EXPECT_EQ(script().initialized, 0) << "NVML is shut down again";
}

TEST_F(FakeNvml, DescribesEveryGpuAndTheRanksOwn) {
  const auto collector = this->collector(std::nullopt, 3);
  ASSERT_EQ(collector->unavailable_reason(), std::nullopt);
  const nlohmann::json details = collector->describe();
  ASSERT_EQ(details["devices"].size(), 2u);
  EXPECT_EQ(details["devices"][1]["name"], "Fake GPU 1");
  EXPECT_EQ(details["devices"][1]["uuid"], "GPU-fake-1-0000");
  EXPECT_EQ(details["device"], 1) << "local rank 3 of 2 GPUs";
  EXPECT_EQ(details["local_rank"], 3);
  EXPECT_EQ(details["readings"]["nvml.energy"], "available");
  EXPECT_EQ(details["readings"]["nvml.power"], "available");
  EXPECT_EQ(details["readings"]["nvml.throttle"], "available");
  EXPECT_FALSE(details.contains("CUDA_VISIBLE_DEVICES"));
  EXPECT_TRUE(collector->has_gauges());
  EXPECT_FALSE(collector->node_wide());
}

TEST_F(FakeNvml, CountsTheRegionsEnergyAndReadsGaugesAtItsEnd) {
  script().energy_step_mj = 5000;
  const auto collector = this->collector();
  collector->begin();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto counters = collector->end();
  EXPECT_DOUBLE_EQ(value_of(counters, "nvml.energy", "J"), 5);
  const double power_avg = value_of(counters, "nvml.power_avg", "W");
  EXPECT_GT(power_avg, 0);
  EXPECT_LE(power_avg, 5 / 0.020) << "5 J over at least 20 ms";
  // Power: the probe when the collector was made was reading 0, the end is reading 1.
  // Temperature: probe 50, begin 51, end 52.
  expect_counters(counters, {{"nvml.power", 110, "W"}, {"nvml.temperature", 52, "C"}, {"nvml.temperature_max", 52, "C"},
                             {"nvml.sm_clock", 1755, "MHz"}, {"nvml.memory_clock", 2619, "MHz"},
                             {"nvml.gpu_utilization", 87, "%"}, {"nvml.memory_utilization", 40, "%"},
                             {"nvml.memory_used", 1 << 30, "bytes"}});
  EXPECT_EQ(find_counter(counters, "nvml.power.max"), nullptr) << "no spread without samples";
  EXPECT_EQ(find_counter(counters, "nvml.read_errors"), nullptr);
  EXPECT_EQ(script().energy_calls, 3u) << "energy is read at the edges only";
}

TEST_F(FakeNvml, SampledGaugesAlsoHaveTheirSpread) {
  const auto collector = this->collector();
  collector->begin();
  collector->sample();
  collector->sample();
  const auto counters = collector->end();
  // Power readings 1, 2 (samples) and 3 (end); temperature: begin 51, samples 52 and 53, end 54.
  expect_counters(counters, {{"nvml.power", 130, "W"}, {"nvml.power.min", 110, "W"}, {"nvml.power.avg", 120, "W"},
                             {"nvml.power.max", 130, "W"}, {"nvml.temperature.min", 51, "C"},
                             {"nvml.temperature_max", 54, "C"}, {"nvml.sm_clock.avg", 1755, "MHz"}});
}

TEST_F(FakeNvml, FlagsEveryThrottleReasonSeenAtAnyReading) {
  // Call 0 is the probe; then begin, one sample, end.
  script().throttle_reasons[0] = 0x8;
  script().throttle_reasons[1] = 0x1;            // gpu_idle
  script().throttle_reasons[2] = 0x4 | 0x40;     // sw_power_cap, hw_thermal_slowdown
  script().throttle_reasons[3] = 1ull << 40;     // a reason this collector has no name for
  const auto collector = this->collector();
  collector->begin();
  collector->sample();
  const auto counters = collector->end();
  for (const char* reason : {"gpu_idle", "sw_power_cap", "hw_thermal_slowdown", "other"})
    EXPECT_DOUBLE_EQ(value_of(counters, std::string("nvml.throttle.") + reason, "flag"), 1) << reason;
  EXPECT_EQ(find_counter(counters, "nvml.throttle.hw_slowdown"), nullptr) << "seen before the region only";
}

TEST_F(FakeNvml, ReadsTheGpuCudaVisibleDevicesGivesTheRank) {
  const auto collector = this->collector("1", 0);
  ASSERT_EQ(collector->unavailable_reason(), std::nullopt);
  EXPECT_EQ(collector->describe()["CUDA_VISIBLE_DEVICES"], "1");
  collector->begin();
  const auto counters = collector->end();
  EXPECT_DOUBLE_EQ(value_of(counters, "nvml.sm_clock", "MHz"), 1756);
  EXPECT_DOUBLE_EQ(value_of(counters, "nvml.memory_used", "bytes"), 2.0 * (1 << 30));
}

TEST_F(FakeNvml, AReadingThatFailsAtTheStartIsLeftOutWithNvmlsError) {
  script().power_result = 3;  // NVML_ERROR_NOT_SUPPORTED
  const auto collector = this->collector();
  ASSERT_EQ(collector->unavailable_reason(), std::nullopt) << "the other readings still work";
  EXPECT_EQ(collector->describe()["readings"]["nvml.power"], "unavailable (nvmlDeviceGetPowerUsage: fake error 3 (3))");
  collector->begin();
  const auto counters = collector->end();
  EXPECT_EQ(find_counter(counters, "nvml.power"), nullptr);
  EXPECT_NE(find_counter(counters, "nvml.energy"), nullptr);
  EXPECT_EQ(find_counter(counters, "nvml.read_errors"), nullptr);
}

TEST_F(FakeNvml, AReadingThatFailsDuringARegionIsCounted) {
  const auto collector = this->collector();
  collector->begin();
  script().power_result = 15;  // NVML_ERROR_GPU_IS_LOST
  script().energy_result = 15;
  const auto counters = collector->end();
  EXPECT_EQ(find_counter(counters, "nvml.power"), nullptr);
  EXPECT_EQ(find_counter(counters, "nvml.energy"), nullptr);
  EXPECT_DOUBLE_EQ(value_of(counters, "nvml.read_errors", "count"), 2);
  EXPECT_NE(find_counter(counters, "nvml.temperature"), nullptr);
}

TEST_F(FakeNvml, ShutsNvmlDownWhenDestroyed) {
  {
    const auto first = collector();
    const auto second = collector();
    EXPECT_EQ(script().initialized, 2);
  }
  EXPECT_EQ(script().initialized, 0);
}

TEST(NvmlDeviceChoice, LocalRankTakesItsTurnAmongTheVisibleGpus) {
  const std::vector<std::string> uuids{"GPU-aaaa-1", "GPU-bbbb-2", "GPU-bbbc-3", "GPU-cccc-4"};
  EXPECT_EQ(choose_nvml_device(std::nullopt, uuids, 0).index, 0u);
  EXPECT_EQ(choose_nvml_device(std::nullopt, uuids, 6).index, 2u) << "ranks beyond the GPUs share them";
  EXPECT_EQ(choose_nvml_device("3,1", uuids, 0).index, 3u);
  EXPECT_EQ(choose_nvml_device(" 3, 1", uuids, 1).index, 1u);
  EXPECT_EQ(choose_nvml_device("GPU-cccc", uuids, 0).index, 3u) << "a unique UUID prefix";
  EXPECT_EQ(choose_nvml_device("GPU-aaaa-1,GPU-bbbb-2", uuids, 1).index, 1u);
  // As CUDA reads the list: it ends at the first entry that names no GPU.
  EXPECT_EQ(choose_nvml_device("2,9,1", uuids, 1).index, 2u);
  EXPECT_EQ(choose_nvml_device("2,GPU-bbb,1", uuids, 1).index, 2u) << "an ambiguous prefix names no GPU";
}

TEST(NvmlDeviceChoice, NoVisibleGpuSaysWhy) {
  const std::vector<std::string> uuids{"GPU-aaaa-1", "GPU-bbbb-2"};
  EXPECT_EQ(choose_nvml_device("", uuids, 0).reason, "CUDA_VISIBLE_DEVICES='' names none of the 2 GPUs NVML found");
  EXPECT_FALSE(choose_nvml_device("MIG-1234", uuids, 0).index.has_value());
  EXPECT_FALSE(choose_nvml_device("-1", uuids, 0).index.has_value());
  EXPECT_EQ(choose_nvml_device(std::nullopt, {}, 0).reason, "NVML found no GPU");
}

}  // namespace
}  // namespace sciperf
