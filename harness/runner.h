// Runs the selected cases on every rank of `comm`: for each case, agree on skip, set up,
// validate, time, validate again, and (rank 0) append the case to the bundle at once.
#pragma once

#include "harness/bundle.h"
#include "harness/collector.h"
#include "harness/config.h"
#include "harness/progress.h"
#include "harness/sweep.h"

#include <mpi.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sciperf {

struct RunRequest {
  const Config* config;
  const std::vector<std::unique_ptr<Collector>>* collectors;  // read on this rank around each case
  std::vector<CaseSpec> cases;
  std::filesystem::path output_dir;  // exists, the same on every rank
  ProgressStyle progress;
};

// A case's record before it runs: name, suite, typed parameters, headline metrics, timing
// policy, status "ok".
nlohmann::json case_record(const CaseSpec& spec);

// Collective. Returns the process exit code: 0 when every case is ok or skipped, 1 when
// any case failed (the run itself is still "complete"). `bundle` is only used (and must only be given) on rank 0.
int run_cases(const RunRequest& request, MPI_Comm comm, ResultBundle* bundle);

// Where each rank notes the case and phase it is in, so the launcher can name the rank and
// case when a rank dies, and see which ranks lag when a case hangs. One small file per rank
// in <output>/.ranks/.
std::filesystem::path rank_state_file(const std::filesystem::path& output_dir, int rank);

// The phases of a case, in order; then "finished" once the rank is past the last case.
inline constexpr const char* kPhaseSetUp = "set-up";
inline constexpr const char* kPhaseSetUpDone = "waiting for the other ranks' set-up";
inline constexpr const char* kPhaseValidation = "validation";
inline constexpr const char* kPhaseTiming = "timing";
inline constexpr const char* kPhaseValidationAfter = "validation after timing";
inline constexpr const char* kPhaseProfiling = "profiling pass";
inline constexpr const char* kPhaseFinished = "finished";

struct RankState {
  std::string phase;
  std::string case_name;
  double case_started;  // Unix time the rank began the case
};

}  // namespace sciperf
