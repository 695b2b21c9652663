#include "harness/rank_sync.h"

#include <fmt/format.h>

#include <utility>

namespace sciperf {
namespace {

double allreduce(double value, MPI_Op op, MPI_Comm comm) {
  MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, op, comm);
  return value;
}

}  // namespace

double allreduce_max(double value, MPI_Comm comm) { return allreduce(value, MPI_MAX, comm); }
double allreduce_min(double value, MPI_Comm comm) { return allreduce(value, MPI_MIN, comm); }
double allreduce_sum(double value, MPI_Comm comm) { return allreduce(value, MPI_SUM, comm); }

std::int64_t broadcast_from_root(std::int64_t value, MPI_Comm comm) {
  MPI_Bcast(&value, 1, MPI_INT64_T, 0, comm);
  return value;
}

std::string broadcast_from_root(const std::string& text, MPI_Comm comm) {
  auto length = broadcast_from_root(static_cast<std::int64_t>(text.size()), comm);
  std::string out = text;
  out.resize(static_cast<std::size_t>(length));
  MPI_Bcast(out.data(), static_cast<int>(length), MPI_CHAR, 0, comm);
  return out;
}

std::optional<std::string> agree_reason(const std::optional<std::string>& local, MPI_Comm comm) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  int first = local ? rank : size;
  MPI_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm);
  if (first == size) return std::nullopt;
  std::string reason = rank == first ? *local : std::string();
  auto length = static_cast<int>(reason.size());
  MPI_Bcast(&length, 1, MPI_INT, first, comm);
  reason.resize(static_cast<std::size_t>(length));
  MPI_Bcast(reason.data(), length, MPI_CHAR, first, comm);
  return first == 0 ? reason : fmt::format("rank {}: {}", first, reason);
}

std::vector<std::string> gather_to_root(const std::string& text, MPI_Comm comm) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  int length = static_cast<int>(text.size());
  std::vector<int> lengths(rank == 0 ? size : 0), offsets(rank == 0 ? size : 0);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, comm);
  std::string all;
  if (rank == 0) {
    int total = 0;
    for (int r = 0; r < size; ++r) offsets[r] = std::exchange(total, total + lengths[r]);
    all.resize(static_cast<std::size_t>(total));
  }
  MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, comm);
  std::vector<std::string> out;
  for (int r = 0; rank == 0 && r < size; ++r) out.push_back(all.substr(offsets[r], lengths[r]));
  return out;
}

std::vector<double> allreduce_max(std::vector<double> values, MPI_Comm comm) {
  MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_MAX, comm);
  return values;
}

}  // namespace sciperf
