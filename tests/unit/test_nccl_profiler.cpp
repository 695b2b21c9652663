// Our NCCL profiler plugin driven as NCCL drives it (dlopen by path, the exported
// ncclProfiler_v5 / _v4 table: init, startEvent, stopEvent, finalize, from several threads),
// and the NCCL collector reading what it counted; the reasons it gives when it cannot work.
#include "collectors/nccl/nccl_collector.h"
#include "collectors/nccl/nccl_profiler_abi.h"
#include "counter_support.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#ifndef SCIPERF_FAKE_NVML
#error "SCIPERF_FAKE_NVML names the fake libnvidia-ml.so.1 (tests/unit/CMakeLists.txt)"
#endif

namespace sciperf {
namespace {

namespace abi = nccl_abi;
namespace fs = std::filesystem;
using collectors::make_nccl_collector;
using collectors::NcclOptions;
using testing::expect_counters;
using testing::find_counter;

// Stands in for libnccl.so.2 where a test is about the plugin: it loads on every machine.
constexpr const char* kLoadableLibrary = "libc.so.6";

// The built plugin, where the collector itself looks for it.
std::string plugin_path() {
  for (const std::string& candidate : collectors::nccl_options_from_environment().plugin_candidates)
    if (fs::is_regular_file(candidate)) return candidate;
  return {};
}

NcclOptions options(std::optional<std::string> plugin_variable = std::nullopt) {
  NcclOptions options;
  options.plugin_candidates = {plugin_path()};
  options.nccl_library = kLoadableLibrary;
  options.profiler_plugin_env = std::move(plugin_variable);
  return options;
}

abi::EventDescrV5 collective(const char* func, const char* algo, const char* proto, unsigned channels, std::size_t count,
                             const char* datatype = "ncclFloat32") {
  abi::EventDescrV5 descriptor{};
  descriptor.type = abi::kProfileColl;
  descriptor.coll.func = func;
  descriptor.coll.algo = algo;
  descriptor.coll.proto = proto;
  descriptor.coll.nChannels = static_cast<std::uint8_t>(channels);
  descriptor.coll.nWarps = 16;
  descriptor.coll.count = count;
  descriptor.coll.datatype = datatype;
  return descriptor;
}

// The plugin as NCCL opens it: by path, the same copy the collector reads.
class NcclProfiler : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("NCCL_PROFILER_PLUGIN");
    const std::string path = plugin_path();
    ASSERT_FALSE(path.empty()) << "the plugin was not built";
    handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << ::dlerror();
    v5_ = static_cast<abi::ProfilerV5*>(::dlsym(handle_, "ncclProfiler_v5"));
    v4_ = static_cast<abi::ProfilerV4*>(::dlsym(handle_, "ncclProfiler_v4"));
    ASSERT_NE(v5_, nullptr);
    ASSERT_NE(v4_, nullptr);
  }
  void TearDown() override {
    if (handle_) ::dlclose(handle_);
    ::unsetenv("NCCL_PROFILER_PLUGIN");
  }

  // A communicator's init, as ncclProfilerPluginInit calls it.
  void* init_communicator() {
    void* context = nullptr;
    int mask = 0;
    EXPECT_EQ(v5_->init(&context, 0x1234, &mask, "comm", 1, 4, 0, nullptr), abi::kSuccess);
    EXPECT_EQ(mask, static_cast<int>(abi::kProfileColl)) << "collective events only";
    EXPECT_NE(context, nullptr) << "NCCL calls finalize only with a context";
    return context;
  }

  // One collective: its group and the collective started, then both stopped.
  void run(abi::EventDescrV5 descriptor, void* context) {
    abi::EventDescrV5 group{};
    group.type = abi::kProfileGroup;
    void* group_handle = nullptr;
    ASSERT_EQ(v5_->startEvent(context, &group_handle, &group), abi::kSuccess);
    descriptor.coll.parentGroup = group_handle;
    descriptor.parentObj = group_handle;
    void* handle = nullptr;
    ASSERT_EQ(v5_->startEvent(context, &handle, &descriptor), abi::kSuccess);
    ASSERT_NE(handle, nullptr) << "NCCL stops only events with a handle";
    ASSERT_EQ(v5_->stopEvent(handle), abi::kSuccess);
    ASSERT_EQ(v5_->stopEvent(group_handle), abi::kSuccess);
  }

  void* handle_ = nullptr;
  abi::ProfilerV5* v5_ = nullptr;
  abi::ProfilerV4* v4_ = nullptr;
};

