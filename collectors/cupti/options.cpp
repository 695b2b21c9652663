#include "collectors/cupti/options.h"

#include <fmt/format.h>

#include <charconv>
#include <exception>

namespace sciperf::collectors::cupti {

namespace {

constexpr std::int64_t kMaxTraceEvents = 100'000'000;

std::string scalar(const nlohmann::json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

}  // namespace

CuptiOptions read_options(const nlohmann::json& options, std::vector<OptionProblem>& problems) {
  CuptiOptions out;
  for (const auto& [key, value] : options.items()) {
    if (key == "trace") {
      const std::string text = scalar(value);
      if (text == "true") out.trace = true;
      else if (text == "false") out.trace = false;
      else problems.push_back({key, fmt::format("expected true or false, got '{}'", text)});
    } else if (key == "trace_events") {
      const std::string text = scalar(value);
      std::int64_t events = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), events);
      if (error != std::errc{} || end != text.data() + text.size() || events < 1 || events > kMaxTraceEvents)
        problems.push_back({key, fmt::format("expected an integer from 1 to {}, got '{}'", kMaxTraceEvents, text)});
      else out.trace_events = events;
    } else if (key == "metrics") {
      if (!value.is_array()) {
        problems.push_back({key, "expected a list of metric names"});
        continue;
      }
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string() || value[i].get<std::string>().empty())
          problems.push_back({fmt::format("metrics[{}]", i), "expected a metric name"});
        else out.metrics.push_back(value[i].get<std::string>());
      }
    } else if (key == "chip") {
      out.chip = scalar(value);
    } else {
      problems.push_back({key, "unknown key (expected mode, trace, trace_events, metrics, chip)"});
    }
  }
  if (out.chip.empty() || out.metrics.empty() || !problems.empty()) return out;
  try {
    const std::vector<std::string> unknown = unknown_metrics(out.chip, out.metrics);
    for (std::size_t i = 0; i < unknown.size(); ++i)
      if (!unknown[i].empty()) problems.push_back({fmt::format("metrics[{}]", i), unknown[i]});
  } catch (const std::exception& error) {
    problems.push_back({"chip", error.what()});
  }
  return out;
}

}  // namespace sciperf::collectors::cupti
