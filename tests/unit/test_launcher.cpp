#include "tests/unit/test_support.h"
#include "harness/launcher.h"
#include "harness/runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <stdlib.h>

namespace sciperf {
namespace {

using Argv = std::vector<std::string>;

const Argv kRankCommand{"/opt/sciperf/bin/sciperf", "run", "--rank-mode", "cfg.yaml"};

SystemConfig system_with(LauncherType type, int nodes, int ranks_per_node, const std::string& command = "") {
  SystemConfig system;
  system.nodes = nodes;
  system.ranks_per_node = ranks_per_node;
  system.launcher.type = type;
  system.launcher.command = command;
  return system;
}

// argv without its first element (the launcher program).
Argv args_of(const LaunchPlan& plan) { return Argv(plan.argv.begin() + 1, plan.argv.end()); }

Argv with_rank_command(Argv args) {
  args.insert(args.end(), kRankCommand.begin(), kRankCommand.end());
  return args;
}

bool has_sequence(const Argv& argv, const Argv& sequence) {
  return std::search(argv.begin(), argv.end(), sequence.begin(), sequence.end()) != argv.end();
}

using testing::TempDir;

// --- plan_launch --------------------------------------------------------------------------------

TEST(PlanLaunch, MpiexecOnOneNode) {
  const LaunchPlan plan = plan_launch(system_with(LauncherType::mpiexec, 1, 2, "mpiexec.hydra"), kRankCommand);
  EXPECT_EQ(plan.argv, with_rank_command({"mpiexec.hydra", "-n", "2"}));
}

TEST(PlanLaunch, MpiexecDefaultsToSomeMpiexecProgram) {
  const LaunchPlan plan = plan_launch(system_with(LauncherType::mpiexec, 1, 4), kRankCommand);
  ASSERT_FALSE(plan.argv.empty());
  EXPECT_NE(plan.argv[0].find("mpiexec"), std::string::npos) << plan.argv[0];
  EXPECT_EQ(args_of(plan), with_rank_command({"-n", "4"}));
}

TEST(PlanLaunch, MpiexecOnTwoNodesWithHosts) {
  SystemConfig system = system_with(LauncherType::mpiexec, 2, 4, "mpiexec");
  system.launcher.hosts = {"a", "b"};
  const LaunchPlan plan = plan_launch(system, kRankCommand);
  EXPECT_EQ(plan.argv, with_rank_command({"mpiexec", "-n", "8", "-ppn", "4", "-hosts", "a,b"}));
}

TEST(PlanLaunch, MpiexecWithHostfileAndExtraArgs) {
  SystemConfig system = system_with(LauncherType::mpiexec, 2, 1, "mpiexec");
  system.launcher.hostfile = "/etc/hosts.txt";
  system.launcher.args = {"-bind-to", "core"};
  const LaunchPlan plan = plan_launch(system, kRankCommand);
  EXPECT_EQ(plan.argv,
            with_rank_command({"mpiexec", "-n", "2", "-ppn", "1", "-f", "/etc/hosts.txt", "-bind-to", "core"}));
}

TEST(PlanLaunch, SrunStatesTheWholeGeometry) {
  SystemConfig system = system_with(LauncherType::srun, 2, 4);
  system.threads_per_rank = 8;
  system.devices_per_rank = 1;
  system.launcher.args = {"--mpi=pmix", "--exclusive"};
  const LaunchPlan plan = plan_launch(system, kRankCommand);
  EXPECT_EQ(plan.argv, with_rank_command({"srun", "--nodes=2", "--ntasks=8", "--ntasks-per-node=4", "--cpus-per-task=8",
                                          "--gpus-per-task=1", "--mpi=pmix", "--exclusive"}));
}

TEST(PlanLaunch, SrunWithoutDevicesAsksForNoGpus) {
  SystemConfig system = system_with(LauncherType::srun, 1, 2, "/usr/bin/srun");
  const LaunchPlan plan = plan_launch(system, kRankCommand);
  EXPECT_EQ(plan.argv, with_rank_command({"/usr/bin/srun", "--nodes=1", "--ntasks=2", "--ntasks-per-node=2",
                                          "--cpus-per-task=1"}));
  for (const std::string& arg : plan.argv) EXPECT_EQ(arg.find("--gpus"), std::string::npos) << arg;
}

TEST(PlanLaunch, SrunWithHostsUsesNodelist) {
  SystemConfig system = system_with(LauncherType::srun, 2, 1);
  system.launcher.hosts = {"nid001", "nid002"};
  const LaunchPlan plan = plan_launch(system, kRankCommand);
  EXPECT_TRUE(has_sequence(plan.argv, {"--nodelist=nid001,nid002"}));
  // Launcher options come before the rank command.
  EXPECT_TRUE(has_sequence(plan.argv, with_rank_command({"--nodelist=nid001,nid002"})));
}

TEST(PlanLaunch, LocalRunsTheRankCommandItself) {
  SystemConfig system = system_with(LauncherType::local, 1, 1, "ignored-for-local");
  system.launcher.args = {"--ignored"};
  const LaunchPlan plan = plan_launch(system, kRankCommand);
  EXPECT_EQ(plan.argv, kRankCommand);
}

TEST(PlanLaunch, EnvironmentSetsThreadsPerRank) {
  SystemConfig system = system_with(LauncherType::mpiexec, 1, 2);
  system.threads_per_rank = 6;
  const LaunchPlan plan = plan_launch(system, kRankCommand);
  EXPECT_EQ(plan.env.at("OMP_NUM_THREADS"), "6");
  EXPECT_EQ(plan.env.at("OPENBLAS_NUM_THREADS"), "6");
}

TEST(PlanLaunch, LauncherEnvironmentOverridesAndAdds) {
  SystemConfig system = system_with(LauncherType::srun, 1, 1);
  system.threads_per_rank = 6;
  system.launcher.env = {{"OMP_NUM_THREADS", "3"}, {"UCX_TLS", "rc,sm"}};
  const LaunchPlan plan = plan_launch(system, kRankCommand);
  EXPECT_EQ(plan.env.at("OMP_NUM_THREADS"), "3");
  EXPECT_EQ(plan.env.at("OPENBLAS_NUM_THREADS"), "6");
  EXPECT_EQ(plan.env.at("UCX_TLS"), "rc,sm");
}

TEST(PlanLaunch, HostileStringsStaySingleArguments) {
  const Argv hostile{"has space", "it's \"quoted\"", ";rm -rf /", "$(whoami)", "`id`", "a\nb", ""};
  SystemConfig system = system_with(LauncherType::mpiexec, 1, 1, "mpiexec");
  system.launcher.args = hostile;
  Argv rank_command{"sciperf", "--filter", "a b|c;d"};
  const LaunchPlan plan = plan_launch(system, rank_command);
  Argv expected{"mpiexec", "-n", "1"};
  expected.insert(expected.end(), hostile.begin(), hostile.end());
  expected.insert(expected.end(), rank_command.begin(), rank_command.end());
  EXPECT_EQ(plan.argv, expected);
}

// --- render_command -----------------------------------------------------------------------------

TEST(RenderCommand, PlainWordsAreNotQuoted) {
  LaunchPlan plan{{"mpiexec", "-n", "2", "/opt/bin/sciperf", "--out=/tmp/x,y"}, {{"OMP_NUM_THREADS", "4"}}};
  EXPECT_EQ(render_command(plan), "OMP_NUM_THREADS=4 mpiexec -n 2 /opt/bin/sciperf --out=/tmp/x,y");
}

TEST(RenderCommand, QuotesHostileWords) {
  LaunchPlan plan{{"mpiexec", "has space", "it's", ";rm -rf /", ""}, {{"X", "a b;c"}}};
  EXPECT_EQ(render_command(plan), "X='a b;c' mpiexec 'has space' 'it'\\''s' ';rm -rf /' ''");
}

TEST(RenderCommand, LeavesOutTheInternalLaunchMarker) {
  const LaunchPlan plan = plan_launch(system_with(LauncherType::local, 1, 1), {"sciperf"});
  const std::string rendered = render_command(plan);
  EXPECT_EQ(rendered.find("SCIPERF_LAUNCHED"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("OMP_NUM_THREADS=1"), std::string::npos) << rendered;
}

// The rendered command, run by a real shell, passes every argument through unchanged.
TEST(RenderCommand, ShellReadsBackTheSameArguments) {
  const Argv words{"has space", "it's \"quoted\"", ";rm -rf /", "$(echo pwned)", "`echo pwned`", "a\\b", "*", "",
                   "tab\there", "~", "!x", "a\nb"};
  LaunchPlan plan;
  plan.argv = {"printf", "[%s]"};
  plan.argv.insert(plan.argv.end(), words.begin(), words.end());
  plan.env = {{"SCIPERF_TEST_VALUE", "x y;z"}};
  const std::string command = render_command(plan);
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 256> buffer{};
  for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) output.append(buffer.data(), n);
  EXPECT_EQ(::pclose(pipe), 0) << command;
  std::string expected;
  for (const std::string& word : words) expected += "[" + word + "]";
  EXPECT_EQ(output, expected) << command;
}

// --- explain_failure ----------------------------------------------------------------------------

void write_rank_state(const std::filesystem::path& dir, int rank, long pid, const std::string& host,
                      const std::string& phase, const std::string& case_name, double case_started = 0) {
  const auto path = rank_state_file(dir, rank);
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << nlohmann::json{{"rank", rank},   {"pid", pid},       {"host", host},
                                        {"phase", phase}, {"case", case_name}, {"case_started", case_started}}
                             .dump();
}

const char* kHydraBanner = R"(some rank output
===================================================================================
=   BAD TERMINATION OF ONE OF YOUR APPLICATION PROCESSES
=   PID 4242 RUNNING AT node7
=   EXIT CODE: 9
=   CLEANING UP REMAINING PROCESSES
=   YOU CAN IGNORE THE BELOW CLEANUP MESSAGES
===================================================================================
YOUR APPLICATION TERMINATED WITH THE EXIT STRING: Killed (signal 9)
This typically refers to a problem with your application.
)";

TEST(ExplainFailure, HydraBannerNamesRankAndCase) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 4241, "node6", "timing", "collectives/collective:allreduce/bytes:64MiB");
  write_rank_state(dir.path(), 1, 4242, "node7", "timing", "collectives/collective:allreduce/bytes:64MiB");
  write_rank_state(dir.path(), 2, 4243, "node8", "timing", "collectives/collective:allreduce/bytes:64MiB");
  LaunchOutcome outcome;
  outcome.exit_code = 137;
  outcome.output_tail = kHydraBanner;
  EXPECT_EQ(explain_failure(outcome, dir.path(), 3),
            "rank 1 (pid 4242 on node7) ended during case collectives/collective:allreduce/bytes:64MiB (timing): "
            "Killed (signal 9)");
}