TEST_F(NcclProfiler, CountsEachCollectivePerAlgorithmProtocolAndChannels) {
  auto collector = make_nccl_collector(options());
  ASSERT_EQ(collector->unavailable_reason(), std::nullopt);
  collector->begin();
  void* context = init_communicator();
  for (int i = 0; i < 3; ++i) run(collective("AllReduce", "Ring", "Simple", 4, 1 << 20), context);
  run(collective("AllReduce", "Ring", "Simple", 8, 1 << 20), context);
  run(collective("AllReduce", "Tree", "LL", 2, 256), context);
  run(collective("AllReduce", "Tree", "LL", 2, 256, "ncclBfloat16"), context);
  run(collective("AllGather", "NVLSTree", "LL128", 16, 10, "ncclUint8"), context);
  const std::vector<Counter> counters = collector->end();
  expect_counters(counters, {
                                {"nccl.allreduce.ring.simple.ops", 4, "count"},
                                {"nccl.allreduce.ring.simple.bytes", 4 * (1 << 20) * 4.0, "bytes"},
                                {"nccl.allreduce.ring.simple.channels_min", 4, "count"},
                                {"nccl.allreduce.ring.simple.channels_max", 8, "count"},
                                {"nccl.allreduce.tree.ll.ops", 2, "count"},
                                {"nccl.allreduce.tree.ll.bytes", 256 * 4 + 256 * 2, "bytes"},
                                {"nccl.allreduce.tree.ll.channels_min", 2, "count"},
                                {"nccl.allreduce.tree.ll.channels_max", 2, "count"},
                                {"nccl.allgather.nvlstree.ll128.ops", 1, "count"},
                                {"nccl.allgather.nvlstree.ll128.bytes", 10, "bytes"},
                                {"nccl.ops", 7, "count"},
                                {"nccl.channels_min", 2, "count"},
                                {"nccl.channels_max", 16, "count"},
                                {"nccl.communicators", 1, "count"},
                            });
  EXPECT_EQ(counters.size(), 16u);
  EXPECT_EQ(v5_->finalize(context), abi::kSuccess);
}

TEST_F(NcclProfiler, CountsExactlyWhenNcclCallsFromSeveralThreads) {
  auto collector = make_nccl_collector(options());
  ASSERT_EQ(collector->unavailable_reason(), std::nullopt);
  collector->begin();
  constexpr int kThreads = 4, kEach = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([this, t] {
      void* context = init_communicator();  // one communicator per thread, as with one per GPU
      for (int i = 0; i < kEach; ++i) {
        if (i % 2 == 0) run(collective("AllReduce", "Ring", "Simple", 4 + t, 1024), context);
        else run(collective("AllReduce", "Tree", "LL", 2, 8), context);
      }
      v5_->finalize(context);
    });
  for (std::thread& thread : threads) thread.join();
  expect_counters(collector->end(), {
                                        {"nccl.allreduce.ring.simple.ops", kThreads * kEach / 2, "count"},
                                        {"nccl.allreduce.ring.simple.bytes", kThreads * kEach / 2 * 4096.0, "bytes"},
                                        {"nccl.allreduce.ring.simple.channels_min", 4, "count"},
                                        {"nccl.allreduce.ring.simple.channels_max", 4 + kThreads - 1, "count"},
                                        {"nccl.allreduce.tree.ll.ops", kThreads * kEach / 2, "count"},
                                        {"nccl.ops", kThreads * kEach, "count"},
                                        {"nccl.communicators", 0, "count"},
                                    });
}

TEST_F(NcclProfiler, EachRegionStartsFromZero) {
  auto collector = make_nccl_collector(options());
  ASSERT_EQ(collector->unavailable_reason(), std::nullopt);
  void* context = init_communicator();
  run(collective("Broadcast", "Ring", "LL", 1, 4), context);  // before the region: not counted
  collector->begin();
  run(collective("Broadcast", "Ring", "LL", 1, 4), context);
  expect_counters(collector->end(), {{"nccl.broadcast.ring.ll.ops", 1, "count"}, {"nccl.ops", 1, "count"}});
  // A region without collectives: the communicator still there, no path.
  collector->begin();
  const std::vector<Counter> quiet = collector->end();
  expect_counters(quiet, {{"nccl.ops", 0, "count"}, {"nccl.communicators", 1, "count"}});
  EXPECT_EQ(find_counter(quiet, "nccl.broadcast.ring.ll.ops"), nullptr);
  EXPECT_EQ(find_counter(quiet, "nccl.channels_min"), nullptr);
  // Without NCCL in the case at all, nothing.
  v5_->finalize(context);
  collector->begin();
  EXPECT_TRUE(collector->end().empty());
}

