// The collectives suite's check must catch a wrong answer: every collective validates on
// MPI and our algorithms, and one corrupted element on one rank fails the case on every
// rank, names that rank, and is counted once.
#include "suites/collectives/collective_case.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <string>
#include <tuple>

namespace sciperf::suites {
namespace {

CaseContext world() {
  CaseContext context{MPI_COMM_WORLD, 0, 1, 1, 1, 0};
  MPI_Comm_rank(MPI_COMM_WORLD, &context.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &context.size);
  context.ranks_per_node = context.size;
  return context;
}

// Runs the collective, then damages one output element on the last rank.
class CorruptedCase : public CollectiveCase {
 public:
  using CollectiveCase::CollectiveCase;
  void run_once() override {
    CollectiveCase::run_once();
    int rank = 0, size = 1;
    MPI_Comm_rank(comm_, &rank);
    MPI_Comm_size(comm_, &size);
    if (rank == size - 1) {
      const double value = comm::load_element(settings_.type, recv_.data(), 0);
      comm::store_element(settings_.type, recv_.data(), 0, value + 2);
    }
  }
};

using Variant = std::tuple<std::string, std::string, DataType>;

class CollectiveValidation : public ::testing::TestWithParam<Variant> {
 protected:
  CollectiveSettings settings() const {
    const auto& [collective, algorithm, type] = GetParam();
    return {find_collective(collective), algorithm, type, ReduceOp::sum, false, 4096};
  }
};

TEST_P(CollectiveValidation, CorrectOutputPasses) {
  CollectiveCase instance(settings(), world());
  const Validation v = instance.validate();
  EXPECT_TRUE(v.passed) << v.detail;
  EXPECT_GT(v.checked, 0u);
  EXPECT_EQ(v.mismatches, 0u);
}

TEST_P(CollectiveValidation, OneCorruptedElementFailsEveryRank) {
  const CaseContext context = world();
  CorruptedCase instance(settings(), context);
  const Validation v = instance.validate();
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.mismatches, 1u);
  EXPECT_GE(v.max_error, 1.0);
  if (context.size > 1) EXPECT_NE(v.detail.find("rank " + std::to_string(context.size - 1) + ":"), std::string::npos) << v.detail;
  EXPECT_NE(v.detail.find("element 0"), std::string::npos) << v.detail;
}

INSTANTIATE_TEST_SUITE_P(
    Collectives, CollectiveValidation,
    ::testing::Values(Variant{"allreduce", "mpi", DataType::float32}, Variant{"allreduce", "ring", DataType::bfloat16},
                      Variant{"allreduce", "rabenseifner", DataType::int32},
                      Variant{"reduce_scatter", "mpi", DataType::float64}, Variant{"reduce_scatter", "ring", DataType::float16},
                      Variant{"allgather", "mpi", DataType::float32}, Variant{"allgather", "recursive_doubling", DataType::int32},
                      Variant{"broadcast", "binomial_tree", DataType::bfloat16}, Variant{"alltoall", "mpi", DataType::float32},
                      Variant{"alltoall", "pairwise", DataType::float64}));

TEST(CollectiveMetrics, BusBandwidthUsesTheNcclTestsFactor) {
  const CaseContext context = world();
  CollectiveCase instance({find_collective("allreduce"), "mpi", DataType::float32, ReduceOp::sum, false, 1 << 20}, context);
  const auto metrics = instance.derived_metrics(1e-3);
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_DOUBLE_EQ(metrics[0].value, (1 << 20) / 1e-3 / 1e9);
  EXPECT_DOUBLE_EQ(metrics[1].value, metrics[0].value * 2.0 * (context.size - 1) / context.size);
}

}  // namespace
}  // namespace sciperf::suites
