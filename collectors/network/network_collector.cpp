#include "collectors/network/network_collector.h"

#include "collectors/host/kernel_files.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <system_error>

namespace sciperf::collectors {
namespace {

namespace fs = std::filesystem;

constexpr long long kCounter32Max = 0xFFFFFFFFll;

// The interface statistics worth a counter: bytes, packets, errors, drops.
constexpr const char* kInterfaceStatistics[] = {"rx_bytes",  "tx_bytes",  "rx_packets", "tx_packets",
                                               "rx_errors", "tx_errors", "rx_dropped", "tx_dropped"};

// One counter file, found once when the collector is made so that reading is only
// open/read/close (a case boundary must stay cheap: tens of microseconds, not milliseconds).
struct Source {
  std::string name;
  fs::path file;
  std::string unit;
  long long scale;   // port_xmit_data / port_rcv_data count 4-byte words
  bool can_stop;     // a 32-bit InfiniBand PortCounters value, which stops at 2^32 - 1
};

std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string unit_of(const std::string& counter) {
  if (counter.find("bytes") != std::string::npos || counter.ends_with("_data")) return "bytes";
  if (counter.find("packets") != std::string::npos) return "packets";
  return "count";
}

// /proc/net/dev: every interface's statistics in one read, where sysfs needs a file per
// number (some 10 us each: the kernel gathers the device's statistics for every file).
// Columns after "name:": receive bytes packets errs drop fifo frame compressed multicast,
// then transmit bytes packets errs drop fifo colls carrier compressed.
// The whole file in one open/read loop/close (procfs files report size 0, so no stat).
std::optional<std::string> read_whole_file(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[8192];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  return text;
}

std::map<std::string, long long> read_proc_net_dev(const fs::path& file) {
  std::map<std::string, long long> out;
  const auto text = read_whole_file(file);
  if (!text) return out;
  static constexpr std::pair<int, const char*> kColumns[] = {{0, "rx_bytes"}, {1, "rx_packets"}, {2, "rx_errors"},
                                                             {3, "rx_dropped"}, {8, "tx_bytes"}, {9, "tx_packets"},
                                                             {10, "tx_errors"}, {11, "tx_dropped"}};
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string interface = line.substr(0, colon);
    interface.erase(0, interface.find_first_not_of(' '));
    std::istringstream numbers(line.substr(colon + 1));
    std::vector<long long> values{std::istream_iterator<long long>(numbers), std::istream_iterator<long long>()};
    if (values.size() < 16) continue;
    for (const auto& [column, statistic] : kColumns) out[fmt::format("net.{}.{}", interface, statistic)] = values[column];
  }
  return out;
}

std::vector<Source> find_sources(const fs::path& sys, bool interfaces_from_proc) {
  std::vector<Source> sources;
  for (const fs::path& interface : interfaces_from_proc ? std::vector<fs::path>{} : entries(sys / "class/net"))
    for (const char* statistic : kInterfaceStatistics)
      if (fs::exists(interface / "statistics" / statistic))
        sources.push_back({fmt::format("net.{}.{}", interface.filename().string(), statistic),
                           interface / "statistics" / statistic, unit_of(statistic), 1, false});
  for (const fs::path& device : entries(sys / "class/infiniband"))
    for (const fs::path& port : entries(device / "ports")) {
      const std::string prefix = fmt::format("ib.{}.{}", device.filename().string(), port.filename().string());
      for (const fs::path& file : entries(port / "counters")) {
        const std::string counter = file.filename().string();
        const bool words = counter == "port_xmit_data" || counter == "port_rcv_data";
        sources.push_back({fmt::format("{}.{}", prefix, counter), file, unit_of(counter), words ? 4 : 1, true});
      }
      for (const fs::path& file : entries(port / "hw_counters"))
        sources.push_back({fmt::format("{}.hw.{}", prefix, file.filename().string()), file, "count", 1, false});
    }
  return sources;
}

bool is_transmitted_bytes(const std::string& name) {
  return name.ends_with(".tx_bytes") || name.ends_with(".port_xmit_data");
}

class NetworkCollector : public Collector {
 public:
  explicit NetworkCollector(NetworkRoots roots)
      : roots_(std::move(roots)),
        interfaces_from_proc_(!read_proc_net_dev(roots_.proc / "net/dev").empty()),
        sources_(find_sources(roots_.sys, interfaces_from_proc_)) {}

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

  void begin() override {
    before_ = read_all();
    interfaces_before_ = read_interfaces();
  }

  std::vector<Counter> end() override {
    const std::vector<std::optional<long long>> after = read_all();
    std::vector<Counter> out;
    double transmitted = 0;
    for (const auto& [name, value] : read_interfaces()) {
      auto start = interfaces_before_.find(name);
      if (start == interfaces_before_.end()) continue;
      const double change = value >= start->second ? static_cast<double>(value - start->second) : 0.0;
      out.push_back({name, change, unit_of(name)});
      if (is_transmitted_bytes(name)) transmitted += change;
    }
    for (std::size_t i = 0; i < sources_.size(); ++i) {
      if (!before_[i] || !after[i]) continue;
      const Source& source = sources_[i];
      // Counters are monotonic; a smaller value means a reset (interface re-created).
      const double change = *after[i] >= *before_[i] ? static_cast<double>((*after[i] - *before_[i]) * source.scale) : 0.0;
      out.push_back({source.name, change, source.unit});
      if (is_transmitted_bytes(source.name)) transmitted += change;
      if (source.can_stop && *after[i] == kCounter32Max) out.push_back({source.name + ".saturated", 1, "flag"});
    }
    out.push_back({"net.total_tx_bytes", transmitted, "bytes"});
    return out;
  }

 private:
  std::vector<std::optional<long long>> read_all() const {
    std::vector<std::optional<long long>> values;
    values.reserve(sources_.size());
    for (const Source& source : sources_) values.push_back(host::read_file_integer(source.file).value);
    return values;
  }

  std::map<std::string, long long> read_interfaces() const {
    return interfaces_from_proc_ ? read_proc_net_dev(roots_.proc / "net/dev") : std::map<std::string, long long>{};
  }

  NetworkRoots roots_;
  bool interfaces_from_proc_;
  std::vector<Source> sources_;  // sysfs files: interfaces without /proc/net/dev, InfiniBand ports
  std::vector<std::optional<long long>> before_;
  std::map<std::string, long long> interfaces_before_;
};

}  // namespace

std::unique_ptr<Collector> make_network_collector(const NetworkRoots& roots) {
  return std::make_unique<NetworkCollector>(roots);
}

}  // namespace sciperf::collectors
