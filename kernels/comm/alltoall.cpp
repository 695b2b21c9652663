// Pairwise all-to-all: n - 1 steps, in each of which every rank sends one block and
// receives one, so no rank is flooded by everyone at once.
#include "kernels/comm/algorithms.h"
#include "kernels/comm/point_to_point.h"

#include <bit>

namespace sciperf::comm {

void alltoall_pairwise(const void* send, void* recv, std::size_t block_count, DataType type, MPI_Comm comm) {
  const int rank = comm_rank(comm);
  const int size = comm_size(comm);
  const auto* out = static_cast<const std::byte*>(send);
  auto* in = static_cast<std::byte*>(recv);
  const std::size_t block = block_count * size_of(type);
  copy_bytes(in + rank * block, out + rank * block, block);
  // With a power of two, XOR makes every step a swap within pairs; otherwise each rank sends
  // `step` ranks ahead and receives from `step` ranks behind.
  const bool power_of_two = std::has_single_bit(static_cast<unsigned>(size));
  for (int step = 1; step < size; ++step) {
    const int to = power_of_two ? rank ^ step : (rank + step) % size;
    const int from = power_of_two ? rank ^ step : (rank - step + size) % size;
    exchange({out + to * block, block, to}, {in + from * block, block, from}, comm);
  }
}

}  // namespace sciperf::comm