TEST(ExplainFailure, ARankBehindInTheSameCaseIsTheSuspectNotTheOneTheLauncherKilled) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 4241, "node6", kPhaseSetUpDone, "selftest/action:kill/rank:1");
  write_rank_state(dir.path(), 1, 4242, "node7", kPhaseSetUp, "selftest/action:kill/rank:1");
  LaunchOutcome outcome;
  outcome.exit_code = 137;
  outcome.output_tail = "=   PID 4241 RUNNING AT node6\nYOUR APPLICATION TERMINATED WITH THE EXIT STRING: Killed (signal 9)\n";
  EXPECT_EQ(explain_failure(outcome, dir.path(), 2),
            "rank 1 (pid 4242 on node7) ended during case selftest/action:kill/rank:1 (set-up); the launcher then "
            "stopped the others (it reported rank 0: Killed (signal 9))");
}

TEST(ExplainFailure, RankThatDiedOutsideACase) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 100, "node6", "finished", "");
  write_rank_state(dir.path(), 1, 4242, "node7", "finished", "");
  LaunchOutcome outcome;
  outcome.exit_code = 137;
  outcome.output_tail = kHydraBanner;
  const std::string text = explain_failure(outcome, dir.path(), 2);
  EXPECT_EQ(text, "rank 1 (pid 4242 on node7) ended outside any case: Killed (signal 9)");
}

