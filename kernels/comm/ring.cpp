// Ring algorithms: every rank sends to its right neighbour and receives from its left one,
// n - 1 times. Bandwidth-optimal for large messages; latency grows linearly with ranks.
#include "kernels/comm/algorithms.h"
#include "kernels/comm/blocks.h"
#include "kernels/comm/point_to_point.h"

namespace sciperf::comm {
namespace {

struct Ring {
  int rank;
  int size;

  explicit Ring(MPI_Comm comm) : rank(comm_rank(comm)), size(comm_size(comm)) {}
  int right() const { return (rank + 1) % size; }
  int left() const { return (rank + size - 1) % size; }
  // The block index `back` positions behind this rank's own, wrapping around.
  std::size_t block_behind(int back) const { return static_cast<std::size_t>(((rank - back) % size + size) % size); }
};

// Reduce-scatter of `contribution` (laid out as `blocks`, one per rank): on return `result`
// holds this rank's block reduced over all ranks. Block b starts at rank b + 1 and travels
// once around the ring, each rank adding its own part, so every block is reduced along a
// single path. Partial blocks wait in two staging buffers, which keeps `contribution`
// read-only; `result` may be this rank's block of `contribution` itself.
void ring_reduce_scatter(const std::byte* contribution, std::byte* result, const Blocks& blocks, DataType type,
                         ReduceOp op, MPI_Comm comm) {
  const Ring ring(comm);
  const std::byte* own_block = contribution + blocks.offset(ring.rank);
  if (ring.size == 1) {
    if (result != own_block) {
      copy_bytes(result, own_block, blocks.size(0));
    }
    return;
  }
  const std::size_t partial_bytes = ring.size > 2 ? blocks.largest() : 0;
  const std::size_t staging_bytes = reduce_staging_bytes(blocks.largest());
  auto scratch = allocate_scratch(2 * partial_bytes + staging_bytes);
  std::byte* partials[2] = {scratch.get(), scratch.get() + partial_bytes};
  const std::span<std::byte> staging(scratch.get() + 2 * partial_bytes, staging_bytes);
  const Combine combine{type, op, /*received_first=*/true};

  for (int step = 0; step + 1 < ring.size; ++step) {
    const std::size_t send_block = ring.block_behind(step + 1);
    const std::size_t receive_block = ring.block_behind(step + 2);
    const std::byte* send_data = step == 0 ? contribution + blocks.offset(send_block) : partials[(step - 1) % 2];
    const Outgoing out{send_data, blocks.size(send_block), ring.right()};
    const std::byte* own_part = contribution + blocks.offset(receive_block);
    if (step + 2 < ring.size) {
      exchange_reduce(out, {partials[step % 2], blocks.size(receive_block), ring.left()}, own_part, combine, staging,
                      comm);
    } else {
      // Last step: the block arriving is this rank's own. When `result` is its own part
      // (in place), the incoming data must not overwrite that part before it is combined.
      const std::byte* own = result == own_part ? nullptr : own_part;
      exchange_reduce(out, {result, blocks.size(receive_block), ring.left()}, own, combine, staging, comm);
    }
  }
}

// All-gather in place: rank r's block of `buffer` is filled on entry; every block is on return.
void ring_allgather(std::byte* buffer, const Blocks& blocks, MPI_Comm comm) {
  const Ring ring(comm);
  for (int step = 0; step + 1 < ring.size; ++step) {
    const std::size_t send_block = ring.block_behind(step);
    const std::size_t receive_block = ring.block_behind(step + 1);
    exchange({buffer + blocks.offset(send_block), blocks.size(send_block), ring.right()},
             {buffer + blocks.offset(receive_block), blocks.size(receive_block), ring.left()}, comm);
  }
}

}  // namespace

void allreduce_ring(void* buffer, std::size_t count, DataType type, ReduceOp op, MPI_Comm comm) {
  auto* bytes = static_cast<std::byte*>(buffer);
  const Blocks blocks{count, static_cast<std::size_t>(comm_size(comm)), size_of(type)};
  ring_reduce_scatter(bytes, bytes + blocks.offset(comm_rank(comm)), blocks, type, op, comm);
  ring_allgather(bytes, blocks, comm);
}

void reduce_scatter_ring(const void* send, void* recv, std::size_t recv_count, DataType type, ReduceOp op,
                         MPI_Comm comm) {
  const std::size_t size = comm_size(comm);
  ring_reduce_scatter(static_cast<const std::byte*>(send), static_cast<std::byte*>(recv),
                      Blocks{recv_count * size, size, size_of(type)}, type, op, comm);
}

void allgather_ring(const void* send, void* recv, std::size_t send_count, DataType type, MPI_Comm comm) {
  const std::size_t size = comm_size(comm);
  const Blocks blocks{send_count * size, size, size_of(type)};
  auto* bytes = static_cast<std::byte*>(recv);
  if (send != nullptr) {
    copy_bytes(bytes + blocks.offset(comm_rank(comm)), static_cast<const std::byte*>(send), blocks.size(0));
  }
  ring_allgather(bytes, blocks, comm);
}

}  // namespace sciperf::comm
