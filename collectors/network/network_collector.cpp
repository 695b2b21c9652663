#include "collectors/network/network_collector.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <system_error>

namespace sciperf::collectors {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kCounter32Max = 0xFFFFFFFFull;

struct Reading {
  std::uint64_t value;  // in `unit`
  std::string unit;
  bool stopped;  // a 32-bit InfiniBand counter at its maximum, where it stops counting
};

using Snapshot = std::map<std::string, Reading>;

std::optional<std::uint64_t> read_number(const fs::path& file) {
  std::ifstream in(file);
  std::string text;
  if (!(in >> text)) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string unit_of_statistic(const std::string& name) {
  if (name.find("bytes") != std::string::npos) return "bytes";
  if (name.find("packets") != std::string::npos) return "packets";
  return "count";
}

void read_interfaces(const fs::path& sys, Snapshot& snapshot) {
  for (const fs::path& interface : entries(sys / "class/net"))
    for (const fs::path& file : entries(interface / "statistics"))
      if (auto value = read_number(file)) {
        const std::string statistic = file.filename().string();
        snapshot[fmt::format("net.{}.{}", interface.filename().string(), statistic)] = {*value, unit_of_statistic(statistic),
                                                                                      false};
      }
}

// port_xmit_data and port_rcv_data count 4-byte words (the InfiniBand spec's "octets / 4").
void read_infiniband(const fs::path& sys, Snapshot& snapshot) {
  for (const fs::path& device : entries(sys / "class/infiniband"))
    for (const fs::path& port : entries(device / "ports")) {
      const std::string prefix = fmt::format("ib.{}.{}", device.filename().string(), port.filename().string());
      for (const fs::path& file : entries(port / "counters"))
        if (auto value = read_number(file)) {
          const std::string counter = file.filename().string();
          const bool words = counter == "port_xmit_data" || counter == "port_rcv_data";
          snapshot[fmt::format("{}.{}", prefix, counter)] = {words ? *value * 4 : *value,
                                                             words ? "bytes" : unit_of_statistic(counter),
                                                             *value == kCounter32Max};
        }
      for (const fs::path& file : entries(port / "hw_counters"))
        if (auto value = read_number(file))
          snapshot[fmt::format("{}.hw.{}", prefix, file.filename().string())] = {*value, "count", false};
    }
}

bool is_transmitted_bytes(const std::string& name) {
  return name.ends_with(".tx_bytes") || name.ends_with(".port_xmit_data");
}

class NetworkCollector : public Collector {
 public:
  explicit NetworkCollector(NetworkRoots roots) : roots_(std::move(roots)) {}

  std::string_view name() const override { return "network"; }
  bool node_wide() const override { return true; }

  std::optional<std::string> unavailable_reason() const override {
    if (!fs::exists(roots_.sys / "class/net")) return fmt::format("no {}", (roots_.sys / "class/net").string());
    return std::nullopt;
  }

  nlohmann::json describe() const override {
    nlohmann::json interfaces = nlohmann::json::array(), ports = nlohmann::json::array();
    for (const fs::path& interface : entries(roots_.sys / "class/net"))
      if (fs::exists(interface / "statistics")) interfaces.push_back(interface.filename().string());
    for (const fs::path& device : entries(roots_.sys / "class/infiniband"))
      for (const fs::path& port : entries(device / "ports"))
        ports.push_back({{"port", fmt::format("{}/{}", device.filename().string(), port.filename().string())},
                         {"hw_counters", fs::exists(port / "hw_counters")}});
    return {{"interfaces", interfaces}, {"infiniband_ports", ports}};
  }

  void begin() override { before_ = snapshot(); }

  std::vector<Counter> end() override {
    const Snapshot after = snapshot();
    std::vector<Counter> out;
    double transmitted = 0;
    for (const auto& [name, reading] : after) {
      auto start = before_.find(name);
      if (start == before_.end()) continue;
      // Counters are monotonic; a smaller value means a reset (interface re-created).
      const double change = reading.value >= start->second.value ? static_cast<double>(reading.value - start->second.value) : 0.0;
      out.push_back({name, change, reading.unit});
      if (is_transmitted_bytes(name)) transmitted += change;
      if (reading.stopped) out.push_back({name + ".saturated", 1, "flag"});
    }
    out.push_back({"net.total_tx_bytes", transmitted, "bytes"});
    return out;
  }

 private:
  Snapshot snapshot() const {
    Snapshot out;
    read_interfaces(roots_.sys, out);
    read_infiniband(roots_.sys, out);
    return out;
  }

  NetworkRoots roots_;
  Snapshot before_;
};

}  // namespace

std::unique_ptr<Collector> make_network_collector(const NetworkRoots& roots) {
  return std::make_unique<NetworkCollector>(roots);
}

}  // namespace sciperf::collectors
