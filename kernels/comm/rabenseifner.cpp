// Rabenseifner's all-reduce: a reduce-scatter by recursive halving (each step swaps half of
// the blocks still in play and reduces the other half), then an all-gather by recursive
// doubling. log2(n) steps like recursive doubling, but only 2(n-1)/n of the buffer moves.
#include "kernels/comm/algorithms.h"
#include "kernels/comm/blocks.h"
#include "kernels/comm/point_to_point.h"
#include "kernels/comm/power_of_two.h"

#include <vector>

namespace sciperf::comm {
namespace {

// On return member v of the group holds block v (bytes [edges[v], edges[v + 1])) reduced
// over the group. Every block is reduced on exactly one rank.
void halving_reduce_scatter(std::byte* data, std::span<const std::size_t> edges, DataType type, ReduceOp op,
                            std::span<std::byte> staging, const PowerOfTwoFold& fold, MPI_Comm comm) {
  const int me = fold.group_rank();
  int low = 0;  // this rank is still responsible for blocks [low, high)
  int high = fold.group_size();
  for (int distance = fold.group_size() / 2; distance >= 1; distance /= 2) {
    const int middle = low + distance;
    const bool keep_upper = (me & distance) != 0;
    const int keep_low = keep_upper ? middle : low;
    const int keep_high = keep_upper ? high : middle;
    const int give_low = keep_upper ? low : middle;
    const int give_high = keep_upper ? middle : high;
    const int partner = me ^ distance;
    const int peer = fold.rank_of(partner);
    exchange_reduce({data + edges[give_low], edges[give_high] - edges[give_low], peer},
                    {data + edges[keep_low], edges[keep_high] - edges[keep_low], peer}, nullptr,
                    {type, op, partner < me}, staging, comm);
    low = keep_low;
    high = keep_high;
  }
}

}  // namespace

void allreduce_rabenseifner(void* buffer, std::size_t count, DataType type, ReduceOp op, MPI_Comm comm) {
  const PowerOfTwoFold fold(comm_rank(comm), comm_size(comm));
  auto* data = static_cast<std::byte*>(buffer);
  const std::size_t bytes = count * size_of(type);
  const std::size_t staging_bytes = reduce_staging_bytes(bytes);
  auto staging = allocate_scratch(staging_bytes);
  fold.reduce_in(data, bytes, type, op, {staging.get(), staging_bytes}, comm);
  if (!fold.sits_out()) {
    const Blocks blocks{count, static_cast<std::size_t>(fold.group_size()), size_of(type)};
    std::vector<std::size_t> edges(fold.group_size() + 1);
    for (int member = 0; member <= fold.group_size(); ++member) {
      edges[member] = blocks.offset(member);
    }
    halving_reduce_scatter(data, edges, type, op, {staging.get(), staging_bytes}, fold, comm);
    doubling_allgather(data, edges, fold, comm);
  }
  fold.hand_back(data, bytes, comm);
}

}  // namespace sciperf::comm
