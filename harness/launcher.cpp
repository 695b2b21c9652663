#include "harness/launcher.h"

#include "harness/runner.h"
#include "harness/units.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <regex>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace sciperf {
namespace {

constexpr std::size_t kOutputTail = 64 * 1024;
constexpr const char* kLaunchedMarker = "SCIPERF_LAUNCHED";

std::string default_command(LauncherType type) {
  if (type == LauncherType::srun) return "srun";
#ifdef SCIPERF_DEFAULT_MPIEXEC
  if (std::string(SCIPERF_DEFAULT_MPIEXEC).size()) return SCIPERF_DEFAULT_MPIEXEC;
#endif
  return "mpiexec";
}

std::string join_hosts(const std::vector<std::string>& hosts) { return fmt::format("{}", fmt::join(hosts, ",")); }

std::vector<std::string> launcher_args(const SystemConfig& system) {
  const LauncherConfig& launcher = system.launcher;
  const std::string ranks = std::to_string(system.ranks());
  std::vector<std::string> args;
  if (launcher.type == LauncherType::srun) {
    args = {fmt::format("--nodes={}", system.nodes), fmt::format("--ntasks={}", ranks),
            fmt::format("--ntasks-per-node={}", system.ranks_per_node),
            fmt::format("--cpus-per-task={}", system.threads_per_rank)};
    if (system.devices_per_rank > 0) args.push_back(fmt::format("--gpus-per-task={}", system.devices_per_rank));
    if (!launcher.hosts.empty()) args.push_back(fmt::format("--nodelist={}", join_hosts(launcher.hosts)));
  } else {
    args = {"-n", ranks};
    if (system.nodes > 1) args.insert(args.end(), {"-ppn", std::to_string(system.ranks_per_node)});
    if (!launcher.hosts.empty()) args.insert(args.end(), {"-hosts", join_hosts(launcher.hosts)});
    if (!launcher.hostfile.empty()) args.insert(args.end(), {"-f", launcher.hostfile});
  }
  args.insert(args.end(), launcher.args.begin(), launcher.args.end());
  return args;
}


std::optional<nlohmann::json> read_rank_state(const std::filesystem::path& output_dir, int rank) {
  std::ifstream in(rank_state_file(output_dir, rank));
  if (!in) return std::nullopt;
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

bool in_case(const nlohmann::json& state) {
  return state.value("phase", "") != kPhaseFinished && !state.value("case", "").empty();
}

// Where a phase lies in a case; -1 for anything else.
std::ptrdiff_t phase_order(const std::string& phase) {
  static const std::vector<std::string> kPhases{kPhaseSetUp, kPhaseSetUpDone, kPhaseValidation, kPhaseTiming,
                                                kPhaseValidationAfter};
  const auto it = std::find(kPhases.begin(), kPhases.end(), phase);
  return it == kPhases.end() ? -1 : it - kPhases.begin();
}

// The lowest rank in `reported`'s case but in an earlier phase of it, if any.
std::optional<int> rank_behind(const std::vector<std::optional<nlohmann::json>>& states, const nlohmann::json& reported) {
  if (!in_case(reported)) return std::nullopt;
  for (std::size_t rank = 0; rank < states.size(); ++rank) {
    const auto& state = states[rank];
    if (state && in_case(*state) && state->value("case", "") == reported.value("case", "") &&
        phase_order(state->value("phase", "")) < phase_order(reported.value("phase", "")))
      return static_cast<int>(rank);
  }
  return std::nullopt;
}

std::string describe_exit(int code) {
  if (code > 128 && code < 128 + 32) return fmt::format("killed by signal {} ({})", code - 128, strsignal(code - 128));
  return fmt::format("exit code {}", code);
}

}  // namespace

std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,+@%") == std::string::npos)
    return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

LaunchPlan plan_launch(const SystemConfig& system, const std::vector<std::string>& rank_command) {
  LaunchPlan plan;
  const LauncherConfig& launcher = system.launcher;
  if (launcher.type == LauncherType::command_template) {
    for (std::string word : launcher.command_template) {
      for (const auto& [name, value] : template_values(system))
        for (std::size_t at; (at = word.find("{" + name + "}")) != std::string::npos;)
          word.replace(at, name.size() + 2, std::to_string(value));
      plan.argv.push_back(std::move(word));
    }
    plan.argv.insert(plan.argv.end(), launcher.args.begin(), launcher.args.end());
  } else if (launcher.type != LauncherType::local) {
    plan.argv.push_back(launcher.command.empty() ? default_command(launcher.type) : launcher.command);
    auto args = launcher_args(system);
    plan.argv.insert(plan.argv.end(), args.begin(), args.end());
  }
  plan.argv.insert(plan.argv.end(), rank_command.begin(), rank_command.end());
  // Threads per rank are explicit so ranks sharing a node do not oversubscribe its cores.
  const std::string threads = std::to_string(system.threads_per_rank);
  plan.env = {{"OMP_NUM_THREADS", threads}, {"OPENBLAS_NUM_THREADS", threads}, {"MKL_NUM_THREADS", threads}, {kLaunchedMarker, "1"}};
  for (const auto& [name, value] : launcher.env) plan.env[name] = value;
  return plan;
}

bool launched_as_rank() {
  for (const char* name : {kLaunchedMarker, "PMI_RANK", "PMIX_RANK", "OMPI_COMM_WORLD_RANK", "MPI_LOCALRANKID"})
    if (std::getenv(name)) return true;
  return std::getenv("SLURM_PROCID") && std::getenv("SLURM_STEP_ID");
}

std::string render_command(const LaunchPlan& plan) {
  std::string out;
  for (const auto& [name, value] : plan.env)
    if (name != kLaunchedMarker) out += fmt::format("{}={} ", name, shell_quote(value));
  for (const std::string& word : plan.argv) out += shell_quote(word) + " ";
  if (!out.empty()) out.pop_back();
  return out;
}

namespace {

volatile std::sig_atomic_t g_pending_signal = 0;
extern "C" void remember_signal(int signal) { g_pending_signal = signal; }

// SIGINT and SIGTERM are noted while a job runs, so they can be handed to the whole job
// instead of killing the launcher and orphaning its ranks.
class SignalCapture {
 public:
  SignalCapture() {
    g_pending_signal = 0;
    struct sigaction action {};
    action.sa_handler = remember_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &old_int_);
    ::sigaction(SIGTERM, &action, &old_term_);
  }
  ~SignalCapture() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  SignalCapture(const SignalCapture&) = delete;
  SignalCapture& operator=(const SignalCapture&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

std::vector<std::string> environment_with(const std::map<std::string, std::string>& additions) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry; ++entry) {
    std::string text(*entry);
    auto equals = text.find('=');
    if (equals != std::string::npos) merged[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : additions) merged[name] = value;
  std::vector<std::string> out;
  for (const auto& [name, value] : merged) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers_to(std::vector<std::string>& words) {
  std::vector<char*> out;
  for (auto& word : words) out.push_back(word.data());
  out.push_back(nullptr);
  return out;
}

// Watches a running job: copies its output through (keeping the tail), and stops the whole
// process group when a signal arrives or `should_stop` says so: SIGTERM first, SIGKILL
// when it has not ended within the grace period.
class JobSupervisor {
 public:
  JobSupervisor(pid_t group, const StopCheck& should_stop, LaunchOutcome& outcome)
      : group_(group), should_stop_(should_stop), outcome_(outcome) {}

  void run(std::vector<std::pair<int, int>> streams) {
    std::vector<pollfd> fds;
    for (const auto& [source, destination] : streams) fds.push_back({source, POLLIN, 0});
    std::size_t open_streams = fds.size();
    char buffer[4096];
    while (open_streams > 0) {
      const int ready = ::poll(fds.data(), fds.size(), kPollMilliseconds);
      if (ready < 0 && errno != EINTR) break;
      for (std::size_t i = 0; ready > 0 && i < fds.size(); ++i) {
        if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          ::close(fds[i].fd);
          fds[i].fd = -1;
          --open_streams;
          continue;
        }
        (void)!::write(streams[i].second, buffer, static_cast<std::size_t>(n));
        keep_tail(buffer, static_cast<std::size_t>(n));
      }
      supervise();
    }
    // Its output is closed, but a member the job was told to stop may still run: it must
    // not overlap the next set of ranks.
    if (deadline_ && !killed_) ::kill(-group_, SIGKILL);
  }

 private:
  static constexpr int kPollMilliseconds = 250;
  static constexpr auto kGrace = std::chrono::seconds(5);

  void keep_tail(const char* data, std::size_t size) {
    outcome_.output_tail.append(data, size);
    if (outcome_.output_tail.size() > 2 * kOutputTail) outcome_.output_tail.erase(0, outcome_.output_tail.size() - kOutputTail);
  }

  void supervise() {
    const auto now = std::chrono::steady_clock::now();
    if (deadline_) {
      if (now > *deadline_ && !killed_) {
        ::kill(-group_, SIGKILL);
        killed_ = true;
      }
      return;
    }
    if (g_pending_signal) {
      outcome_.signal = g_pending_signal;
      stop(g_pending_signal, now);
    } else if (should_stop_) {
      if (auto reason = should_stop_()) {
        outcome_.stop_reason = *reason;
        stop(SIGTERM, now);
      }
    }
  }

  void stop(int signal, std::chrono::steady_clock::time_point now) {
    ::kill(-group_, signal);
    deadline_ = now + kGrace;
  }

  pid_t group_;
  const StopCheck& should_stop_;
  LaunchOutcome& outcome_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  bool killed_ = false;
};

}  // namespace

LaunchOutcome execute(const LaunchPlan& plan, const StopCheck& should_stop) {
  LaunchOutcome outcome;
  std::vector<std::string> env_text = environment_with(plan.env);
  std::vector<std::string> args = plan.argv;
  std::vector<char*> envp = pointers_to(env_text), argv = pointers_to(args);

  // Both streams pass through; hydra prints its "BAD TERMINATION" banner on stdout.
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0) {
    outcome.error = fmt::format("cannot create a pipe: {}", std::strerror(errno));
    return outcome;
  }
  if (::pipe(err_pipe) != 0) {
    outcome.error = fmt::format("cannot create a pipe: {}", std::strerror(errno));
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return outcome;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // A job in its own process group must not read the terminal (SIGTTIN would stop it):
  // mpiexec and srun forward stdin to rank 0, and nothing here needs input.
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  for (int fd : {out_pipe[0], err_pipe[0], out_pipe[1], err_pipe[1]}) posix_spawn_file_actions_addclose(&actions, fd);
  // The job gets a process group of its own, so it can be stopped as a whole.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  SignalCapture signals;
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (spawn_error != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    outcome.error = fmt::format("cannot start '{}': {}", plan.argv[0], std::strerror(spawn_error));
    outcome.exit_code = 127;
    return outcome;
  }
  JobSupervisor(pid, should_stop, outcome).run({{out_pipe[0], STDOUT_FILENO}, {err_pipe[0], STDERR_FILENO}});
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  // A Ctrl-C that came while the job was ending still stops the run.
  if (g_pending_signal && !outcome.signal) outcome.signal = g_pending_signal;
  return outcome;
}

std::string interrupted_case(const std::filesystem::path& output_dir, int ranks) {
  for (int rank = 0; rank < ranks; ++rank)
    if (auto state = read_rank_state(output_dir, rank); state && in_case(*state)) return state->value("case", "");
  return "";
}

std::string explain_failure(const LaunchOutcome& outcome, const std::filesystem::path& output_dir, int ranks) {
  if (!outcome.error.empty()) return outcome.error;
  // MPICH hydra: "PID 4242 RUNNING AT node7" / "EXIT STRING: Killed (signal 9)"; Slurm:
  // "task 1: Killed".
  std::smatch match;
  std::optional<long> dead_pid;
  std::optional<int> dead_task;
  std::string exit_text = describe_exit(outcome.exit_code);
  static const std::regex hydra_pid(R"(PID (\d{1,10}) RUNNING AT (\S+))"), hydra_exit(R"(EXIT STRING: ([^\n]+))"),
      slurm_task(R"(srun: error: \S+: task (\d{1,9}): ([^\n]+))");
  std::string dead_host;
  if (std::regex_search(outcome.output_tail, match, hydra_pid)) {
    dead_pid = std::stol(match[1]);
    dead_host = match[2];
  }
  if (std::regex_search(outcome.output_tail, match, hydra_exit)) exit_text = match[1];
  if (std::regex_search(outcome.output_tail, match, slurm_task)) {
    dead_task = std::stoi(match[1]);
    exit_text = match[2];
  }
  std::vector<std::optional<nlohmann::json>> states;
  for (int rank = 0; rank < ranks; ++rank) states.push_back(read_rank_state(output_dir, rank));
  for (int rank = 0; rank < ranks; ++rank) {
    const auto& state = states[static_cast<std::size_t>(rank)];
    if (!state) continue;
    // PIDs repeat across nodes: hydra's host name must match too.
    const bool is_dead = (dead_pid && state->value("pid", 0L) == *dead_pid && state->value("host", "") == dead_host) ||
                         (dead_task && *dead_task == rank);
    if (!is_dead) continue;
    // The launcher names the first process it saw end, which may be one it killed itself
    // after the real failure; a rank further behind in the same case is the better suspect.
    if (auto behind = rank_behind(states, *state)) {
      const auto& suspect = *states[static_cast<std::size_t>(*behind)];
      return fmt::format("rank {} (pid {} on {}) ended during case {} ({}); the launcher then stopped the others "
                         "(it reported rank {}: {})",
                         *behind, suspect.value("pid", 0L), suspect.value("host", "?"), suspect.value("case", "?"),
                         suspect.value("phase", "?"), rank, exit_text);
    }
    const std::string where = in_case(*state) ? fmt::format("during case {} ({})", state->value("case", "?"),
                                                            state->value("phase", "?"))
                                              : "outside any case";
    return fmt::format("rank {} (pid {} on {}) ended {}: {}", rank, state->value("pid", 0L), state->value("host", "?"), where,
                       exit_text);
  }
  const std::string during = interrupted_case(output_dir, ranks);
  return fmt::format("the launcher ended with {}; the failing rank is not known{}", exit_text,
                     during.empty() ? "" : fmt::format("; ranks were in case {}", during));
}

void clear_rank_states(const std::filesystem::path& output_dir, int ranks) {
  std::error_code ignored;
  for (int rank = 0; rank < ranks; ++rank) std::filesystem::remove(rank_state_file(output_dir, rank), ignored);
}

std::optional<std::string> overdue_case(const std::filesystem::path& output_dir, int ranks,
                                        const std::map<std::string, double>& timeouts, double now) {
  std::vector<std::pair<int, nlohmann::json>> in_progress;
  std::string overdue;
  double limit = 0;
  for (int rank = 0; rank < ranks; ++rank) {
    auto state = read_rank_state(output_dir, rank);
    if (!state || !in_case(*state)) continue;
    const std::string name = state->value("case", "");
    auto timeout = timeouts.find(name);
    if (timeout != timeouts.end() && now - state->value("case_started", now) > timeout->second) {
      overdue = name;
      limit = timeout->second;
    }
    in_progress.emplace_back(rank, *state);
  }
  if (overdue.empty()) return std::nullopt;
  // The ranks furthest behind (an earlier case or phase) are the ones the others wait for.
  std::vector<std::string> behind, places;
  std::ptrdiff_t furthest = -1;
  for (const auto& [rank, state] : in_progress)
    if (state.value("case", "") == overdue) furthest = std::max(furthest, phase_order(state.value("phase", "")));
  for (int rank = 0; rank < ranks; ++rank) {
    auto it = std::find_if(in_progress.begin(), in_progress.end(), [&](const auto& entry) { return entry.first == rank; });
    if (it == in_progress.end() || it->second.value("case", "") != overdue) {
      behind.push_back(std::to_string(rank));
      places.push_back(fmt::format("rank {} not in it", rank));
      continue;
    }
    const std::string phase = it->second.value("phase", "?");
    if (phase_order(phase) < furthest) behind.push_back(std::to_string(rank));
    places.push_back(fmt::format("rank {} in {}", rank, phase));
  }
  std::string lagging = behind.empty() ? "" : fmt::format("; rank{} {} did not arrive", behind.size() == 1 ? "" : "s",
                                                          fmt::join(behind, ", "));
  return fmt::format("case {} exceeded its timeout of {} ({}){}", overdue, format_duration(limit), fmt::join(places, ", "),
                     lagging);
}

std::optional<std::string> idle_job(const std::filesystem::path& output_dir, int ranks, double launched, double limit,
                                    double now) {
  double latest = launched;
  int finished = 0;
  for (int rank = 0; rank < ranks; ++rank) {
    auto state = read_rank_state(output_dir, rank);
    if (!state) continue;
    if (in_case(*state)) return std::nullopt;  // a case's own timeout watches it
    latest = std::max(latest, state->value("case_started", launched));
    finished += state->value("phase", "") == kPhaseFinished;
  }
  if (now - latest <= limit) return std::nullopt;
  const std::string where = finished == ranks ? "after every rank finished (in the final write or MPI_Finalize)"
                                              : fmt::format("outside any case ({} of {} ranks had started)", finished, ranks);
  return fmt::format("the job made no progress for {} {}", format_duration(limit), where);
}

}  // namespace sciperf
