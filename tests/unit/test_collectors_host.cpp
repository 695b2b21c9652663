#include "collectors/host/cpufreq.h"
#include "collectors/host/host_collector.h"
#include "collectors/host/perf_events.h"
#include "collectors/host/rapl.h"
#include "collectors/host/rusage.h"
#include "counter_support.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef SCIPERF_TEST_DATA
#define SCIPERF_TEST_DATA "tests/unit/data"
#endif

namespace sciperf {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::find_counter;
using testing::value_of;

// Fake trees under data/fake_host_counters: "two_socket" has two RAPL packages with core
// and dram subzones, an intel-rapl-mmio copy of package 0 to be ignored, package 0's counter
// 328850 µJ short of its wrap, and four CPUs of which two report scaling_cur_freq (2.0 and
// 3.5 GHz) beside a cpufreq policy directory that is no CPU; "rapl_without_energy" has a
// zone that lacks energy_uj.
fs::path fake_tree(const std::string& name) {
  return fs::path(SCIPERF_TEST_DATA) / "fake_host_counters" / name;
}

// A copy of a fake tree whose counters a test may move between begin() and end().
class FakeHost {
 public:
  explicit FakeHost(const std::string& name) {
    fs::copy(fake_tree(name), dir_.path(), fs::copy_options::recursive);
  }
  HostRoots roots() const { return {.proc = dir_.path() / "proc", .sys = dir_.path() / "sys"}; }
  void write(const fs::path& file, const std::string& value) const {
    std::ofstream(dir_.path() / "sys" / file) << value << '\n';
  }

