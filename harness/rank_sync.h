// Small collective helpers the harness uses to keep every rank on the same path: a case is
// skipped, failed or timed on all ranks or on none, so no collective can deadlock.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sciperf {

double allreduce_max(double value, MPI_Comm comm);
double allreduce_min(double value, MPI_Comm comm);
double allreduce_sum(double value, MPI_Comm comm);
std::int64_t broadcast_from_root(std::int64_t value, MPI_Comm comm);
std::string broadcast_from_root(const std::string& text, MPI_Comm comm);

// When any rank has a reason, every rank returns the reason of the lowest such rank,
// prefixed with "rank N: " when that rank is not 0.
std::optional<std::string> agree_reason(const std::optional<std::string>& local, MPI_Comm comm);

// Rank 0 gets every rank's string, in rank order; other ranks get an empty vector.
std::vector<std::string> gather_to_root(const std::string& text, MPI_Comm comm);

// Elementwise maximum of equal-length vectors over ranks, returned on every rank.
std::vector<double> allreduce_max(std::vector<double> values, MPI_Comm comm);

}  // namespace sciperf