TEST(ExplainFailure, SlurmTaskLineNamesRankAndCase) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 11, "node2", "timing", "selftest/action:kill/rank:1");
  write_rank_state(dir.path(), 1, 12, "node3", "timing", "selftest/action:kill/rank:1");
  LaunchOutcome outcome;
  outcome.exit_code = 137;
  outcome.output_tail =
      "srun: error: node3: task 1: Killed\n"
      "srun: launch/slurm: _step_signal: Terminating StepId=1234.0\n";
  EXPECT_EQ(explain_failure(outcome, dir.path(), 2),
            "rank 1 (pid 12 on node3) ended during case selftest/action:kill/rank:1 (timing): Killed");
}

TEST(ExplainFailure, UnknownRankFallsBackToTheExitStatusAndCase) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 11, "node2", "timing", "selftest/action:exit/rank:1");
  write_rank_state(dir.path(), 1, 12, "node2", "timing", "selftest/action:exit/rank:1");
  LaunchOutcome outcome;
  outcome.exit_code = 3;
  outcome.output_tail = "nothing recognisable here\n";
  EXPECT_EQ(explain_failure(outcome, dir.path(), 2),
            "the launcher ended with exit code 3; the failing rank is not known; ranks were in case "
            "selftest/action:exit/rank:1");
}

