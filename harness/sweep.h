// Expands a config's sweeps into the concrete cases to run: zipped parameters advance
// together, everything else is a cartesian product, unset parameters take the suite default.
#pragma once

#include "harness/config.h"
#include "harness/params.h"

#include <optional>
#include <string>
#include <vector>

namespace sciperf {

class Suite;
class SuiteRegistry;

struct CaseSpec {
  std::string name;  // "suite/param:value/...": stable, unique, what --filter matches
  const Suite* suite;
  Params params;
  TimingConfig timing;
};

// Throws ConfigError when two sweeps produce the same case.
std::vector<CaseSpec> expand_cases(const Config& config, const SuiteRegistry& registry);

// Keeps the cases whose name matches `regex` (ECMAScript, searched anywhere in the name) and
// whose suite is `suite` when given. Throws std::invalid_argument on a malformed regex.
std::vector<CaseSpec> select_cases(std::vector<CaseSpec> cases, const std::string& regex,
                                   const std::optional<std::string>& suite);

}  // namespace sciperf
