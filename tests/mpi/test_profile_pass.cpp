// The collectors' profiling passes (harness/collector.h): they run after the timed pass, on
// every rank even when only one rank's collectors want them (an all-reduce here, so a rank
// left out would hang the others), for the configured number of operations, and what it
// reports joins the case's counters.
#include "harness/config.h"
#include "harness/runner.h"
#include "harness/suite.h"
#include "harness/sweep.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

namespace sciperf {
namespace {

struct Calls {
  std::vector<std::string> order;
  ProfilePass pass;
};

class ProfilingCollector final : public Collector {
 public:
  ProfilingCollector(Calls* calls, int passes) : calls_(calls), passes_(passes) {}
  std::string_view name() const override { return "profiling"; }
  std::optional<std::string> unavailable_reason() const override { return std::nullopt; }
  void begin() override { calls_->order.push_back("begin"); }
  std::vector<Counter> end() override {
    calls_->order.push_back("end");
    return {};
  }
  int profile_passes() const override { return passes_; }
  void begin_profile(const ProfilePass& pass) override {
    calls_->order.push_back("begin_profile " + std::to_string(pass.index));
    calls_->pass = pass;
  }
  std::vector<Counter> end_profile() override {
    calls_->order.push_back("end_profile");
    if (calls_->pass.index + 1 < passes_) return {};  // what it measured comes with the last pass
    return {{"profiling.operations", static_cast<double>(calls_->pass.operations), "count"}};
  }

 private:
  Calls* calls_;
  int passes_;
};

std::filesystem::path shared_directory(int rank) {
  std::string path;
  if (rank == 0) path = std::filesystem::temp_directory_path() / ("sciperf-profile-pass-" + std::to_string(::getpid()));
  int length = static_cast<int>(path.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD);
  path.resize(static_cast<std::size_t>(length));
  MPI_Bcast(path.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD);
  if (rank == 0) std::filesystem::create_directories(path);
  MPI_Barrier(MPI_COMM_WORLD);
  return path;
}

TEST(ProfilePass, RunsOnEveryRankAfterTheTimedPassAndJoinsTheCounters) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  SuiteRegistry registry;
  register_builtin_suites(registry);
  const Config config = parse_config(
      "timing: {warmup: 1, min_time: 1ms, repetitions: 2, max_iterations: 3}\n"
      "collectors: {profile_operations: 7}\n"
      "suites:\n  - suite: collectives\n    params: {collective: allreduce, bytes: 1KiB}\n",
      "profile.yaml", registry);
  Calls calls;
  std::vector<std::unique_ptr<Collector>> collectors;
  collectors.push_back(std::make_unique<ProfilingCollector>(&calls, rank == 0 ? 2 : 0));  // rank 0 only
  const std::filesystem::path dir = shared_directory(rank);
  std::optional<ResultBundle> bundle;
  if (rank == 0) bundle.emplace(dir, nlohmann::json::object(), config.resolved, nlohmann::json::object(), nlohmann::json::object());
  const RunRequest request{&config, &collectors, expand_cases(config, registry), dir, ProgressStyle::none};
  ASSERT_EQ(run_cases(request, MPI_COMM_WORLD, bundle ? &*bundle : nullptr), 0);

  if (rank == 0) {
    ASSERT_EQ(calls.order, (std::vector<std::string>{"begin", "end", "begin_profile 0", "end_profile", "begin_profile 1", "end_profile"}));
    EXPECT_EQ(calls.pass.operations, 7);
    EXPECT_EQ(calls.pass.output_dir, dir);
    EXPECT_EQ(calls.pass.case_name, request.cases.at(0).name);
    const nlohmann::json& record = bundle->document()["sciperf"]["cases"].at(0);
    EXPECT_EQ(record["status"], "ok") << record.dump();
    EXPECT_EQ(record["counters"]["profiling.operations"]["max"], 7) << record.dump();
    EXPECT_EQ(calls.pass.index, 1);
    std::filesystem::remove_all(dir);
  } else {
    EXPECT_EQ(calls.order, (std::vector<std::string>{"begin", "end"})) << "a rank not asked for the pass still runs it, unread";
  }
}

}  // namespace
}  // namespace sciperf