TEST(ExplainFailure, UnknownRankWithoutStateFiles) {
  TempDir dir;
  LaunchOutcome outcome;
  outcome.exit_code = 128 + 9;
  outcome.output_tail = kHydraBanner;  // names a pid no state file has
  const std::string text = explain_failure(outcome, dir.path(), 4);
  EXPECT_EQ(text, "the launcher ended with Killed (signal 9); the failing rank is not known");
}

TEST(ExplainFailure, SignalExitCodeIsDescribed) {
  TempDir dir;
  LaunchOutcome outcome;
  outcome.exit_code = 128 + 9;
  const std::string text = explain_failure(outcome, dir.path(), 2);
  EXPECT_NE(text.find("killed by signal 9"), std::string::npos) << text;
  EXPECT_NE(text.find("not known"), std::string::npos) << text;
}

TEST(ExplainFailure, CorruptStateFileIsIgnored) {
  TempDir dir;
  const auto path = rank_state_file(dir.path(), 0);
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << "{\"rank\": 0, \"pid\": 42";  // cut off mid-write
  LaunchOutcome outcome;
  outcome.exit_code = 1;
  EXPECT_EQ(explain_failure(outcome, dir.path(), 1), "the launcher ended with exit code 1; the failing rank is not known");
}

TEST(ExplainFailure, StartErrorIsReportedAsIs) {
  TempDir dir;
  LaunchOutcome outcome;
  outcome.exit_code = 127;
  outcome.error = "cannot start 'mpiexec': No such file or directory";
  EXPECT_EQ(explain_failure(outcome, dir.path(), 2), outcome.error);
}

TEST(InterruptedCase, NamesTheCaseARankWasRunning) {
  TempDir dir;
  EXPECT_EQ(interrupted_case(dir.path(), 2), "");
  write_rank_state(dir.path(), 0, 1, "h", "finished", "");
  write_rank_state(dir.path(), 1, 2, "h", "timing", "selftest/action:empty/rank:1");
  EXPECT_EQ(interrupted_case(dir.path(), 2), "selftest/action:empty/rank:1");
  EXPECT_EQ(interrupted_case(dir.path(), 1), "");  // only ranks below `ranks` are read
}

TEST(RankStateFile, OnePerRankUnderTheOutputDirectory) {
  EXPECT_NE(rank_state_file("/out", 0), rank_state_file("/out", 1));
  const auto path = rank_state_file("/out", 3);
  EXPECT_EQ(path.string().rfind("/out/", 0), 0u) << path;
}

}  // namespace
// --- overdue_case ------------------------------------------------------------------------------

TEST(OverdueCase, NothingWhileWithinTheTimeout) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 1, "h", kPhaseTiming, "suite/a", 100.0);
  write_rank_state(dir.path(), 1, 2, "h", kPhaseTiming, "suite/a", 100.0);
  EXPECT_EQ(overdue_case(dir.path(), 2, {{"suite/a", 10.0}}, 105.0), std::nullopt);
}

