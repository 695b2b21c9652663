// Our collective algorithms against the MPI library's collectives, for every element type and
// operator, at counts that give empty, uneven and multi-piece blocks. Inputs are small integers
// chosen per operator so every result is exact in every type; results must match bitwise.
#include "kernels/comm/algorithms.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstring>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace sciperf::comm {
namespace {

using Bytes = std::vector<std::byte>;

constexpr DataType kTypes[] = {DataType::float32, DataType::float64, DataType::int32, DataType::bfloat16,
                               DataType::float16};
constexpr ReduceOp kOps[] = {ReduceOp::sum, ReduceOp::prod, ReduceOp::min, ReduceOp::max};

int world_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

int world_size() {
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

// Element counts to test: empty, fewer than the ranks, uneven, and (100003) blocks of several
// pipeline pieces, which the folding of non-power-of-two sizes needs as much as the rest.
constexpr std::size_t kCounts[] = {0, 1, 2, 7, 33, 1000, 4099, 100003};

constexpr double kFactors[] = {1, -1, 2};

// Small integers, so that sums, products and extremes over a few ranks are exact in bfloat16:
// sums of values in [-4, 4], products of values in {1, -1, 2}.
double input_value(ReduceOp op, int rank, std::size_t index) {
  const auto mix = static_cast<long>(index) * 3 + rank * 5;
  switch (op) {
    case ReduceOp::sum: return static_cast<double>(mix % 9 - 4);
    case ReduceOp::prod: return kFactors[mix % 3];
    case ReduceOp::min:
    case ReduceOp::max: return static_cast<double>((mix * 7) % 17 - 8);
  }
  return 0;
}

Bytes make_buffer(DataType type, std::size_t count) { return Bytes(count * size_of(type)); }

Bytes make_input(DataType type, ReduceOp op, int rank, std::size_t count) {
  Bytes buffer = make_buffer(type, count);
  for (std::size_t i = 0; i < count; ++i) {
    store_element(type, buffer.data(), i, input_value(op, rank, i));
  }
  return buffer;
}

// The reduction over all ranks of make_input(type, op, rank, count), computed exactly.
Bytes expected_reduction(DataType type, ReduceOp op, std::size_t count) {
  Bytes buffer = make_buffer(type, count);
  for (std::size_t i = 0; i < count; ++i) {
    double value = input_value(op, 0, i);
    for (int rank = 1; rank < world_size(); ++rank) {
      value = reduce_reference(op, value, input_value(op, rank, i));
    }
    store_element(type, buffer.data(), i, value);
  }
  return buffer;
}

// "" when equal, else where the first difference is.
std::string compare(DataType type, const Bytes& got, const Bytes& want, const std::string& what) {
  if (got == want) {
    return "";
  }
  std::ostringstream message;
  message << what << ": ";
  if (got.size() != want.size()) {
    message << got.size() << " bytes instead of " << want.size();
    return message.str();
  }
  const std::size_t element_bytes = size_of(type);
  for (std::size_t i = 0; i < got.size() / element_bytes; ++i) {
    if (std::memcmp(got.data() + i * element_bytes, want.data() + i * element_bytes, element_bytes) != 0) {
      message << "element " << i << " is " << load_element(type, got.data(), i) << ", want "
              << load_element(type, want.data(), i);
      break;
    }
  }
  return message.str();
}

// Collective: the first error among all ranks ("" if none), with the rank that saw it. Tests
// compare this instead of their local result, so every rank fails together (only rank 0
// prints) and no rank skips a later collective by returning early.
std::string first_error_anywhere(const std::string& local_error) {
  const int rank = world_rank();
  const int candidate = local_error.empty() ? INT_MAX : rank;
  int first = INT_MAX;
  MPI_Allreduce(&candidate, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (first == INT_MAX) {
    return "";
  }
  std::string error = "rank " + std::to_string(first) + ": " + local_error;
  int length = static_cast<int>(error.size());
  MPI_Bcast(&length, 1, MPI_INT, first, MPI_COMM_WORLD);
  error.resize(length);
  MPI_Bcast(error.data(), length, MPI_CHAR, first, MPI_COMM_WORLD);
  return error;
}

// Collects the first local error of a test across its cases.
class Errors {
 public:
  void check(DataType type, const Bytes& got, const Bytes& want, const std::string& what) {
    if (first_.empty()) {
      first_ = compare(type, got, want, what);
    }
  }
  std::string anywhere() const { return first_error_anywhere(first_); }

 private:
  std::string first_;
};

std::string case_name(DataType type, std::size_t count) {
  return std::string(to_string(type)) + " count " + std::to_string(count);
}

// ---------------------------------------------------------------------------------------
// All-reduce

using AllreduceFunction = void (*)(void*, std::size_t, DataType, ReduceOp, MPI_Comm);

struct AllreduceAlgorithm {
  const char* name;
  AllreduceFunction run;
};

constexpr AllreduceAlgorithm kAllreduceAlgorithms[] = {
    {"ring", &allreduce_ring},
    {"recursive_doubling", &allreduce_recursive_doubling},
    {"rabenseifner", &allreduce_rabenseifner},
    {"binary_tree", &allreduce_binary_tree},
};

using AllreduceParam = std::tuple<AllreduceAlgorithm, DataType, ReduceOp>;

class Allreduce : public testing::TestWithParam<AllreduceParam> {};

TEST_P(Allreduce, MatchesLibrary) {
  const auto [algorithm, type, op] = GetParam();
  Errors errors;
  for (std::size_t count : kCounts) {
    const Bytes input = make_input(type, op, world_rank(), count);
    Bytes ours = input;
    algorithm.run(ours.data(), count, type, op, MPI_COMM_WORLD);
    Bytes library = make_buffer(type, count);
    MPI_Allreduce(input.data(), library.data(), static_cast<int>(count), mpi_datatype(type), mpi_op(type, op),
                  MPI_COMM_WORLD);
    errors.check(type, ours, library, case_name(type, count));
    errors.check(type, library, expected_reduction(type, op, count), "MPI_Allreduce, " + case_name(type, count));
  }
  EXPECT_EQ(errors.anywhere(), "");
}

// Inputs that do not add up exactly, and signed zeros under min/max: each rank may round
// differently than the library, but all ranks must end with the same bits.
TEST_P(Allreduce, IdenticalOnAllRanks) {
  const auto [algorithm, type, op] = GetParam();
  const std::size_t count = 1000;
  const int rank = world_rank();
  Bytes ours = make_buffer(type, count);
  for (std::size_t i = 0; i < count; ++i) {
    const bool extreme = op == ReduceOp::min || op == ReduceOp::max;
    const double value = extreme ? ((rank + i) % 2 == 0 ? 0.0 : -0.0) : 1.0 + 0.1 * rank + 1e-3 * i;
    store_element(type, ours.data(), i, value);
  }
  algorithm.run(ours.data(), count, type, op, MPI_COMM_WORLD);
  Bytes rank0 = ours;
  MPI_Bcast(rank0.data(), static_cast<int>(rank0.size()), MPI_BYTE, 0, MPI_COMM_WORLD);
  EXPECT_EQ(first_error_anywhere(compare(type, ours, rank0, "differs from rank 0")), "");
}

std::string allreduce_name(const testing::TestParamInfo<AllreduceParam>& info) {
  const auto [algorithm, type, op] = info.param;
  return std::string(algorithm.name) + "_" + std::string(to_string(type)) + "_" + std::string(to_string(op));
}

INSTANTIATE_TEST_SUITE_P(Comm, Allreduce,
                         testing::Combine(testing::ValuesIn(kAllreduceAlgorithms), testing::ValuesIn(kTypes),
                                          testing::ValuesIn(kOps)),
                         allreduce_name);

// ---------------------------------------------------------------------------------------
// Reduce-scatter

using ReduceScatterParam = std::tuple<DataType, ReduceOp>;

class ReduceScatterRing : public testing::TestWithParam<ReduceScatterParam> {};

TEST_P(ReduceScatterRing, MatchesLibrary) {
  const auto [type, op] = GetParam();
  const int size = world_size();
  Errors errors;
  for (std::size_t count : kCounts) {
    const std::size_t block = count / size;  // per rank, so the buffers stay at most `count`
    const Bytes input = make_input(type, op, world_rank(), block * size);
    Bytes ours = make_buffer(type, block);
    reduce_scatter_ring(input.data(), ours.data(), block, type, op, MPI_COMM_WORLD);
    Bytes library = make_buffer(type, block);
    MPI_Reduce_scatter_block(input.data(), library.data(), static_cast<int>(block), mpi_datatype(type),
                             mpi_op(type, op), MPI_COMM_WORLD);
    errors.check(type, ours, library, case_name(type, block));
  }
  EXPECT_EQ(errors.anywhere(), "");
}

std::string reduce_scatter_name(const testing::TestParamInfo<ReduceScatterParam>& info) {
  const auto [type, op] = info.param;
  return std::string(to_string(type)) + "_" + std::string(to_string(op));
}

INSTANTIATE_TEST_SUITE_P(Comm, ReduceScatterRing, testing::Combine(testing::ValuesIn(kTypes), testing::ValuesIn(kOps)),
                         reduce_scatter_name);

// ---------------------------------------------------------------------------------------
// Data movement: all-gather, broadcast, all-to-all. Any bit pattern would do; small integers
// keep failure messages readable.

Bytes make_pattern(DataType type, int rank, std::size_t count) {
  Bytes buffer = make_buffer(type, count);
  for (std::size_t i = 0; i < count; ++i) {
    store_element(type, buffer.data(), i, static_cast<double>((rank * 31 + static_cast<long>(i) * 7) % 255 - 127));
  }
  return buffer;
}

using AllgatherFunction = void (*)(const void*, void*, std::size_t, DataType, MPI_Comm);

struct AllgatherAlgorithm {
  const char* name;
  AllgatherFunction run;
};

constexpr AllgatherAlgorithm kAllgatherAlgorithms[] = {
    {"ring", &allgather_ring},
    {"recursive_doubling", &allgather_recursive_doubling},
};

using AllgatherParam = std::tuple<AllgatherAlgorithm, DataType>;

class Allgather : public testing::TestWithParam<AllgatherParam> {};

TEST_P(Allgather, MatchesLibrary) {
  const auto [algorithm, type] = GetParam();
  const int rank = world_rank();
  const std::size_t element_bytes = size_of(type);
  Errors errors;
  for (std::size_t count : kCounts) {
    const std::size_t block = count / world_size();
    const Bytes input = make_pattern(type, rank, block);
    Bytes library = make_buffer(type, block * world_size());
    MPI_Allgather(input.data(), static_cast<int>(block), mpi_datatype(type), library.data(), static_cast<int>(block),
                  mpi_datatype(type), MPI_COMM_WORLD);

    Bytes ours = make_buffer(type, block * world_size());
    algorithm.run(input.data(), ours.data(), block, type, MPI_COMM_WORLD);
    errors.check(type, ours, library, case_name(type, block));

    Bytes in_place = make_buffer(type, block * world_size());
    std::copy(input.begin(), input.end(), in_place.begin() + static_cast<std::ptrdiff_t>(rank * block * element_bytes));
    algorithm.run(nullptr, in_place.data(), block, type, MPI_COMM_WORLD);
    errors.check(type, in_place, library, "in place, " + case_name(type, block));
  }
  EXPECT_EQ(errors.anywhere(), "");
}

std::string allgather_name(const testing::TestParamInfo<AllgatherParam>& info) {
  const auto [algorithm, type] = info.param;
  return std::string(algorithm.name) + "_" + std::string(to_string(type));
}

INSTANTIATE_TEST_SUITE_P(Comm, Allgather,
                         testing::Combine(testing::ValuesIn(kAllgatherAlgorithms), testing::ValuesIn(kTypes)),
                         allgather_name);

class BroadcastBinomialTree : public testing::TestWithParam<DataType> {};

TEST_P(BroadcastBinomialTree, MatchesLibraryFromEveryRoot) {
  const DataType type = GetParam();
  Errors errors;
  for (int root = 0; root < world_size(); ++root) {
    for (std::size_t count : kCounts) {
      // Non-roots start from their own pattern, so a missed segment shows.
      const Bytes input = make_pattern(type, world_rank(), count);
      Bytes ours = input;
      broadcast_binomial_tree(ours.data(), count, type, root, MPI_COMM_WORLD);
      Bytes library = input;
      MPI_Bcast(library.data(), static_cast<int>(count), mpi_datatype(type), root, MPI_COMM_WORLD);
      errors.check(type, ours, library, "root " + std::to_string(root) + ", " + case_name(type, count));
    }
  }
  EXPECT_EQ(errors.anywhere(), "");
}

class AlltoallPairwise : public testing::TestWithParam<DataType> {};

TEST_P(AlltoallPairwise, MatchesLibrary) {
  const DataType type = GetParam();
  Errors errors;
  for (std::size_t count : kCounts) {
    const std::size_t block = count / world_size();
    const Bytes input = make_pattern(type, world_rank(), block * world_size());
    Bytes ours = make_buffer(type, block * world_size());
    alltoall_pairwise(input.data(), ours.data(), block, type, MPI_COMM_WORLD);
    Bytes library = make_buffer(type, block * world_size());
    MPI_Alltoall(input.data(), static_cast<int>(block), mpi_datatype(type), library.data(), static_cast<int>(block),
                 mpi_datatype(type), MPI_COMM_WORLD);
    errors.check(type, ours, library, case_name(type, block));
  }
  EXPECT_EQ(errors.anywhere(), "");
}

std::string type_name(const testing::TestParamInfo<DataType>& info) { return std::string(to_string(info.param)); }

INSTANTIATE_TEST_SUITE_P(Comm, BroadcastBinomialTree, testing::ValuesIn(kTypes), type_name);
INSTANTIATE_TEST_SUITE_P(Comm, AlltoallPairwise, testing::ValuesIn(kTypes), type_name);

}  // namespace
}  // namespace sciperf::comm
