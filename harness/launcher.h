// Starting the ranks: the command line for each launcher (built as an argument vector,
// never a shell string), running it, and explaining how it ended when a rank died.
#pragma once

#include "harness/config.h"

#include <filesystem>
#include <functional>
#include <optional>
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

// `word` as one shell word: unchanged when it is plain, else in single quotes.
std::string shell_quote(const std::string& word);

// Shell-quoted rendering for humans (dry runs, logs); never executed.
std::string render_command(const LaunchPlan& plan);

struct LaunchOutcome {
  int exit_code = 0;        // the launcher's exit status, or 128 + signal
  std::string error;        // set when the launcher could not be started at all
  std::string output_tail;  // the last part of what the launcher and ranks wrote
  std::string stop_reason;  // set when the stop check ended the job (e.g. a case timed out)
  int signal = 0;           // SIGINT or SIGTERM that this process received and passed on
};

// Polled a few times a second while the job runs; a reason stops the job.
using StopCheck = std::function<std::optional<std::string>()>;

// Runs the plan in a process group of its own, passing its output through while keeping
// the tail for diagnosis. SIGINT/SIGTERM received meanwhile are passed to the whole job.
LaunchOutcome execute(const LaunchPlan& plan, const StopCheck& should_stop = {});

// How a failed launch ended, naming the rank and case where the rank state files and the
// launcher's messages tell ("rank 1 (pid 42 on node7) ended during case X: exit code 9").
std::string explain_failure(const LaunchOutcome& outcome, const std::filesystem::path& output_dir, int ranks);

// The case a failed rank was running, when its state file says so.
std::string interrupted_case(const std::filesystem::path& output_dir, int ranks);

// Removes the rank state files, so a new job's ranks are not confused with an old one's.
void clear_rank_states(const std::filesystem::path& output_dir, int ranks);

// When no rank is in a case (start-up: MPI_Init, the inventory; or the end: the last write,
// MPI_Finalize) and none has reported progress for `limit` seconds since `launched` or its
// last note: what the job was doing.
std::optional<std::string> idle_job(const std::filesystem::path& output_dir, int ranks, double launched, double limit,
                                    double now);

// When a rank has been in its current case longer than that case's timeout (seconds, by
// case name): which case, where each rank is, and which ranks did not arrive.
std::optional<std::string> overdue_case(const std::filesystem::path& output_dir, int ranks,
                                        const std::map<std::string, double>& timeouts, double now);

}  // namespace sciperf