TEST(OverdueCase, NamesTheCaseAndTheRanksThatDidNotArrive) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 1, "h", kPhaseSetUpDone, "suite/a", 100.0);
  write_rank_state(dir.path(), 1, 2, "h", kPhaseSetUp, "suite/a", 100.0);
  write_rank_state(dir.path(), 2, 3, "h", kPhaseSetUpDone, "suite/a", 100.0);
  const auto reason = overdue_case(dir.path(), 3, {{"suite/a", 2.0}}, 103.0);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("case suite/a exceeded its timeout of 2.00 s"), std::string::npos) << *reason;
  EXPECT_NE(reason->find("rank 1 in set-up"), std::string::npos) << *reason;
  EXPECT_NE(reason->find("; rank 1 did not arrive"), std::string::npos) << *reason;
}

TEST(OverdueCase, ARankStillInAnEarlierCaseIsBehind) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 1, "h", kPhaseTiming, "suite/b", 100.0);
  write_rank_state(dir.path(), 1, 2, "h", kPhaseTiming, "suite/a", 90.0);
  const auto reason = overdue_case(dir.path(), 2, {{"suite/a", 60.0}, {"suite/b", 1.0}}, 102.0);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("case suite/b"), std::string::npos) << *reason;
  EXPECT_NE(reason->find("rank 1 not in it"), std::string::npos) << *reason;
  EXPECT_NE(reason->find("rank 1 did not arrive"), std::string::npos) << *reason;
}

TEST(OverdueCase, FinishedRanksAndUnknownCasesNeverTimeOut) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 1, "h", kPhaseFinished, "", 0.0);
  write_rank_state(dir.path(), 1, 2, "h", kPhaseTiming, "suite/unlisted", 0.0);
  EXPECT_EQ(overdue_case(dir.path(), 2, {{"suite/a", 1.0}}, 1e9), std::nullopt);
}

TEST(IdleJob, StartUpThatNeverReachesACaseIsStopped) {
  TempDir dir;
  EXPECT_EQ(idle_job(dir.path(), 2, 100.0, 60.0, 150.0), std::nullopt);
  const auto reason = idle_job(dir.path(), 2, 100.0, 60.0, 161.0);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("no progress for 60.00 s outside any case (0 of 2 ranks had started)"), std::string::npos) << *reason;
}

TEST(IdleJob, AJobStuckAfterFinishingIsStopped) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 1, "h", kPhaseFinished, "", 200.0);
  write_rank_state(dir.path(), 1, 2, "h", kPhaseFinished, "", 201.0);
  EXPECT_EQ(idle_job(dir.path(), 2, 100.0, 60.0, 250.0), std::nullopt) << "measured from the last note, not the launch";
  const auto reason = idle_job(dir.path(), 2, 100.0, 60.0, 262.0);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("after every rank finished"), std::string::npos) << *reason;
}

TEST(IdleJob, ACaseInProgressIsLeftToItsOwnTimeout) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 1, "h", kPhaseTiming, "suite/a", 100.0);
  EXPECT_EQ(idle_job(dir.path(), 1, 100.0, 60.0, 1e9), std::nullopt);
}

TEST(ClearRankStates, RemovesEveryRanksFile) {
  TempDir dir;
  write_rank_state(dir.path(), 0, 1, "h", kPhaseTiming, "suite/a");
  write_rank_state(dir.path(), 1, 2, "h", kPhaseTiming, "suite/a");
  clear_rank_states(dir.path(), 2);
  EXPECT_FALSE(std::filesystem::exists(rank_state_file(dir.path(), 0)));
  EXPECT_FALSE(std::filesystem::exists(rank_state_file(dir.path(), 1)));
  EXPECT_EQ(interrupted_case(dir.path(), 2), "");
}

// --- template launcher ---------------------------------------------------------------------

TEST(TemplateLauncher, FillsPlaceholdersWordByWord) {
  SystemConfig system;
  system.nodes = 4;
  system.ranks_per_node = 8;
  system.devices_per_rank = 1;
  system.launcher.type = LauncherType::command_template;
  system.launcher.command_template = {"flux", "run", "-N", "{nodes}", "-n", "{ranks}", "--gpus-per-task={devices_per_rank}",
                                      "a b;{nodes}"};
  system.launcher.args = {"--exclusive"};
  const LaunchPlan plan = plan_launch(system, {"sciperf", "run"});
  const Argv expected{"flux", "run", "-N", "4", "-n", "32", "--gpus-per-task=1", "a b;4", "--exclusive", "sciperf", "run"};
  EXPECT_EQ(plan.argv, expected);
}

}  // namespace sciperf
