#include "harness/inventory.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#ifndef SCIPERF_TEST_DATA
#define SCIPERF_TEST_DATA "tests/unit/data"
#endif

namespace sciperf {
namespace {

using nlohmann::json;

// Fake hosts under data/fake_host: "two_socket" is a full x86 node with InfiniBand, "sparse"
// an Arm node whose cpuinfo names no topology and which lacks caches, os-release and more.
InventoryRoots fake_host(const std::string& name) {
  const std::filesystem::path root = std::filesystem::path(SCIPERF_TEST_DATA) / "fake_host" / name;
  return {.proc = root / "proc", .sys = root / "sys", .etc = root / "etc"};
}

bool mentions(const json& notes, const std::string& text) {
  for (const json& note : notes)
    if (note.get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

TEST(HostInventory, ReadsCpuFromCpuinfo) {
  const json cpu = collect_host_inventory(fake_host("two_socket"))["cpu"];
  EXPECT_EQ(cpu["model"], "Intel(R) Xeon(R) Platinum 8480+");
  EXPECT_EQ(cpu["vendor"], "GenuineIntel");
  EXPECT_EQ(cpu["logical_cpus"], 8);
  // Core ids 0 and 1 repeat on both sockets: cores are (physical id, core id) pairs.
  EXPECT_EQ(cpu["physical_cores"], 4);
  EXPECT_EQ(cpu["sockets"], 2);
  EXPECT_DOUBLE_EQ(cpu["mhz"].get<double>(), 2000.0);
}

TEST(HostInventory, ListsOnlyTheRelevantIsaFlagsInFixedOrder) {
  const json isa = collect_host_inventory(fake_host("two_socket"))["cpu"]["isa"];
  const json expected = {"sse4_2",      "avx",         "avx2",     "fma",      "avx512f",  "avx512bw", "avx512vl",
                         "avx512_vnni", "avx_vnni",    "avx512_bf16", "amx_bf16", "amx_int8", "amx_tile"};
  EXPECT_EQ(isa, expected);
}

TEST(HostInventory, ReadsCacheLevelsWithBinarySizes) {
  const json caches = collect_host_inventory(fake_host("two_socket"))["caches"];
  const json expected = json::parse(R"([
    {"level": 1, "type": "Data",        "size_bytes": 49152,    "shared_by_cpus": 2},
    {"level": 1, "type": "Instruction", "size_bytes": 32768,    "shared_by_cpus": 2},
    {"level": 2, "type": "Unified",     "size_bytes": 2097152,  "shared_by_cpus": 2},
    {"level": 3, "type": "Unified",     "size_bytes": 16777216, "shared_by_cpus": 4}
  ])");
  EXPECT_EQ(caches, expected);
}

TEST(HostInventory, ReadsMemoryNumaOsAndLoad) {
  const json host = collect_host_inventory(fake_host("two_socket"));
  EXPECT_EQ(host["memory"]["total_bytes"], 527958740ULL * 1024);
  EXPECT_EQ(host["memory"]["available_bytes"], 515000000ULL * 1024);
  EXPECT_EQ(host["numa_nodes"], 2);
  EXPECT_EQ(host["os"]["pretty_name"], "Rocky Linux 9.3 (Blue Onyx)");
  EXPECT_EQ(host["os"]["id"], "rocky");
  EXPECT_EQ(host["os"]["version_id"], "9.3");
  // Kernel and machine come from uname, never from the fake tree.
  EXPECT_TRUE(host["os"]["kernel"].is_string());
  EXPECT_TRUE(host["os"]["machine"].is_string());
  EXPECT_EQ(host["load_average"], json::parse(R"({"1min": 1.5, "5min": 0.75, "15min": 0.25})"));
  EXPECT_EQ(host["notes"], json::array());
}

TEST(HostInventory, ClassifiesNetworkLinksAndSkipsPlainFiles) {
  const json network = collect_host_inventory(fake_host("two_socket"))["network"];
  // bonding_masters is a file beside the interface directories, not an interface.
  ASSERT_EQ(network.size(), 3U);
  EXPECT_EQ(network[0], json::parse(R"({"name": "eth0", "kind": "ethernet", "operstate": "up", "mtu": 9000,
                                        "speed_mbps": 25000, "address": "0c:42:a1:12:34:56"})"));
  EXPECT_EQ(network[1]["name"], "ib0");
  EXPECT_EQ(network[1]["kind"], "infiniband");
  EXPECT_EQ(network[2]["name"], "lo");
  EXPECT_EQ(network[2]["kind"], "loopback");
  EXPECT_EQ(network[2]["mtu"], 65536);
  EXPECT_TRUE(network[2]["speed_mbps"].is_null());
}

TEST(HostInventory, ReadsInfinibandPorts) {
  const json ports = collect_host_inventory(fake_host("two_socket"))["infiniband"];
  const json expected = json::parse(R"json([{"device": "mlx5_0", "port": 1, "rate": "400 Gb/sec (4X NDR)",
                                             "rate_gbps": 400.0, "state": "ACTIVE", "link_layer": "InfiniBand"}])json");
  EXPECT_EQ(ports, expected);
}

TEST(HostInventory, FallsBackToSysfsTopologyAndArmFeatures) {
  const json cpu = collect_host_inventory(fake_host("sparse"))["cpu"];
  EXPECT_TRUE(cpu["model"].is_null());
  EXPECT_EQ(cpu["vendor"], "0x41");
  EXPECT_EQ(cpu["logical_cpus"], 4);
  EXPECT_EQ(cpu["physical_cores"], 4);
  EXPECT_EQ(cpu["sockets"], 1);
  EXPECT_TRUE(cpu["mhz"].is_null());
  EXPECT_EQ(cpu["isa"], json({"sve", "asimd"}));
}

TEST(HostInventory, MissingFilesLeaveNullsAndNotes) {
  const json host = collect_host_inventory(fake_host("sparse"));
  EXPECT_EQ(host["caches"], json::array());
  EXPECT_EQ(host["memory"]["total_bytes"], 16384000ULL * 1024);
  EXPECT_TRUE(host["memory"]["available_bytes"].is_null());
  EXPECT_TRUE(host["numa_nodes"].is_null());
  EXPECT_TRUE(host["os"]["pretty_name"].is_null());
  EXPECT_TRUE(host["os"]["kernel"].is_string());
  EXPECT_TRUE(host["load_average"].is_null());
  EXPECT_EQ(host["infiniband"], json::array());
  ASSERT_EQ(host["network"].size(), 1U);
  EXPECT_EQ(host["network"][0]["operstate"], "down");
  EXPECT_TRUE(host["network"][0]["speed_mbps"].is_null());  // a down link reports -1

  const json& notes = host["notes"];
  EXPECT_TRUE(mentions(notes, "cache")) << notes;
  EXPECT_TRUE(mentions(notes, "os-release")) << notes;
  EXPECT_TRUE(mentions(notes, "loadavg")) << notes;
  EXPECT_TRUE(mentions(notes, "NUMA")) << notes;
}

TEST(HostInventory, NonexistentRootsStillYieldSystemCallFacts) {
  const json host = collect_host_inventory(fake_host("no_such_host"));
  EXPECT_TRUE(host["hostname"].is_string());
  EXPECT_TRUE(host["cpu"]["logical_cpus"].is_null());
  EXPECT_TRUE(host["cpu"]["isa"].is_null());
  EXPECT_TRUE(host["memory"]["total_bytes"].is_null());
  EXPECT_EQ(host["network"], json::array());
  EXPECT_TRUE(mentions(host["notes"], "cpuinfo")) << host["notes"];
  EXPECT_TRUE(mentions(host["notes"], "network")) << host["notes"];
}

TEST(HostInventory, DescribesThisMachine) {
  const json host = collect_host_inventory();
  ASSERT_TRUE(host["hostname"].is_string());
  EXPECT_FALSE(host["hostname"].get<std::string>().empty());
  ASSERT_TRUE(host["cpu"]["logical_cpus"].is_number_integer());
  EXPECT_GE(host["cpu"]["logical_cpus"].get<int>(), 1);
  // The real sysfs refuses to read a loopback's speed (EINVAL); that must read as null.
  for (const json& link : host["network"]) {
    if (link["kind"] == "loopback") {
      EXPECT_TRUE(link["speed_mbps"].is_null()) << link;
    }
  }
}

TEST(BuildInventory, NamesMpiLibraryAndVersions) {
  const json build = collect_build_inventory();
  ASSERT_TRUE(build["mpi_library"].is_string());
  EXPECT_NE(build["mpi_library"].get<std::string>().find("MPICH"), std::string::npos) << build["mpi_library"];
  EXPECT_EQ(build["mpi_library"].get<std::string>().find('\n'), std::string::npos);
  EXPECT_TRUE(build["mpi_version"] == "3.1" || build["mpi_version"] == "4.0") << build["mpi_version"];
  for (const char* key : {"sciperf_version", "git_revision", "compiler", "build_type", "cxx_flags"})
    EXPECT_TRUE(build[key].is_string()) << key;
  EXPECT_TRUE(build["libraries"]["fmt"].is_string());
  EXPECT_TRUE(build["libraries"]["nlohmann_json"].is_string());
}

TEST(InventoryText, MentionsCpuModelInterfacesAndBuild) {
  const json inventory = {{"host", collect_host_inventory(fake_host("two_socket"))},
                          {"build", collect_build_inventory()}};
  const std::string text = render_inventory_text(inventory);
  for (const char* expected : {"Intel(R) Xeon(R) Platinum 8480+", "eth0", "25000 Mb/s", "lo ", "mlx5_0",
                               "400 Gb/sec (4X NDR)", "16 MiB", "MPICH"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from:\n" << text;
}

TEST(InventoryText, RendersUnknownsWithoutThrowing) {
  const json sparse = {{"host", collect_host_inventory(fake_host("sparse"))}};
  std::string text;
  EXPECT_NO_THROW(text = render_inventory_text(sparse));
  EXPECT_NE(text.find("Notes"), std::string::npos) << text;
  EXPECT_NO_THROW(render_inventory_text(json::object()));
  EXPECT_NO_THROW(render_inventory_text(json::parse(R"({"host": {"cpu": 3, "caches": null}})")));
}

}  // namespace
}  // namespace sciperf