TEST_F(NcclProfiler, AnOlderNcclLoadsTheV4Table) {
  auto collector = make_nccl_collector(options());
  ASSERT_EQ(collector->unavailable_reason(), std::nullopt);
  collector->begin();
  void* context = nullptr;
  int mask = 0;
  ASSERT_EQ(v4_->init(&context, &mask, "comm", 0x99, 1, 2, 1, nullptr), abi::kSuccess);
  EXPECT_EQ(mask, static_cast<int>(abi::kProfileColl));
  abi::EventDescrV4 descriptor{};
  descriptor.type = static_cast<std::uint8_t>(abi::kProfileColl);
  descriptor.coll.func = "ReduceScatter";
  descriptor.coll.algo = "PAT";
  descriptor.coll.proto = "Simple";
  descriptor.coll.nChannels = 3;
  descriptor.coll.count = 100;
  descriptor.coll.datatype = "ncclFloat64";
  void* handle = nullptr;
  ASSERT_EQ(v4_->startEvent(context, &handle, &descriptor), abi::kSuccess);
  ASSERT_EQ(v4_->stopEvent(handle), abi::kSuccess);
  ASSERT_EQ(v4_->finalize(context), abi::kSuccess);
  expect_counters(collector->end(), {{"nccl.reducescatter.pat.simple.ops", 1, "count"},
                                     {"nccl.reducescatter.pat.simple.bytes", 800, "bytes"},
                                     {"nccl.reducescatter.pat.simple.channels_max", 3, "count"}});
}

TEST_F(NcclProfiler, OnlyCollectivesAreCounted) {
  auto collector = make_nccl_collector(options());
  collector->begin();
  void* context = init_communicator();
  for (std::uint64_t type : {1u << 0, 1u << 2, 1u << 3, 1u << 8, 1u << 9, 1u << 11}) {
    abi::EventDescrV5 other{};
    other.type = type;
    void* handle = nullptr;
    ASSERT_EQ(v5_->startEvent(context, &handle, &other), abi::kSuccess) << type;
    ASSERT_EQ(v5_->recordEventState(handle, 23, nullptr), abi::kSuccess);
    ASSERT_EQ(v5_->stopEvent(handle), abi::kSuccess);
  }
  expect_counters(collector->end(), {{"nccl.ops", 0, "count"}, {"nccl.communicators", 1, "count"}});
  v5_->finalize(context);
}

TEST_F(NcclProfiler, UnknownNamesAndDatatypesAreKeptApart) {
  auto collector = make_nccl_collector(options());
  collector->begin();
  void* context = init_communicator();
  run(collective("AllReduce", "Ring", "", 0, 4, "ncclSomethingNew"), context);
  run(collective("AllReduce", nullptr, "Simple", 2, 4, nullptr), context);
  const std::vector<Counter> counters = collector->end();
  expect_counters(counters, {{"nccl.allreduce.ring.unknown.ops", 1, "count"}, {"nccl.allreduce.unknown.simple.ops", 1, "count"}});
  EXPECT_EQ(find_counter(counters, "nccl.allreduce.ring.unknown.bytes"), nullptr) << "a datatype of unknown size";
  EXPECT_EQ(find_counter(counters, "nccl.allreduce.ring.unknown.channels_min"), nullptr) << "0 channels: not reported";
  v5_->finalize(context);
}

TEST_F(NcclProfiler, PathsBeyondTheTableAreCountedAsDropped) {
  auto collector = make_nccl_collector(options());
  collector->begin();
  void* context = init_communicator();
  std::vector<std::string> algorithms;
  for (int i = 0; i < 70; ++i) algorithms.push_back("Algo" + std::to_string(i));
  for (const std::string& algorithm : algorithms) run(collective("AllReduce", algorithm.c_str(), "LL", 1, 1), context);
  run(collective("AllReduce", "Algo0", "LL", 1, 1), context);  // a known path still counts
  const std::vector<Counter> counters = collector->end();
  expect_counters(counters, {{"nccl.ops", 71, "count"}, {"nccl.dropped_ops", 6, "count"}, {"nccl.allreduce.algo0.ll.ops", 2, "count"}});
  EXPECT_EQ(find_counter(counters, "nccl.allreduce.algo64.ll.ops"), nullptr);
  v5_->finalize(context);
}