 private:
  testing::TempDir dir_;
};

void burn_cpu(double seconds) {
  const auto cpu_now = [] {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
  };
  const double until = cpu_now() + seconds;
  volatile double sink = 0;
  while (cpu_now() < until)
    for (int i = 0; i < 100000; ++i) sink = sink + i * 0.5;
}

// ---------------------------------------------------------------------------------------
// getrusage

TEST(HostRusage, ChangesAreDifferencesInTheirUnits) {
  rusage begin{};
  rusage end{};
  begin.ru_utime = {.tv_sec = 1, .tv_usec = 250000};
  end.ru_utime = {.tv_sec = 2, .tv_usec = 750000};
  end.ru_stime = {.tv_sec = 0, .tv_usec = 500};
  begin.ru_nvcsw = 10;
  end.ru_nvcsw = 13;
  end.ru_nivcsw = 2;
  begin.ru_minflt = 100;
  end.ru_minflt = 164;
  end.ru_majflt = 1;
  begin.ru_maxrss = 1000;
  end.ru_maxrss = 2048;

  const auto counters = host::rusage_changes(begin, end);
  EXPECT_DOUBLE_EQ(value_of(counters, "host.cpu_user", "s"), 1.5);
  EXPECT_DOUBLE_EQ(value_of(counters, "host.cpu_system", "s"), 0.0005);
  EXPECT_EQ(value_of(counters, "host.ctx_switches_voluntary", "count"), 3);
  EXPECT_EQ(value_of(counters, "host.ctx_switches_involuntary", "count"), 2);
  EXPECT_EQ(value_of(counters, "host.page_faults_minor", "count"), 64);
  EXPECT_EQ(value_of(counters, "host.page_faults_major", "count"), 1);
  // A level, not a difference, and the kernel's KiB made bytes.
  EXPECT_EQ(value_of(counters, "host.max_rss", "bytes"), 2048.0 * 1024);
}

TEST(HostRusage, UserTimeGrowsWhileBurningCpu) {
  const auto collector = make_host_collector();
  collector->begin();
  burn_cpu(0.03);
  EXPECT_GT(value_of(collector->end(), "host.cpu_user", "s"), 0);
}

TEST(HostRusage, PageFaultsAndPeakRssGrowWhenTouchingMemory) {
  constexpr std::size_t kBytes = 64 << 20;
  const auto collector = make_host_collector();
  void* memory = ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(memory, MAP_FAILED);
  collector->begin();
  auto* bytes = static_cast<volatile char*>(memory);
  for (std::size_t offset = 0; offset < kBytes; offset += 4096) bytes[offset] = 1;
  const auto counters = collector->end();
  ::munmap(memory, kBytes);

  EXPECT_GT(value_of(counters, "host.page_faults_minor", "count"), 0);
  EXPECT_GE(value_of(counters, "host.max_rss", "bytes"), kBytes);
}

TEST(HostRusage, SleepingCountsVoluntaryContextSwitches) {
  const auto collector = make_host_collector();
  collector->begin();
  for (int i = 0; i < 5; ++i) ::usleep(1000);
  EXPECT_GT(value_of(collector->end(), "host.ctx_switches_voluntary", "count"), 0);
}

// ---------------------------------------------------------------------------------------
// perf_event_open

TEST(HostPerf, ScalingUndoesMultiplexing) {
  // Counting half of the 200 ns it was enabled: 2000 seen stands for 4000.
  const auto multiplexed = host::scaled_change({1000, 100, 100}, {3000, 300, 200});
  EXPECT_DOUBLE_EQ(multiplexed.value.value(), 4000);
  EXPECT_DOUBLE_EQ(multiplexed.running_fraction, 0.5);

  const auto always_on = host::scaled_change({5, 10, 10}, {12, 40, 40});
  EXPECT_DOUBLE_EQ(always_on.value.value(), 7);
  EXPECT_DOUBLE_EQ(always_on.running_fraction, 1);

  const auto never_ran = host::scaled_change({5, 10, 4}, {5, 90, 4});
  EXPECT_FALSE(never_ran.value.has_value());
  EXPECT_DOUBLE_EQ(never_ran.running_fraction, 0);
}

TEST(HostPerf, OpenErrorsNameTheErrnoAndTheCause) {
  EXPECT_EQ(host::open_error_text(ENOENT, true, false, 2), "ENOENT: no PMU");
  EXPECT_EQ(host::open_error_text(ENOENT, true, true, 2), "ENOENT: not counted by this PMU");
  EXPECT_EQ(host::open_error_text(EACCES, false, false, 3),
            "EACCES: not permitted (perf_event_paranoid is 3)");
  EXPECT_EQ(host::open_error_text(EPERM, true, false, std::nullopt), "EPERM: not permitted");
  EXPECT_EQ(host::open_error_text(ENOSYS, false, false, 2), "ENOSYS: Function not implemented");
}

bool perf_refused(const json& describe) {
  const std::string software = describe["perf software events"];
  return software.starts_with("unavailable (EACCES") || software.starts_with("unavailable (EPERM");
}

TEST(HostPerf, SoftwareEventsCountHere) {
  const auto collector = make_host_collector();
  const json describe = collector->describe();
  if (perf_refused(describe)) GTEST_SKIP() << describe["perf software events"];
  EXPECT_TRUE(describe["perf events"]["task-clock"].get<std::string>().starts_with("opened"));

  collector->begin();
  burn_cpu(0.03);
  const auto counters = collector->end();
  EXPECT_GT(value_of(counters, "host.perf.task_clock", "s"), 0);
  // The kernel never multiplexes software events: no fraction to report.
  EXPECT_EQ(find_counter(counters, "host.perf.task_clock.running_fraction"), nullptr);
}

// On x86 the core PMU registers as PERF_TYPE_RAW (4); without one (this VM) the kernel
// answers ENOENT for every hardware event.
bool has_x86_core_pmu() {
  std::error_code error;
  for (const auto& pmu : fs::directory_iterator("/sys/bus/event_source/devices", error)) {
    std::string type;
    std::ifstream(pmu.path() / "type") >> type;
    if (type == "4") return true;
  }
  return false;
}

TEST(HostPerf, HardwareEventsCountOrSayWhyNot) {
  const auto collector = make_host_collector();
  const json describe = collector->describe();
  collector->begin();
  burn_cpu(0.01);
  const auto counters = collector->end();

  for (const std::string event : {"cycles", "instructions", "cache-misses", "branch-misses"}) {
    const std::string status = describe["perf events"][event];
    std::string counter = "host.perf." + event;
    std::replace(counter.begin(), counter.end(), '-', '_');
    if (status.starts_with("opened")) {
      // Multiplexed off the PMU for the whole region, an event has a fraction but no count.
      const double fraction = value_of(counters, counter + ".running_fraction", "fraction");
      EXPECT_GE(fraction, 0) << event;
      EXPECT_LE(fraction, 1) << event;
      EXPECT_EQ(find_counter(counters, counter) != nullptr, fraction > 0) << event;
    } else {
      EXPECT_TRUE(status.starts_with("unavailable (E")) << event << ": " << status;
      EXPECT_EQ(find_counter(counters, counter), nullptr) << event;
    }
  }
#if defined(__x86_64__)
  if (!has_x86_core_pmu()) {
    EXPECT_EQ(describe["perf hardware events"], "unavailable (ENOENT: no PMU)");
    EXPECT_EQ(describe["perf events"]["cycles"], "unavailable (ENOENT: no PMU)");
  }
#endif
}

// perf's description as a process without capabilities sees it: where root may count in
// the kernel whatever perf_event_paranoid says, this is what an ordinary user gets.
json describe_perf_without_capabilities() {
  int channel[2];
  if (::pipe(channel) != 0) throw std::runtime_error("pipe failed");
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(channel[0]);
    __user_cap_header_struct header{.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    __user_cap_data_struct none[2]{};
    if (::syscall(SYS_capset, &header, none) != 0) ::_exit(1);
    json parts;
    host::PerfEvents("/proc").describe(parts);
    const std::string text = parts.dump();
    const bool written = ::write(channel[1], text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::_exit(written ? 0 : 1);
  }
  ::close(channel[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t size; (size = ::read(channel[0], buffer, sizeof buffer)) > 0;) text.append(buffer, size);
  ::close(channel[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("the child failed");
  return json::parse(text);
}

TEST(HostPerf, WithoutKernelCountingOnlyUserSpaceEventsOpen) {
  std::string paranoid;
  std::ifstream("/proc/sys/kernel/perf_event_paranoid") >> paranoid;
  if (paranoid != "2") GTEST_SKIP() << "perf_event_paranoid is " << paranoid << ", not 2";

  const json parts = describe_perf_without_capabilities();
  const json& events = parts["perf events"];
  EXPECT_EQ(events["task-clock"], "opened (user space only)");
  EXPECT_EQ(events["page-faults"], "opened (user space only)");
  // Counted in the scheduler, which user-space-only counting never sees.
  EXPECT_EQ(events["context-switches"], "unavailable (EACCES: not permitted (perf_event_paranoid is 2))");
  EXPECT_EQ(events["cpu-migrations"], "unavailable (EACCES: not permitted (perf_event_paranoid is 2))");
  EXPECT_EQ(parts["perf software events"], "available (2 of 4 events, user space only)");
}

// ---------------------------------------------------------------------------------------
// RAPL

TEST(HostRapl, EnergyChangeUndoesOneWrap) {
  EXPECT_EQ(host::energy_change_uj(100, 300, 1000), 200u);
  EXPECT_EQ(host::energy_change_uj(900, 100, 1000), 200u);
  EXPECT_EQ(host::energy_change_uj(700, 700, 1000), 0u);
}

TEST(HostRapl, SubzonesAreNamedAfterTheirPackage) {
  EXPECT_EQ(host::Rapl(fake_tree("two_socket") / "sys").describe(),
            "available (package-0, package-0.core, package-0.dram, package-1, package-1.core)");
}

TEST(HostRapl, ReportsEnergyInJoulesAcrossAWrap) {
  const FakeHost host("two_socket");
  const auto collector = make_energy_collector(host.roots());
  EXPECT_TRUE(collector->node_wide());
  EXPECT_EQ(collector->unavailable_reason(), std::nullopt);
  collector->begin();
  host.write("class/powercap/intel-rapl:0/energy_uj", "1000000");  // wrapped
  host.write("class/powercap/intel-rapl:0:0/energy_uj", "7500000");
  host.write("class/powercap/intel-rapl:0:1/energy_uj", "1250000");
  host.write("class/powercap/intel-rapl-mmio:0/energy_uj", "999999999");
  const auto counters = collector->end();

  EXPECT_DOUBLE_EQ(value_of(counters, "host.energy.package-0", "J"), (328850 + 1000000) * 1e-6);
  EXPECT_DOUBLE_EQ(value_of(counters, "host.energy.package-0.core", "J"), 2.5);
  EXPECT_DOUBLE_EQ(value_of(counters, "host.energy.package-0.dram", "J"), 0.25);
  EXPECT_DOUBLE_EQ(value_of(counters, "host.energy.package-1", "J"), 0);
  EXPECT_DOUBLE_EQ(value_of(counters, "host.energy.package-1.core", "J"), 0);
  const auto energy_counters = std::count_if(counters.begin(), counters.end(), [](const Counter& counter) {
    return counter.name.starts_with("host.energy.");
  });
  EXPECT_EQ(energy_counters, 5);
}

TEST(HostRapl, SaysWhyItIsUnavailable) {
  const testing::TempDir empty;
  EXPECT_EQ(host::Rapl(empty.path()).describe(),
            "unavailable (no " + (empty.path() / "class/powercap").string() + ")");

  fs::create_directories(empty.path() / "class/powercap/dtpm");
  EXPECT_EQ(host::Rapl(empty.path()).describe(),
            "unavailable (no intel-rapl zone in " + (empty.path() / "class/powercap").string() + ")");

  EXPECT_EQ(host::Rapl(fake_tree("rapl_without_energy") / "sys").describe(),
            "unavailable (intel-rapl:0/energy_uj: ENOENT)");
}

// ---------------------------------------------------------------------------------------
// CPU frequency

TEST(HostCpuFrequency, AveragesTheCpusThatReportOne) {
  const host::CpuFrequency frequency(fake_tree("two_socket") / "sys");
  EXPECT_DOUBLE_EQ(frequency.average_mhz().value(), 2750);
  EXPECT_EQ(frequency.describe(), "available (2 of 4 CPUs)");
}

TEST(HostCpuFrequency, IsTheLevelAtEnd) {
  const FakeHost host("two_socket");
  const auto collector = make_host_collector(host.roots());
  collector->begin();
  host.write("devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "1000000");
  EXPECT_DOUBLE_EQ(value_of(collector->end(), "host.cpu_mhz", "MHz"), 2250);
}

TEST(HostCpuFrequency, SampledItAlsoHasItsSpread) {
  const FakeHost host("two_socket");
  const auto collector = make_host_collector(host.roots());
  ASSERT_TRUE(collector->has_gauges());
  collector->begin();
  collector->sample();
  host.write("devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "1000000");
  collector->sample();
  const auto counters = collector->end();
  EXPECT_DOUBLE_EQ(value_of(counters, "host.cpu_mhz", "MHz"), 2250);
  EXPECT_DOUBLE_EQ(value_of(counters, "host.cpu_mhz.min", "MHz"), 2250);
  EXPECT_DOUBLE_EQ(value_of(counters, "host.cpu_mhz.avg", "MHz"), (2750.0 + 2250 + 2250) / 3);
  EXPECT_DOUBLE_EQ(value_of(counters, "host.cpu_mhz.max", "MHz"), 2750);
  // The next region starts afresh, unsampled.
  collector->begin();
  EXPECT_EQ(find_counter(collector->end(), "host.cpu_mhz.max"), nullptr);
}

TEST(HostCpuFrequency, AbsentIsSkipped) {
  const testing::TempDir empty;
  host::CpuFrequency frequency(empty.path());
  EXPECT_FALSE(frequency.available());
  EXPECT_FALSE(frequency.average_mhz().has_value());
  EXPECT_EQ(frequency.describe(), "unavailable (no readable cpu*/cpufreq/scaling_cur_freq in " +
                                      (empty.path() / "devices/system/cpu").string() + ")");
  std::vector<Counter> counters;
  frequency.end(counters);
  EXPECT_TRUE(counters.empty());
}

// ---------------------------------------------------------------------------------------
// The collector

TEST(HostCollector, IsAlwaysAvailableAndDescribesEveryPart) {
  const testing::TempDir empty;
  const auto collector = make_host_collector({.proc = empty.path() / "proc", .sys = empty.path() / "sys"});
  EXPECT_EQ(collector->name(), "host");
  EXPECT_EQ(collector->unavailable_reason(), std::nullopt);

  const json describe = collector->describe();
  EXPECT_EQ(describe["getrusage"], "available");
  EXPECT_FALSE(describe.contains("RAPL"));
  const auto energy = make_energy_collector({.proc = empty.path() / "proc", .sys = empty.path() / "sys"});
  EXPECT_EQ(energy->unavailable_reason(), "RAPL unavailable (no " + (empty.path() / "sys/class/powercap").string() + ")");
  EXPECT_TRUE(describe["cpu frequency"].get<std::string>().starts_with("unavailable (no readable"));
  EXPECT_EQ(describe["perf events"].size(), 8u);
  for (const auto& [event, status] : describe["perf events"].items()) {
    const std::string text = status;
    EXPECT_TRUE(text.starts_with("opened") || text.starts_with("unavailable (E")) << event << ": " << text;
  }
  for (const char* kind : {"perf software events", "perf hardware events"}) {
    const std::string text = describe[kind];
    EXPECT_TRUE(text.starts_with("available") || text.starts_with("unavailable (E")) << kind << ": " << text;
  }

  // With nothing but getrusage the region still measures.
  collector->begin();
  EXPECT_NE(find_counter(collector->end(), "host.cpu_user"), nullptr);
}

TEST(HostCollector, FakeTreeDescribesRaplAndCpuFrequency) {
  const json describe = make_host_collector({.sys = fake_tree("two_socket") / "sys"})->describe();
  EXPECT_EQ(describe["cpu frequency"], "available (2 of 4 CPUs)");
  const json energy = make_energy_collector({.sys = fake_tree("two_socket") / "sys"})->describe();
  EXPECT_EQ(energy["RAPL"], "available (package-0, package-0.core, package-0.dram, package-1, package-1.core)");
}

}  // namespace
}  // namespace sciperf
