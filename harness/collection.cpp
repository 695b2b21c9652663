#include "harness/collection.h"

#include "harness/rank_sync.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <limits>

namespace sciperf {

CollectorSetup set_up_collectors(std::vector<std::unique_ptr<Collector>> collectors, const Config& config, bool node_leader) {
  CollectorSetup setup;
  setup.inventory = nlohmann::json::array();
  for (auto& collector : collectors) {
    const std::string name(collector->name());
    auto configured = config.collectors.find(name);
    const CollectorMode mode = configured == config.collectors.end() ? CollectorMode::enabled : configured->second;
    if (auto options = config.collector_options.find(name); options != config.collector_options.end())
      collector->configure(options->second);
    const std::optional<std::string> reason = collector->unavailable_reason();
    setup.inventory.push_back({{"name", name},
                               {"mode", to_string(mode)},
                               {"available", !reason},
                               {"reason", reason.value_or("")},
                               {"details", collector->describe()}});
    if (mode == CollectorMode::disabled) continue;
    if (reason) {
      if (mode == CollectorMode::required && !setup.required_missing)
        setup.required_missing = fmt::format("required collector '{}' is unavailable: {}", name, *reason);
      continue;
    }
    if (collector->node_wide() && !node_leader) continue;
    setup.active.push_back(std::move(collector));
  }
  return setup;
}

RegionCounters::RegionCounters(const std::vector<std::unique_ptr<Collector>>& active, double sample_interval)
    : active_(active), interval_(sample_interval) {
  if (sample_interval <= 0) return;
  for (const auto& collector : active)
    if (collector->has_gauges()) gauges_.push_back(collector.get());
}

RegionCounters::~RegionCounters() { stop_sampling(); }

void RegionCounters::begin() {
  stop_sampling();  // a region left without end() (an exception out of the timed loop)
  for (const auto& collector : active_) collector->begin();
  if (gauges_.empty()) return;
  stop_ = false;
  sampler_ = std::thread([this] { sample_until_stopped(); });
}

std::vector<Counter> RegionCounters::end() {
  stop_sampling();
  std::vector<Counter> counters;
  for (const auto& collector : active_) {
    auto more = collector->end();
    counters.insert(counters.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return counters;
}

// On a fixed schedule from begin() (not interval after each sample), so that slow reads do
// not stretch the spacing; a stop request wakes it at once rather than at the next tick.
int RegionCounters::profile_passes() const {
  int passes = 0;
  for (const auto& collector : active_) passes = std::max(passes, collector->profile_passes());
  return passes;
}

void RegionCounters::begin_profile(const ProfilePass& pass) {
  profile_index_ = pass.index;
  for (const auto& collector : active_)
    if (collector->profile_passes() > pass.index) collector->begin_profile(pass);
}

std::vector<Counter> RegionCounters::end_profile() {
  std::vector<Counter> counters;
  for (const auto& collector : active_) {
    if (collector->profile_passes() <= profile_index_) continue;
    auto more = collector->end_profile();
    counters.insert(counters.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return counters;
}

void RegionCounters::sample_until_stopped() {
  const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(interval_);
  auto next = std::chrono::steady_clock::now() + interval;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_until(lock, next, [this] { return stop_; })) {
    for (Collector* collector : gauges_) collector->sample();
    // Ticks missed behind a slow read are dropped, not caught up back to back.
    next = std::max(next + interval, std::chrono::steady_clock::now());
  }
}

void RegionCounters::stop_sampling() {
  if (!sampler_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  sampler_.join();
}

nlohmann::json gather_counters(const std::vector<Counter>& local, MPI_Comm comm) {
  nlohmann::json mine = nlohmann::json::object();
  for (const Counter& counter : local) mine[counter.name] = {{"value", counter.value}, {"unit", counter.unit}};
  const auto all = gather_to_root(mine.dump(), comm);
  if (all.empty()) return nullptr;
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t rank = 0; rank < all.size(); ++rank) {
    const nlohmann::json readings = nlohmann::json::parse(all[rank]);
    for (const auto& [name, reading] : readings.items()) {
      auto& entry = out[name];
      if (entry.is_null()) {
        entry = {{"unit", reading["unit"]},
                 {"sum", 0.0},
                 {"min", std::numeric_limits<double>::infinity()},
                 {"max", -std::numeric_limits<double>::infinity()},
                 {"per_rank", nlohmann::json(std::vector<std::nullptr_t>(all.size(), nullptr))}};
      }
      const double value = reading["value"];
      entry["per_rank"][rank] = value;
      entry["sum"] = entry["sum"].get<double>() + value;
      entry["min"] = std::min(entry["min"].get<double>(), value);
      entry["max"] = std::max(entry["max"].get<double>(), value);
    }
  }
  return out;
}

nlohmann::json network_metrics(const nlohmann::json& counters, const Traffic& traffic) {
  nlohmann::json out = nlohmann::json::object();
  if (!counters.is_object() || !counters.contains("net.total_tx_bytes") || traffic.operations <= 0) return out;
  const double bytes = counters["net.total_tx_bytes"]["sum"];
  out["wire_bytes_per_op"] = {{"value", bytes / traffic.operations}, {"unit", "bytes"}};
  if (traffic.seconds > 0) out["wire_bandwidth"] = {{"value", bytes / traffic.seconds / 1e9}, {"unit", "GB/s"}};
  if (traffic.expected_bytes_per_operation && *traffic.expected_bytes_per_operation > 0)
    out["wire_to_expected"] = {{"value", bytes / traffic.operations / *traffic.expected_bytes_per_operation}, {"unit", ""}};
  return out;
}

}  // namespace sciperf
