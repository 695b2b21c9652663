#include "harness/sweep.h"

#include "harness/suite.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>
#include <stdexcept>

namespace sciperf {
namespace {

// A set of parameters that advance together: one parameter alone, or one zip group.
struct Dimension {
  std::vector<const SweepAxis*> axes;
  std::size_t length() const { return axes.front()->values.size(); }
};

std::vector<Dimension> dimensions_of(const Sweep& sweep) {
  std::vector<Dimension> dimensions;
  std::map<std::string, std::size_t> group_of;
  for (const SweepAxis& axis : sweep.axes) {
    auto group = std::find_if(sweep.zip.begin(), sweep.zip.end(), [&](const auto& names) {
      return std::find(names.begin(), names.end(), axis.name) != names.end();
    });
    if (group == sweep.zip.end()) {
      dimensions.push_back({{&axis}});
      continue;
    }
    std::string key = group->front();
    if (auto it = group_of.find(key); it != group_of.end()) {
      dimensions[it->second].axes.push_back(&axis);
    } else {
      group_of[key] = dimensions.size();
      dimensions.push_back({{&axis}});
    }
  }
  return dimensions;
}

// Timing mode is part of a case's identity: the same operation timed back to back and
// barrier-separated are different measurements. Pipelined, the default, stays implicit.
std::string case_name(std::string_view suite, const Params& params, TimingMode mode) {
  std::string name(suite);
  for (const Params::Entry& entry : params.entries())
    name += fmt::format("/{}:{}", entry.name, format_param(entry.kind, entry.value));
  if (mode == TimingMode::isolated) name += "/timing:isolated";
  return name;
}

void append_sweep_cases(const Sweep& sweep, const Suite& suite, std::vector<CaseSpec>& out) {
  const std::vector<Dimension> dimensions = dimensions_of(sweep);
  // An odometer over the dimensions; the last one turns fastest, so sizes (declared last by
  // the suites) come out in ascending runs.
  std::vector<std::size_t> index(dimensions.size(), 0);
  while (true) {
    Params params;
    for (const ParamSpec& spec : suite.params()) params.set(spec.name, spec.kind, spec.default_value);
    for (std::size_t d = 0; d < dimensions.size(); ++d)
      for (const SweepAxis* axis : dimensions[d].axes) params.set(axis->name, axis->kind, axis->values[index[d]]);
    out.push_back({case_name(suite.name(), params, sweep.timing.mode), &suite, std::move(params), sweep.timing});
    std::size_t d = dimensions.size();
    while (d > 0 && ++index[d - 1] == dimensions[d - 1].length()) index[--d] = 0;
    if (d == 0) return;
  }
}

}  // namespace

std::vector<CaseSpec> expand_cases(const Config& config, const SuiteRegistry& registry) {
  std::vector<CaseSpec> cases;
  for (const Sweep& sweep : config.sweeps) append_sweep_cases(sweep, *registry.find(sweep.suite), cases);
  std::map<std::string, std::size_t> seen;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < cases.size(); ++i)
    if (!seen.emplace(cases[i].name, i).second)
      problems.push_back(fmt::format("{}: case '{}' is produced twice; sweeps must not overlap", config.source, cases[i].name));
  if (!problems.empty()) throw ConfigError(problems);
  return cases;
}

std::vector<CaseSpec> select_cases(std::vector<CaseSpec> cases, const std::string& regex,
                                   const std::optional<std::string>& suite) {
  std::regex pattern;
  try {
    pattern = std::regex(regex.empty() ? "." : regex, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    throw std::invalid_argument(fmt::format("--filter '{}' is not a valid regular expression: {}", regex, error.what()));
  }
  std::erase_if(cases, [&](const CaseSpec& c) {
    return (suite && c.suite->name() != *suite) || !std::regex_search(c.name, pattern);
  });
  return cases;
}

}  // namespace sciperf
