// The training suite's skip rules for its all-reduce backends: "nccl" is one of the choices a
// config may name, and where it cannot run (device: cpu, a build without NCCL or without a
// CUDA LibTorch, no GPU) the case is skipped with the reason at skip time, never thrown. The
// other backends run anywhere. The nccl path itself needs a GPU (ci/gpu-check).
#include "tests/unit/test_support.h"

#include <gtest/gtest.h>
#include <torch/cuda.h>

#include <algorithm>
#include <map>
#include <string>

namespace sciperf {
namespace {

const Suite& training_suite() {
  const Suite* suite = testing::builtin_registry().find("training");
  if (suite == nullptr) throw std::runtime_error("no training suite registered");
  return *suite;
}

// The suite's defaults with some parameters set, as a sweep would produce them.
Params params_with(const std::map<std::string, std::string>& texts) {
  Params params;
  for (const ParamSpec& spec : training_suite().params()) {
    auto it = texts.find(spec.name);
    params.set(spec.name, spec.kind, it == texts.end() ? spec.default_value : ParamValue(it->second));
  }
  return params;
}

std::optional<std::string> skip_reason(const std::map<std::string, std::string>& texts) {
  const CaseContext context{MPI_COMM_SELF, 0, 1, 1, 1, 0};
  return training_suite().skip_reason(params_with(texts), context);
}

TEST(TrainingSuite, OffersNcclAmongTheAllreduceChoices) {
  const auto& specs = training_suite().params();
  const auto spec = std::find_if(specs.begin(), specs.end(), [](const ParamSpec& s) { return s.name == "allreduce"; });
  ASSERT_NE(spec, specs.end());
  for (const char* backend : {"mpi", "nccl", "ring", "rabenseifner", "recursive_doubling", "binary_tree"})
    EXPECT_NE(std::find(spec->choices.begin(), spec->choices.end(), backend), spec->choices.end()) << backend;
}

TEST(TrainingSuite, NcclOnTheCpuIsSkippedWithTheReason) {
  EXPECT_EQ(skip_reason({{"allreduce", "nccl"}, {"device", "cpu"}}), "allreduce nccl needs device: cuda");
}

TEST(TrainingSuite, NcclWithoutAGpuOrWithoutNcclInTheBuildIsSkippedWithTheReason) {
  if (torch::cuda::is_available()) GTEST_SKIP() << "LibTorch sees a GPU here";
  const std::optional<std::string> reason = skip_reason({{"allreduce", "nccl"}, {"device", "cuda"}});
  ASSERT_TRUE(reason.has_value());
  // This build's NCCL and LibTorch decide which: a build that has both sees no GPU here.
  EXPECT_TRUE(*reason == "no CUDA device visible to LibTorch" || reason->starts_with("allreduce nccl: this build"))
      << *reason;
}

TEST(TrainingSuite, OtherBackendsRunOnTheCpu) {
  for (const char* backend : {"mpi", "ring", "rabenseifner", "recursive_doubling", "binary_tree"})
    EXPECT_EQ(skip_reason({{"allreduce", backend}, {"device", "cpu"}}), std::nullopt) << backend;
  if (!torch::cuda::is_available())
    EXPECT_EQ(skip_reason({{"allreduce", "mpi"}, {"device", "cuda"}}), "no CUDA device visible to LibTorch");
}

}  // namespace
}  // namespace sciperf
