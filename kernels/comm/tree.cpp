// Tree algorithms. Large buffers travel in segments so that the levels of the tree work at
// the same time, each forwarding one segment while receiving the next.
#include "kernels/comm/algorithms.h"
#include "kernels/comm/point_to_point.h"

#include <algorithm>
#include <array>
#include <bit>
#include <span>

namespace sciperf::comm {
namespace {

// A rank's place in a spanning tree. The root's parent is MPI_PROC_NULL, which turns its
// receives and sends towards the parent into no-ops.
class TreeLinks {
 public:
  int parent = MPI_PROC_NULL;

  void add_child(int rank) { children_[num_children_++] = rank; }
  std::span<const int> children() const { return {children_.data(), num_children_}; }

 private:
  // Enough for a binomial tree over any int-sized communicator.
  std::array<int, 32> children_{};
  std::size_t num_children_ = 0;
};

TreeLinks binary_tree(int rank, int size) {
  TreeLinks links;
  if (rank > 0) {
    links.parent = (rank - 1) / 2;
  }
  for (int child : {2 * rank + 1, 2 * rank + 2}) {
    if (child < size) {
      links.add_child(child);
    }
  }
  return links;
}

// Relative to the root, rank v receives from v minus its lowest set bit and sends to v + 2^k
// for every 2^k below that bit, largest subtree first so the deepest branch starts earliest.
TreeLinks binomial_tree(int rank, int size, int root) {
  const int relative = (rank - root + size) % size;
  auto absolute = [&](int v) { return (v + root) % size; };
  const int lowest_bit =
      relative == 0 ? static_cast<int>(std::bit_ceil(static_cast<unsigned>(size))) : relative & -relative;
  TreeLinks links;
  if (relative != 0) {
    links.parent = absolute(relative - lowest_bit);
  }
  for (int step = lowest_bit / 2; step >= 1; step /= 2) {
    if (relative + step < size) {
      links.add_child(absolute(relative + step));
    }
  }
  return links;
}

// Calls visit(offset, bytes) for each pipeline segment of a buffer.
template <class Visit>
void for_each_segment(std::size_t bytes, Visit visit) {
  for (std::size_t offset = 0; offset < bytes; offset += kPipelineBytes) {
    visit(offset, std::min(kPipelineBytes, bytes - offset));
  }
}

void tree_broadcast(std::byte* data, std::size_t bytes, const TreeLinks& links, MPI_Comm comm) {
  for_each_segment(bytes, [&](std::size_t offset, std::size_t segment) {
    exchange({}, {data + offset, segment, links.parent}, comm);
    for (int child : links.children()) {
      exchange({data + offset, segment, child}, {}, comm);
    }
  });
}

}  // namespace

void allreduce_binary_tree(void* buffer, std::size_t count, DataType type, ReduceOp op, MPI_Comm comm) {
  const TreeLinks links = binary_tree(comm_rank(comm), comm_size(comm));
  auto* data = static_cast<std::byte*>(buffer);
  const std::size_t bytes = count * size_of(type);
  const std::size_t staging_bytes = reduce_staging_bytes(bytes);
  auto staging = allocate_scratch(staging_bytes);
  // A parent's rank is below its children's, so its data goes first, as everywhere else.
  const Combine combine{type, op, /*received_first=*/false};
  for_each_segment(bytes, [&](std::size_t offset, std::size_t segment) {
    for (int child : links.children()) {
      exchange_reduce({}, {data + offset, segment, child}, nullptr, combine, {staging.get(), staging_bytes}, comm);
    }
    send_for_reduction({data + offset, segment, links.parent}, comm);
  });
  tree_broadcast(data, bytes, links, comm);
}

void broadcast_binomial_tree(void* buffer, std::size_t count, DataType type, int root, MPI_Comm comm) {
  tree_broadcast(static_cast<std::byte*>(buffer), count * size_of(type),
                 binomial_tree(comm_rank(comm), comm_size(comm), root), comm);
}

}  // namespace sciperf::comm
