// Recursive doubling and halving pair ranks across powers of two. For other sizes the first
// 2 * extra ranks pair off first, as in MPICH: each even one lends its data to the odd one
// above it and sits the main phase out, then gets the result back.
#pragma once

#include "kernels/comm/point_to_point.h"

#include <cstddef>
#include <span>

namespace sciperf::comm {

class PowerOfTwoFold {
 public:
  PowerOfTwoFold(int rank, int size);

  int group_size() const { return group_size_; }
  bool sits_out() const { return rank_ < 2 * extra_ && rank_ % 2 == 0; }
  // This rank's place in the power-of-two group; only for ranks that do not sit out.
  int group_rank() const { return rank_ < 2 * extra_ ? rank_ / 2 : rank_ - extra_; }
  // The rank that acts for group member v.
  int rank_of(int v) const { return v < extra_ ? 2 * v + 1 : v + extra_; }
  // The lowest rank whose data group member v carries; first_rank_of(group_size()) == size.
  int first_rank_of(int v) const { return v < extra_ ? 2 * v : v + extra_; }
  // The rank this one pairs off with before and after the main phase, or MPI_PROC_NULL.
  int fold_partner() const;

  // Before a reduction's main phase: the lender's buffer is reduced into its partner's.
  void reduce_in(std::byte* buffer, std::size_t bytes, DataType type, ReduceOp op, std::span<std::byte> staging,
                 MPI_Comm comm) const;
  // After it: the partner hands the finished buffer back to the lender.
  void hand_back(std::byte* buffer, std::size_t bytes, MPI_Comm comm) const;

 private:
  int rank_;
  int group_size_;
  int extra_;
};

// All-gather by recursive doubling within the group: member v owns buffer bytes
// [edges[v], edges[v + 1]) on entry and every byte of [edges[0], edges[group_size]) on return.
// Ranks that sit out must not call it.
void doubling_allgather(std::byte* buffer, std::span<const std::size_t> edges, const PowerOfTwoFold& fold,
                        MPI_Comm comm);

}  // namespace sciperf::comm
