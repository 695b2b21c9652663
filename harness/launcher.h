// Starting the ranks: the command line for each launcher (built as an argument vector,
// never a shell string), running it, and explaining how it ended when a rank died.
#pragma once

#include "harness/config.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sciperf {

struct LaunchPlan {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;  // added to the inherited environment
};

// `rank_command` is what every rank runs (sciperf's own path and arguments).
LaunchPlan plan_launch(const SystemConfig& system, const std::vector<std::string>& rank_command);

// True when this process is one rank of a job some launcher started (mpiexec, srun, or us).
bool launched_as_rank();

// Shell-quoted rendering for humans (dry runs, logs); never executed.
std::string render_command(const LaunchPlan& plan);

struct LaunchOutcome {
  int exit_code = 0;     // the launcher's exit status, or 128 + signal
  std::string error;     // set when the launcher could not be started at all
  std::string output_tail;  // the last part of what the launcher and ranks wrote
};

// Runs the plan, passing its output through while keeping the tail for diagnosis.
LaunchOutcome execute(const LaunchPlan& plan);

// How a failed launch ended, naming the rank and case where the rank state files and the
// launcher's messages tell ("rank 1 (pid 42 on node7) ended during case X: exit code 9").
std::string explain_failure(const LaunchOutcome& outcome, const std::filesystem::path& output_dir, int ranks);

// The case a failed rank was running, when its state file says so.
std::string interrupted_case(const std::filesystem::path& output_dir, int ranks);

}  // namespace sciperf
