// The network collector against fake sysfs trees: interface statistics, InfiniBand's 4-byte
// data units, the 32-bit stop, hw_counters; and the metrics derived from its counters.
#include "collectors/network/network_collector.h"
#include "harness/collection.h"
#include "tests/unit/test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace sciperf {
namespace {

using testing::TempDir;

void write(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << text << "\n";
}

std::map<std::string, Counter> by_name(const std::vector<Counter>& counters) {
  std::map<std::string, Counter> out;
  for (const Counter& counter : counters) out.emplace(counter.name, counter);
  return out;
}

class FakeNode : public ::testing::Test {
 protected:
  void SetUp() override {
    write(sys() / "class/net/eth0/statistics/tx_bytes", "1000");
    write(sys() / "class/net/eth0/statistics/rx_packets", "10");
    write(sys() / "class/net/lo/statistics/tx_bytes", "50");
    write(port() / "counters/port_xmit_data", "100");
    write(port() / "counters/port_rcv_data", "4294967295");
    write(port() / "hw_counters/np_ecn_marked_roce_packets", "7");
  }
  std::filesystem::path sys() const { return dir_.path() / "sys"; }
  std::filesystem::path port() const { return sys() / "class/infiniband/mlx5_0/ports/1"; }
  TempDir dir_;
};

TEST_F(FakeNode, CountsTheChangeOfEveryInterfaceAndPort) {
  auto collector = collectors::make_network_collector({sys(), dir_.path() / "proc"});
  ASSERT_EQ(collector->unavailable_reason(), std::nullopt);
  EXPECT_TRUE(collector->node_wide());
  collector->begin();
  write(sys() / "class/net/eth0/statistics/tx_bytes", "4000");
  write(sys() / "class/net/eth0/statistics/rx_packets", "15");
  write(sys() / "class/net/lo/statistics/tx_bytes", "70");
  write(port() / "counters/port_xmit_data", "350");
  write(port() / "hw_counters/np_ecn_marked_roce_packets", "9");
  const auto counters = by_name(collector->end());
  EXPECT_EQ(counters.at("net.eth0.tx_bytes").value, 3000);
  EXPECT_EQ(counters.at("net.eth0.tx_bytes").unit, "bytes");
  EXPECT_EQ(counters.at("net.eth0.rx_packets").value, 5);
  EXPECT_EQ(counters.at("net.eth0.rx_packets").unit, "packets");
  // port_xmit_data counts 4-byte words.
  EXPECT_EQ(counters.at("ib.mlx5_0.1.port_xmit_data").value, 1000);
  EXPECT_EQ(counters.at("ib.mlx5_0.1.hw.np_ecn_marked_roce_packets").value, 2);
  EXPECT_EQ(counters.at("net.total_tx_bytes").value, 3000 + 20 + 1000);
}

TEST_F(FakeNode, AThirtyTwoBitCounterAtItsMaximumIsFlagged) {
  auto collector = collectors::make_network_collector({sys(), dir_.path() / "proc"});
  collector->begin();
  const auto counters = by_name(collector->end());
  EXPECT_EQ(counters.at("ib.mlx5_0.1.port_rcv_data").value, 0);
  ASSERT_TRUE(counters.count("ib.mlx5_0.1.port_rcv_data.saturated"));
  EXPECT_EQ(counters.at("ib.mlx5_0.1.port_rcv_data.saturated").unit, "flag");
  EXPECT_FALSE(counters.count("ib.mlx5_0.1.port_xmit_data.saturated"));
}

TEST_F(FakeNode, DescribesInterfacesAndPorts) {
  const auto details = collectors::make_network_collector({sys(), dir_.path() / "proc"})->describe();
  EXPECT_EQ(details["interfaces"], nlohmann::json({"eth0", "lo"}));
  EXPECT_EQ(details["infiniband_ports"][0]["port"], "mlx5_0/1");
  EXPECT_EQ(details["infiniband_ports"][0]["hw_counters"], true);
}

TEST_F(FakeNode, InterfacesComeFromProcNetDevInOneRead) {
  const auto proc_net_dev = [&](int eth_tx, int lo_tx) {
    write(dir_.path() / "proc/net/dev",
          "Inter-|   Receive                                                |  Transmit\n"
          " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
          "    lo:     100       2    0    0    0     0          0         0 " + std::to_string(lo_tx) + "       2    0    0    0     0       0          0\n"
          "  eth0:    5000      40    1    2    0     0          0         0 " + std::to_string(eth_tx) + "      30    3    4    0     0       0          0");
  };
  proc_net_dev(1000, 100);
  auto collector = collectors::make_network_collector({sys(), dir_.path() / "proc"});
  collector->begin();
  proc_net_dev(1600, 150);
  const auto counters = by_name(collector->end());
  EXPECT_EQ(counters.at("net.eth0.tx_bytes").value, 600);
  EXPECT_EQ(counters.at("net.lo.tx_bytes").value, 50);
  EXPECT_EQ(counters.at("net.eth0.tx_errors").value, 0);
  EXPECT_EQ(counters.at("net.eth0.tx_errors").unit, "count");
  EXPECT_EQ(counters.at("net.total_tx_bytes").value, 650);  // the sysfs interface files are not read twice
}

TEST(NetworkCollector, UnavailableWithoutSysClassNet) {
  TempDir dir;
  const auto reason = collectors::make_network_collector({dir.path(), dir.path() / "proc"})->unavailable_reason();
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("class/net"), std::string::npos);
}