TEST_F(NcclProfiler, PointsNcclAtThePluginAndUnsetsItWhenDestroyed) {
  {
    auto collector = make_nccl_collector(options());
    ASSERT_EQ(collector->unavailable_reason(), std::nullopt);
    const char* value = std::getenv("NCCL_PROFILER_PLUGIN");
    ASSERT_NE(value, nullptr);
    EXPECT_TRUE(fs::path(value).is_absolute()) << value;
    EXPECT_TRUE(fs::equivalent(value, plugin_path()));
    EXPECT_EQ(collector->describe()["plugin"], value);
  }
  EXPECT_EQ(std::getenv("NCCL_PROFILER_PLUGIN"), nullptr);
  // Already naming our plugin (another spelling of its path): used, and left set.
  const std::string spelled = (fs::path(plugin_path()).parent_path() / "." / fs::path(plugin_path()).filename()).string();
  ::setenv("NCCL_PROFILER_PLUGIN", spelled.c_str(), 1);
  make_nccl_collector(options(spelled)).reset();
  EXPECT_STREQ(std::getenv("NCCL_PROFILER_PLUGIN"), spelled.c_str());
}

TEST(NcclCollector, AnotherProfilerPluginIsLeftAlone) {
  auto collector = make_nccl_collector(options("/opt/vendor/libnccl-profiler-inspector.so"));
  EXPECT_EQ(collector->unavailable_reason(),
            "NCCL_PROFILER_PLUGIN is set to '/opt/vendor/libnccl-profiler-inspector.so', another profiler plugin (left as it is)");
  EXPECT_EQ(make_nccl_collector(options("NONE"))->unavailable_reason(), "NCCL_PROFILER_PLUGIN=none turns NCCL's profiler plugins off");
}

TEST(NcclCollector, AMissingPluginIsUnavailable) {
  NcclOptions missing = options();
  missing.plugin_candidates = {"/nonexistent/lib/sciperf/libsciperf_nccl_profiler.so", "/nonexistent/build/libsciperf_nccl_profiler.so"};
  auto collector = make_nccl_collector(missing);
  EXPECT_EQ(collector->unavailable_reason(),
            "sciperf's NCCL profiler plugin was not found (looked in: /nonexistent/lib/sciperf/libsciperf_nccl_profiler.so, "
            "/nonexistent/build/libsciperf_nccl_profiler.so)");
  EXPECT_EQ(collector->describe()["plugin_looked_in"].size(), 2u);
}

TEST(NcclCollector, ALibraryThatIsNotThePluginIsUnavailable) {
  NcclOptions other = options();
  other.plugin_candidates = {SCIPERF_FAKE_NVML};
  const auto reason = make_nccl_collector(other)->unavailable_reason();
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("is not sciperf's NCCL profiler plugin"), std::string::npos) << *reason;
}

TEST(NcclCollector, WithoutNcclItIsUnavailableAndLeavesTheEnvironment) {
  ::unsetenv("NCCL_PROFILER_PLUGIN");
  NcclOptions without = options();
  without.nccl_library = "libnccl-not-here.so.2";
  auto collector = make_nccl_collector(without);
  const auto reason = collector->unavailable_reason();
  ASSERT_TRUE(reason.has_value());
  EXPECT_TRUE(reason->starts_with("libnccl-not-here.so.2 not found: ")) << *reason;
  EXPECT_EQ(std::getenv("NCCL_PROFILER_PLUGIN"), nullptr);
}

// This machine's NCCL, when it has one: its version described (no GPU needed to load it).
TEST(NcclCollector, TheToolkitsNcclIsUsedOrSaysItIsMissing) {
  ::unsetenv("NCCL_PROFILER_PLUGIN");
  NcclOptions real = options();
  real.nccl_library = "libnccl.so.2";
  auto collector = make_nccl_collector(real);
  if (void* nccl = ::dlopen("libnccl.so.2", RTLD_LAZY | RTLD_LOCAL)) {
    EXPECT_EQ(collector->unavailable_reason(), std::nullopt);
    EXPECT_TRUE(collector->describe().contains("nccl_version")) << collector->describe().dump();
    ::dlclose(nccl);
  } else {
    ASSERT_TRUE(collector->unavailable_reason().has_value());
    EXPECT_TRUE(collector->unavailable_reason()->starts_with("libnccl.so.2 not found: "));
  }
  collector.reset();
  ::unsetenv("NCCL_PROFILER_PLUGIN");
}

}  // namespace
}  // namespace sciperf
