// Runs the selected cases on every rank of `comm`: for each case, agree on skip, set up,
// validate, time, validate again, and (rank 0) append the case to the bundle at once.
#pragma once

#include "harness/bundle.h"
#include "harness/config.h"
#include "harness/progress.h"
#include "harness/sweep.h"

#include <mpi.h>

#include <filesystem>
#include <optional>
#include <vector>

namespace sciperf {

struct RunRequest {
  const Config* config;
  std::vector<CaseSpec> cases;
  std::filesystem::path output_dir;  // exists, the same on every rank
  ProgressStyle progress;
};

// Collective. Returns the process exit code: 0 when every case is ok or skipped, 1 when
// any case failed (the run itself is still "complete"). `bundle` is only used (and must only be given) on rank 0.
int run_cases(const RunRequest& request, MPI_Comm comm, ResultBundle* bundle);

// Where each rank notes the case it is in, so the launcher can name the rank and case when
// a rank dies. One small file per rank in <output>/.ranks/.
std::filesystem::path rank_state_file(const std::filesystem::path& output_dir, int rank);

}  // namespace sciperf