TEST(NetworkMetrics, WireBytesPerOperationBandwidthAndRatio) {
  const nlohmann::json counters{{"net.total_tx_bytes", {{"unit", "bytes"}, {"sum", 4.0e6}}}};
  const auto metrics = network_metrics(counters, {100, 0.5, 38000.0});
  EXPECT_DOUBLE_EQ(metrics["wire_bytes_per_op"]["value"].get<double>(), 40000.0);
  EXPECT_DOUBLE_EQ(metrics["wire_bandwidth"]["value"].get<double>(), 4.0e6 / 0.5 / 1e9);
  EXPECT_DOUBLE_EQ(metrics["wire_to_expected"]["value"].get<double>(), 40000.0 / 38000.0);
  EXPECT_TRUE(network_metrics(nlohmann::json::object(), {100, 0.5, 1.0}).empty());
  EXPECT_FALSE(network_metrics(counters, {100, 0.5, std::nullopt}).contains("wire_to_expected"));
}

// Stands in for a collector in set-up tests.
class FakeCollector : public Collector {
 public:
  FakeCollector(std::string name, std::optional<std::string> reason, bool node_wide)
      : name_(std::move(name)), reason_(std::move(reason)), node_wide_(node_wide) {}
  std::string_view name() const override { return name_; }
  bool node_wide() const override { return node_wide_; }
  std::optional<std::string> unavailable_reason() const override { return reason_; }
  void begin() override {}
  std::vector<Counter> end() override { return {{name_ + ".x", 1, "count"}}; }

 private:
  std::string name_;
  std::optional<std::string> reason_;
  bool node_wide_;
};

std::vector<std::unique_ptr<Collector>> fakes() {
  std::vector<std::unique_ptr<Collector>> out;
  out.push_back(std::make_unique<FakeCollector>("network", std::nullopt, true));
  out.push_back(std::make_unique<FakeCollector>("mpi_t", "no variables", false));
  return out;
}

TEST(CollectorSetup, ModesAvailabilityAndNodeLeaders) {
  Config config;
  CollectorSetup leader = set_up_collectors(fakes(), config, true);
  ASSERT_EQ(leader.active.size(), 1u);
  EXPECT_EQ(leader.active[0]->name(), "network");
  EXPECT_EQ(leader.required_missing, std::nullopt);
  EXPECT_EQ(leader.inventory[1]["available"], false);
  EXPECT_EQ(leader.inventory[1]["reason"], "no variables");
  EXPECT_TRUE(set_up_collectors(fakes(), config, false).active.empty()) << "node-wide counters are read once per node";
  config.collectors["network"] = CollectorMode::disabled;
  EXPECT_TRUE(set_up_collectors(fakes(), config, true).active.empty());
  config.collectors["mpi_t"] = CollectorMode::required;
  const CollectorSetup required = set_up_collectors(fakes(), config, true);
  ASSERT_TRUE(required.required_missing.has_value());
  EXPECT_EQ(*required.required_missing, "required collector 'mpi_t' is unavailable: no variables");
}

}  // namespace
}  // namespace sciperf
