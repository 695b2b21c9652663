// The point-to-point steps every algorithm is built from.
#pragma once

#include "kernels/comm/datatypes.h"

#include <cstddef>
#include <memory>
#include <span>

namespace sciperf::comm {

// Messages are pipelined in pieces of this size, and trees forward segments of it: small
// enough for a piece to stay in cache between its arrival and its reduction.
inline constexpr std::size_t kPipelineBytes = 64 * 1024;

// Bytes sent to `peer`. Zero bytes means no message at all: both ends derive every size from
// the same (count, ranks), so they skip the same messages.
struct Outgoing {
  const std::byte* data = nullptr;
  std::size_t bytes = 0;
  int peer = MPI_PROC_NULL;
};

// Bytes received from `peer` into `data`.
struct Incoming {
  std::byte* data = nullptr;
  std::size_t bytes = 0;
  int peer = MPI_PROC_NULL;
};

// Every message is sent in pieces, and a receive must cut its message the same way as the
// send did: exchange pairs with exchange, and a message that its receiver reduces with
// exchange_reduce is sent by exchange_reduce or send_for_reduction.

// Sends and receives at the same time, so rings and pairwise swaps cannot deadlock. Large
// pieces: for plain copies, fewer messages are faster.
void exchange(const Outgoing& out, const Incoming& in, MPI_Comm comm);

// How a received block combines with this rank's own data.
struct Combine {
  DataType type;
  ReduceOp op;
  bool received_first;  // the received data is the left operand
};

// Like exchange, but in pieces of kPipelineBytes, and the received block is combined into
// in.data piece by piece as it arrives: each piece is reduced while it is still in cache and
// while the next one moves. own == nullptr: in.data already holds this rank's operand and
// the pieces land in `staging` (reduce_staging_bytes(in.bytes) long); otherwise they land in
// in.data and `own` (in.bytes long) is folded into them. out.data must not overlap in.data
// or staging.
void exchange_reduce(const Outgoing& out, const Incoming& in, const std::byte* own, const Combine& combine,
                     std::span<std::byte> staging, MPI_Comm comm);
std::size_t reduce_staging_bytes(std::size_t incoming_bytes);

// Sends a message that the receiver takes in with exchange_reduce.
void send_for_reduction(const Outgoing& out, MPI_Comm comm);

// One uninitialized allocation per collective call, which the algorithm carves up.
inline std::unique_ptr<std::byte[]> allocate_scratch(std::size_t bytes) {
  return std::make_unique_for_overwrite<std::byte[]>(bytes);
}

// memcpy that also takes empty ranges, whose pointers may be null.
void copy_bytes(std::byte* to, const std::byte* from, std::size_t bytes);

int comm_rank(MPI_Comm comm);
int comm_size(MPI_Comm comm);

}  // namespace sciperf::comm
