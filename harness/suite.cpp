#include "harness/suite.h"

#include <fmt/format.h>

#include <stdexcept>

namespace sciperf {

std::string_view to_string(Direction direction) {
  return direction == Direction::higher_is_better ? "higher_is_better" : "lower_is_better";
}

void SuiteRegistry::add(std::unique_ptr<Suite> suite) {
  std::string name(suite->name());
  if (!suites_.emplace(name, std::move(suite)).second)
    throw std::logic_error(fmt::format("suite '{}' registered twice", name));
}

const Suite* SuiteRegistry::find(std::string_view name) const {
  auto it = suites_.find(name);
  return it == suites_.end() ? nullptr : it->second.get();
}

std::vector<const Suite*> SuiteRegistry::all() const {
  std::vector<const Suite*> out;
  for (const auto& [name, suite] : suites_) out.push_back(suite.get());
  return out;
}

}  // namespace sciperf
