// options.h's metric check, answered by the host API (metric_catalog.h), one metric at a
// time so that each problem is put at the list entry it is about.
#include "collectors/cupti/cuda/metric_catalog.h"
#include "collectors/cupti/options.h"

#include <fmt/format.h>

#include <algorithm>

namespace sciperf::collectors::cupti {

std::vector<std::string> unknown_metrics(const std::string& chip, const std::vector<std::string>& metrics) {
  const std::vector<std::string> chips = supported_chips();
  if (std::find(chips.begin(), chips.end(), chip) == chips.end())
    throw std::runtime_error(fmt::format("CUPTI does not know the chip '{}' (it knows: {})", chip, fmt::join(chips, ", ")));
  std::vector<std::string> unknown;
  for (const std::string& metric : metrics) {
    const std::vector<std::string> problems = metric_problems(chip, {metric});
    unknown.push_back(problems.empty() ? std::string() : problems.front());
  }
  return unknown;
}

}  // namespace sciperf::collectors::cupti
