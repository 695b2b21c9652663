#include "suites/inference/loadgen/test_settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace sciperf::loadgen {
namespace {

struct ScenarioName {
  Scenario scenario;
  std::string_view name;
};
constexpr std::array<ScenarioName, 4> kScenarioNames{{{Scenario::single_stream, "single_stream"},
                                                      {Scenario::multi_stream, "multi_stream"},
                                                      {Scenario::server, "server"},
                                                      {Scenario::offline, "offline"}}};

// "SingleStream", "single-stream" and "single_stream" all become "singlestream".
std::string folded(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c != '_' && c != '-') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

[[noreturn]] void reject(std::string_view key, std::string_view expected, std::string_view value) {
  throw std::invalid_argument(fmt::format("loadgen setting {}: {}, got '{}'", key, expected, value));
}

double parse_double(std::string_view key, std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    reject(key, "expected a finite number", text);
  }
  return value;
}

std::uint64_t parse_count(std::string_view key, std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    reject(key, "expected a non-negative integer", text);
  }
  return value;
}

// Every settable field, by name: parsing, validation messages and the list of known keys all
// come from this one table.
using Setter = std::function<void(TestSettings&, std::string_view key, std::string_view text)>;
Setter real(double TestSettings::*field) {
  return [field](TestSettings& s, std::string_view key, std::string_view text) { s.*field = parse_double(key, text); };
}
template <typename Integer>
Setter count(Integer TestSettings::*field) {
  return [field](TestSettings& s, std::string_view key, std::string_view text) {
    s.*field = static_cast<Integer>(parse_count(key, text));
  };
}

const std::vector<std::pair<std::string_view, Setter>>& setters() {
  static const std::vector<std::pair<std::string_view, Setter>> table{
      {"scenario", [](TestSettings& s, std::string_view, std::string_view text) { s.scenario = to_scenario(text); }},
      {"target_qps", real(&TestSettings::target_qps)},
      {"latency_bound", real(&TestSettings::latency_bound)},
      {"samples_per_query", count(&TestSettings::samples_per_query)},
      {"offline_queries", count(&TestSettings::offline_queries)},
      {"min_queries", count(&TestSettings::min_queries)},
      {"min_duration", real(&TestSettings::min_duration)},
      {"max_duration", real(&TestSettings::max_duration)},
      {"percentile", real(&TestSettings::percentile)},
      {"confidence", real(&TestSettings::confidence)},
      {"seed", count(&TestSettings::seed)},
      {"search_budget", real(&TestSettings::search_budget)},
      {"search_min_qps", real(&TestSettings::search_min_qps)},
      {"search_max_qps", real(&TestSettings::search_max_qps)},
      {"search_tolerance", real(&TestSettings::search_tolerance)},
  };
  return table;
}

void require(bool ok, std::string_view key, std::string_view expected, double value) {
  if (!ok) throw std::invalid_argument(fmt::format("loadgen setting {}: {}, got {}", key, expected, value));
}

}  // namespace

std::string_view to_string(Scenario scenario) {
  for (const auto& entry : kScenarioNames) {
    if (entry.scenario == scenario) return entry.name;
  }
  return "unknown";
}

Scenario to_scenario(std::string_view name) {
  for (const auto& entry : kScenarioNames) {
    if (folded(entry.name) == folded(name)) return entry.scenario;
  }
  reject("scenario", "expected single_stream, multi_stream, server or offline", name);
}

void validate(const TestSettings& s) {
  const auto finite = [](double v) { return std::isfinite(v); };
  require(finite(s.target_qps) && s.target_qps > 0, "target_qps", "must be > 0", s.target_qps);
  require(finite(s.latency_bound) && s.latency_bound > 0, "latency_bound", "must be > 0 seconds", s.latency_bound);
  require(s.offline_queries >= 1, "offline_queries", "must be >= 1", static_cast<double>(s.offline_queries));
  require(finite(s.min_duration) && s.min_duration >= 0, "min_duration", "must be >= 0 seconds", s.min_duration);
  require(finite(s.max_duration) && s.max_duration > 0, "max_duration", "must be > 0 seconds", s.max_duration);
  require(s.max_duration >= s.min_duration, "max_duration", fmt::format("must be >= min_duration ({})", s.min_duration),
          s.max_duration);
  require(s.percentile == 0 || (s.percentile > 0 && s.percentile < 1), "percentile", "must be in (0, 1) or 0 (default)",
          s.percentile);
  require(s.confidence > 0 && s.confidence < 1, "confidence", "must be in (0, 1)", s.confidence);
  require(finite(s.search_budget) && s.search_budget > 0, "search_budget", "must be > 0 seconds", s.search_budget);
  require(finite(s.search_min_qps) && s.search_min_qps > 0, "search_min_qps", "must be > 0", s.search_min_qps);
  require(finite(s.search_max_qps) && s.search_max_qps > s.search_min_qps, "search_max_qps",
          fmt::format("must be > search_min_qps ({})", s.search_min_qps), s.search_max_qps);
  require(s.search_tolerance > 0 && s.search_tolerance < 1, "search_tolerance", "must be in (0, 1)", s.search_tolerance);
}

void apply_setting(TestSettings& settings, std::string_view key, std::string_view value) {
  for (const auto& [name, set] : setters()) {
    if (name == key) {
      set(settings, key, value);
      return;
    }
  }
  std::string known;
  for (const auto& [name, set] : setters()) known += (known.empty() ? "" : ", ") + std::string(name);
  throw std::invalid_argument(
      fmt::format("loadgen setting '{}' (value '{}') is unknown; known settings: {}", key, value, known));
}

TestSettings settings_from_strings(const std::map<std::string, std::string>& values) {
  TestSettings settings;
  for (const auto& [key, value] : values) apply_setting(settings, key, value);
  validate(settings);
  return settings;
}

}  // namespace sciperf::loadgen
