#include "kernels/comm/power_of_two.h"

#include <bit>

namespace sciperf::comm {

PowerOfTwoFold::PowerOfTwoFold(int rank, int size)
    : rank_(rank), group_size_(static_cast<int>(std::bit_floor(static_cast<unsigned>(size)))),
      extra_(size - group_size_) {}

int PowerOfTwoFold::fold_partner() const { return rank_ < 2 * extra_ ? rank_ ^ 1 : MPI_PROC_NULL; }

void PowerOfTwoFold::reduce_in(std::byte* buffer, std::size_t bytes, DataType type, ReduceOp op,
                               std::span<std::byte> staging, MPI_Comm comm) const {
  if (fold_partner() == MPI_PROC_NULL) {
    return;
  }
  if (sits_out()) {
    send_for_reduction({buffer, bytes, fold_partner()}, comm);
  } else {
    // The lender is the lower rank, so its data is the left operand.
    exchange_reduce({}, {buffer, bytes, fold_partner()}, nullptr, {type, op, /*received_first=*/true}, staging, comm);
  }
}

void PowerOfTwoFold::hand_back(std::byte* buffer, std::size_t bytes, MPI_Comm comm) const {
  if (fold_partner() == MPI_PROC_NULL) {
    return;
  }
  if (sits_out()) {
    exchange({}, {buffer, bytes, fold_partner()}, comm);
  } else {
    exchange({buffer, bytes, fold_partner()}, {}, comm);
  }
}

void doubling_allgather(std::byte* buffer, std::span<const std::size_t> edges, const PowerOfTwoFold& fold,
                        MPI_Comm comm) {
  const int me = fold.group_rank();
  for (int distance = 1; distance < fold.group_size(); distance *= 2) {
    // Both halves of the pair hold `distance` consecutive members' data by now.
    const int mine = me & ~(distance - 1);
    const int theirs = mine ^ distance;
    const int peer = fold.rank_of(me ^ distance);
    exchange({buffer + edges[mine], edges[mine + distance] - edges[mine], peer},
             {buffer + edges[theirs], edges[theirs + distance] - edges[theirs], peer}, comm);
  }
}

}  // namespace sciperf::comm
