// Collectors in a run: which ones read on this rank (config modes, availability, one rank
// per node for node-wide counters), and how their per-rank counters become a case's
// "counters" block and the network metrics derived from them.
#pragma once

#include "harness/collector.h"
#include "harness/config.h"

#include <mpi.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sciperf {

struct CollectorSetup {
  std::vector<std::unique_ptr<Collector>> active;  // read on this rank around every case
  nlohmann::json inventory;                          // every collector: mode, availability, reason, details
  std::optional<std::string> required_missing;       // a required collector that cannot work here
};

// `node_leader`: this rank is the first on its node, the one that reads node-wide counters.
CollectorSetup set_up_collectors(std::vector<std::unique_ptr<Collector>> collectors, const Config& config, bool node_leader);

// Reads the active collectors around each measured region: begin() on every one, and end()
// collecting their counters. With a sample interval (seconds, > 0), a thread of its own
// also calls sample() on the collectors with gauges every interval from begin() to end();
// end() stops it before reading, so a collector is never read from two threads at once.
class RegionCounters {
 public:
  RegionCounters(const std::vector<std::unique_ptr<Collector>>& active, double sample_interval);
  ~RegionCounters();
  RegionCounters(const RegionCounters&) = delete;
  RegionCounters& operator=(const RegionCounters&) = delete;

  void begin();
  std::vector<Counter> end();

  // The profiling passes (collector.h): the most any active collector wants on this rank,
  // and each pass's begin and end on the collectors that asked for that many.
  int profile_passes() const;
  void begin_profile(const ProfilePass& pass);
  std::vector<Counter> end_profile();

 private:
  void sample_until_stopped();
  void stop_sampling();

  const std::vector<std::unique_ptr<Collector>>& active_;
  std::vector<Collector*> gauges_;  // empty when not sampling
  int profile_index_ = 0;           // the profiling pass in progress
  std::chrono::duration<double> interval_;
  std::thread sampler_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
};

// Collective: every rank's counters to rank 0, which gets {name: {unit, sum, min, max,
// per_rank}} (per_rank has null where a rank had no such counter); other ranks get null.
nlohmann::json gather_counters(const std::vector<Counter>& local, MPI_Comm comm);

struct Traffic {
  double operations;                 // operations in the measured region (all repetitions)
  double seconds;                    // wall time of the measured region, slowest rank
  std::optional<double> expected_bytes_per_operation;  // what the algorithm must send, all ranks together
};

// From net.total_tx_bytes: wire bytes per operation, achieved bandwidth (GB/s) and the
// ratio of wire bytes to the algorithm's expected bytes; empty without network counters.
nlohmann::json network_metrics(const nlohmann::json& counters, const Traffic& traffic);

}  // namespace sciperf
