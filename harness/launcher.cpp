#include "harness/launcher.h"

#include "harness/runner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <regex>

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

std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,+@%") == std::string::npos)
    return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
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

// Copies each source to its destination until all reach end of file, keeping the tail of
// everything that passed.
void pass_through(std::vector<std::pair<int, int>> streams, std::string& tail) {
  std::vector<pollfd> fds;
  for (const auto& [source, destination] : streams) fds.push_back({source, POLLIN, 0});
  std::size_t open_streams = fds.size();
  char buffer[4096];
  while (open_streams > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
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
      tail.append(buffer, static_cast<std::size_t>(n));
      if (tail.size() > 2 * kOutputTail) tail.erase(0, tail.size() - kOutputTail);
    }
  }
}

std::string describe_exit(int code) {
  if (code > 128) return fmt::format("killed by signal {} ({})", code - 128, strsignal(code - 128));
  return fmt::format("exit code {}", code);
}

}  // namespace

LaunchPlan plan_launch(const SystemConfig& system, const std::vector<std::string>& rank_command) {
  LaunchPlan plan;
  const LauncherConfig& launcher = system.launcher;
  if (launcher.type != LauncherType::local) {
    plan.argv.push_back(launcher.command.empty() ? default_command(launcher.type) : launcher.command);
    auto args = launcher_args(system);
    plan.argv.insert(plan.argv.end(), args.begin(), args.end());
  }
  plan.argv.insert(plan.argv.end(), rank_command.begin(), rank_command.end());
  // Threads per rank are explicit so ranks sharing a node do not oversubscribe its cores.
  const std::string threads = std::to_string(system.threads_per_rank);
  plan.env = {{"OMP_NUM_THREADS", threads}, {"OPENBLAS_NUM_THREADS", threads}, {kLaunchedMarker, "1"}};
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

LaunchOutcome execute(const LaunchPlan& plan) {
  LaunchOutcome outcome;
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry; ++entry) {
    std::string text(*entry);
    auto equals = text.find('=');
    if (equals != std::string::npos) merged[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : plan.env) merged[name] = value;
  std::vector<std::string> env_text;
  for (const auto& [name, value] : merged) env_text.push_back(name + "=" + value);
  std::vector<char*> envp, argv;
  for (auto& text : env_text) envp.push_back(text.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = plan.argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // Both streams pass through; hydra prints its "BAD TERMINATION" banner on stdout.
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) {
    outcome.error = fmt::format("cannot create a pipe: {}", std::strerror(errno));
    return outcome;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  for (int fd : {out_pipe[0], err_pipe[0], out_pipe[1], err_pipe[1]}) posix_spawn_file_actions_addclose(&actions, fd);
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (spawn_error != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    outcome.error = fmt::format("cannot start '{}': {}", plan.argv[0], std::strerror(spawn_error));
    outcome.exit_code = 127;
    return outcome;
  }
  pass_through({{out_pipe[0], STDOUT_FILENO}, {err_pipe[0], STDERR_FILENO}}, outcome.output_tail);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return outcome;
}

std::string interrupted_case(const std::filesystem::path& output_dir, int ranks) {
  for (int rank = 0; rank < ranks; ++rank)
    if (auto state = read_rank_state(output_dir, rank); state && state->value("phase", "") == "running")
      return state->value("case", "");
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
  static const std::regex hydra_pid(R"(PID (\d+) RUNNING AT (\S+))"), hydra_exit(R"(EXIT STRING: ([^\n]+))"),
      slurm_task(R"(task (\d+): ([^\n]+))");
  if (std::regex_search(outcome.output_tail, match, hydra_pid)) dead_pid = std::stol(match[1]);
  if (std::regex_search(outcome.output_tail, match, hydra_exit)) exit_text = match[1];
  if (std::regex_search(outcome.output_tail, match, slurm_task)) {
    dead_task = std::stoi(match[1]);
    exit_text = match[2];
  }
  for (int rank = 0; rank < ranks; ++rank) {
    auto state = read_rank_state(output_dir, rank);
    if (!state) continue;
    const bool is_dead = (dead_pid && state->value("pid", 0L) == *dead_pid) || (dead_task && *dead_task == rank);
    if (!is_dead) continue;
    const std::string where = state->value("phase", "") == "running" ? fmt::format("during case {}", state->value("case", "?"))
                                                                      : "outside any case";
    return fmt::format("rank {} (pid {} on {}) ended {}: {}", rank, state->value("pid", 0L), state->value("host", "?"), where,
                       exit_text);
  }
  const std::string during = interrupted_case(output_dir, ranks);
  return fmt::format("the launcher ended with {}; the failing rank is not known{}", exit_text,
                     during.empty() ? "" : fmt::format("; ranks were in case {}", during));
}

}  // namespace sciperf
