// `sciperf run`: validate, expand and select the cases, then either launch the ranks
// through the configured launcher or, inside a launched job, be one of the ranks.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sciperf {

class SuiteRegistry;

// Exit codes of sciperf: the same for every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitCaseFailed = 1;   // the run completed; some case failed validation or set-up
inline constexpr int kExitUsage = 2;        // bad config, filter, output directory or arguments
inline constexpr int kExitRunAborted = 3;   // a rank died or the launcher failed

struct RunOptions {
  std::string config_path;  // empty: configs/local.yaml, or with resume the run's own config
  std::optional<std::string> suite;
  std::string cluster;  // which cluster configuration, when the config sweeps several
  std::string filter;
  std::string output_dir;  // empty: <config output>/<config name>-<UTC time>
  bool resume = false;     // continue the interrupted run in output_dir, skipping recorded cases
  bool dry_run = false;
  std::string progress = "auto";
  std::vector<std::string> benchmark_args;  // --benchmark_* flags, passed on to every rank
};

int run_command(RunOptions options, const SuiteRegistry& registry);

// configs/local.yaml next to an installed or a build-tree sciperf.
std::string default_config_path();

}  // namespace sciperf
