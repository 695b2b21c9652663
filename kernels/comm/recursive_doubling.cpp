// Recursive doubling: in step k every rank swaps with the rank 2^k away, so log2(n) steps
// finish the job. Latency-optimal; all-reduce moves the whole buffer every step.
#include "kernels/comm/algorithms.h"
#include "kernels/comm/point_to_point.h"
#include "kernels/comm/power_of_two.h"

#include <utility>
#include <vector>

namespace sciperf::comm {

void allreduce_recursive_doubling(void* buffer, std::size_t count, DataType type, ReduceOp op, MPI_Comm comm) {
  const PowerOfTwoFold fold(comm_rank(comm), comm_size(comm));
  auto* data = static_cast<std::byte*>(buffer);
  const std::size_t bytes = count * size_of(type);
  const std::size_t staging_bytes = reduce_staging_bytes(bytes);
  auto scratch = allocate_scratch(bytes + staging_bytes);
  fold.reduce_in(data, bytes, type, op, {scratch.get() + bytes, staging_bytes}, comm);
  if (!fold.sits_out()) {
    // Each step combines where the partner's data lands and sends from the other buffer,
    // so no buffer is written while it is being sent.
    std::byte* current = data;
    std::byte* next = scratch.get();
    const int me = fold.group_rank();
    for (int distance = 1; distance < fold.group_size(); distance *= 2) {
      const int partner = me ^ distance;
      const int peer = fold.rank_of(partner);
      // Both ends put the lower member's data first, so they compute the same bits.
      exchange_reduce({current, bytes, peer}, {next, bytes, peer}, current, {type, op, partner < me}, {}, comm);
      std::swap(current, next);
    }
    if (current != data) {
      copy_bytes(data, current, bytes);
    }
  }
  fold.hand_back(data, bytes, comm);
}

void allgather_recursive_doubling(const void* send, void* recv, std::size_t send_count, DataType type,
                                  MPI_Comm comm) {
  const int rank = comm_rank(comm);
  const int size = comm_size(comm);
  const PowerOfTwoFold fold(rank, size);
  auto* data = static_cast<std::byte*>(recv);
  const std::size_t block = send_count * size_of(type);
  if (send != nullptr) {
    copy_bytes(data + rank * block, static_cast<const std::byte*>(send), block);
  }
  // A lender's block sits right below its partner's, so after lending every group member
  // owns one contiguous run of blocks.
  if (const int partner = fold.fold_partner(); partner != MPI_PROC_NULL) {
    if (fold.sits_out()) {
      exchange({data + rank * block, block, partner}, {}, comm);
    } else {
      exchange({}, {data + partner * block, block, partner}, comm);
    }
  }
  if (!fold.sits_out()) {
    std::vector<std::size_t> edges(fold.group_size() + 1);
    for (int member = 0; member <= fold.group_size(); ++member) {
      edges[member] = fold.first_rank_of(member) * block;
    }
    doubling_allgather(data, edges, fold, comm);
  }
  fold.hand_back(data, size * block, comm);
}

}  // namespace sciperf::comm
