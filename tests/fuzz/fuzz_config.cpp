// libFuzzer target: the config parser and the sweep expansion.
//
// parse_config must turn any text into a Config or throw ConfigError; any other exception,
// a crash, a hang or a sanitizer report is a bug. A config that parses is then used the way
// `sciperf run --dry-run` uses it: its sweeps are expanded (when the case count, computed
// from the model, stays small enough not to exhaust memory), every case's skip reason is
// asked for the configured cluster shape, and what a bundle would record (the resolved
// config, case names and parameters) is serialized.
#include "harness/config.h"
#include "harness/suite.h"
#include "harness/sweep.h"

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

// Expanding more cases than this is left out: a huge sweep is valid, just not worth the memory.
constexpr std::uint64_t kMaxCases = 100'000;
// Skip reasons read /proc/meminfo; a few cases per input show the paths.
constexpr std::size_t kMaxSkipChecks = 64;

const sciperf::SuiteRegistry& registry() {
  static const sciperf::SuiteRegistry instance = [] {
    sciperf::SuiteRegistry r;
    sciperf::register_builtin_suites(r);
    return r;
  }();
  return instance;
}

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_config: %s: %s\n", what, detail.c_str());
  std::abort();
}

std::uint64_t saturating_multiply(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > (kMaxCases + 1) / a) return kMaxCases + 1;
  return std::min(a * b, kMaxCases + 1);
}

// How many cases expand_cases will produce, from the model alone: per sweep the product of
// its dimensions, a zip group counting once (its lists have equal lengths). Saturates just
// above kMaxCases.
std::uint64_t case_count(const sciperf::Config& config) {
  std::uint64_t total = 0;
  for (const sciperf::Sweep& sweep : config.sweeps) {
    std::uint64_t product = 1;
    std::vector<std::size_t> groups_counted;
    for (const sciperf::SweepAxis& axis : sweep.axes) {
      const auto group = std::find_if(sweep.zip.begin(), sweep.zip.end(), [&](const std::vector<std::string>& names) {
        return std::find(names.begin(), names.end(), axis.name) != names.end();
      });
      if (group != sweep.zip.end()) {
        const auto index = static_cast<std::size_t>(group - sweep.zip.begin());
        if (std::find(groups_counted.begin(), groups_counted.end(), index) != groups_counted.end()) continue;
        groups_counted.push_back(index);
      }
      product = saturating_multiply(product, axis.values.size());
    }
    total = std::min(total + product, kMaxCases + 1);
  }
  return total;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sciperf::Config config;
  try {
    config = sciperf::parse_config(text, "fuzz.yaml", registry());
  } catch (const sciperf::ConfigError& error) {
    if (error.problems().empty()) fail("ConfigError without a problem", "");
    return 0;
  }
  // The bundle records the resolved config: it must serialize (nlohmann throws on bad UTF-8).
  (void)config.resolved.dump();

  const std::uint64_t expected = case_count(config);
  if (expected > kMaxCases) return 0;
  std::vector<sciperf::CaseSpec> cases;
  try {
    cases = sciperf::expand_cases(config, registry());
  } catch (const sciperf::ConfigError&) {
    return 0;  // two sweeps produce the same case
  }
  if (cases.size() != expected)
    fail("case count", std::to_string(cases.size()) + " cases expanded, the model says " + std::to_string(expected));

  // As `sciperf run --dry-run` does: skip reasons depend only on parameters and the cluster
  // shape. No GPU here (devices_per_rank 0), so an nccl case never touches CUDA.
  const sciperf::SystemConfig& system = config.system;
  const sciperf::CaseContext context{MPI_COMM_NULL, 0, system.ranks(), system.ranks_per_node, system.threads_per_rank, 0};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const sciperf::CaseSpec& spec = cases[i];
    if (spec.name.empty() || spec.suite == nullptr) fail("case", "a case without a name or suite");
    nlohmann::json record{{"name", spec.name}, {"suite", spec.suite->name()}, {"params", spec.params.to_json()}};
    (void)record.dump();
    if (i < kMaxSkipChecks) (void)spec.suite->skip_reason(spec.params, context);
  }
  return 0;
}
