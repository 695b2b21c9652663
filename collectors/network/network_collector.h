// Bytes and packets on every network interface (/sys/class/net/*/statistics) and
// InfiniBand/RoCE port (/sys/class/infiniband/*/ports/*/counters and hw_counters) of the
// node, over a case's measured region.
#pragma once

#include "harness/collector.h"

#include <filesystem>
#include <memory>

namespace sciperf::collectors {

struct NetworkRoots {
  std::filesystem::path sys = "/sys";
  std::filesystem::path proc = "/proc";  // net/dev: all interfaces in one read, when present
};

// The counter files are found when the collector is made (interfaces that appear later are
// not seen). Counters: net.<if>.<statistic> (bytes, packets, errors, drops), ib.<dev>.<port>.<counter>
// (port_xmit_data / port_rcv_data converted from 4-byte units to bytes), and
// net.total_tx_bytes over all of them. A 32-bit InfiniBand counter found at its maximum
// (it stops there when the card lacks extended counters) adds <counter>.saturated = 1: its
// change is then a lower bound.
std::unique_ptr<Collector> make_network_collector(const NetworkRoots& roots = {});

}  // namespace sciperf::collectors
