// What one collective adds to the shared collectives harness (as in nccl-tests: buffer
// shape, expected result, bandwidth factor, and the call). Everything else — buffers,
// inputs, checking, timing, metrics — is common and lives in collective_case.cpp.
#pragma once

#include "kernels/comm/datatypes.h"

#include <mpi.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sciperf::suites {

using comm::DataType;
using comm::ReduceOp;

// Element counts for one operation on one rank. `count` is the operation's size in
// nccl-tests' sense (algbw = count * element size / time).
struct Layout {
  std::size_t count;
  std::size_t send_count;
  std::size_t recv_count;
  int ranks;
  int rank;
};

// The expected value of one output element, and the sum of the magnitudes of the terms
// that produced it (the scale of a floating-point sum's rounding error).
struct Expected {
  double value;
  double magnitude;
};

// One operation's arguments. `send` is null for in-place operations, whose input sits in
// `recv` at the collective's in-place offset.
struct CollectiveCall {
  std::string_view algorithm;
  const void* send;
  void* recv;
  const Layout& layout;
  DataType type;
  ReduceOp op;
  MPI_Comm comm;
};

class Collective {
 public:
  virtual ~Collective() = default;
  virtual std::string_view name() const = 0;
  // Our own algorithms for it besides "mpi" (and "nccl" where the build has NCCL).
  virtual std::vector<std::string_view> own_algorithms() const = 0;
  virtual bool reduces() const = 0;
  // One buffer that is both input and output (broadcast): always run in place.
  virtual bool single_buffer() const { return false; }
  // Whether this rank has an input (broadcast: only the root).
  virtual bool contributes(const Layout& layout) const {
    (void)layout;
    return true;
  }
  // busbw / algbw, from nccl-tests.
  virtual double bus_factor(int ranks) const = 0;
  // `count` rounded down to what the collective can split evenly over the ranks.
  virtual Layout layout(std::size_t count, int ranks, int rank) const = 0;
  // Where an in-place input starts in the receive buffer (elements), or nullopt when the
  // algorithm has no in-place form.
  virtual std::optional<std::size_t> in_place_offset(const Layout& layout, std::string_view algorithm) const = 0;
  // The expected output element `index` on `layout.rank`, given every rank's inputs.
  virtual Expected expected(const Layout& layout, ReduceOp op, std::size_t index) const = 0;
  virtual void run(const CollectiveCall& call) const = 0;
};

// Rank `rank`'s input element `index`: small integers, exact in every type we test, that
// differ between ranks and indices so misplaced data shows. Products stay at +-1.
double input_value(ReduceOp op, bool reducing, int rank, std::size_t index);

// The reduction of input element `index` over all ranks.
Expected reduce_over_ranks(ReduceOp op, int ranks, std::size_t index);

// Every collective the suite knows, in a fixed order.
const std::vector<const Collective*>& all_collectives();
const Collective* find_collective(std::string_view name);

// Each collective's instance, defined in its own file.
const Collective& allreduce_collective();
const Collective& reduce_scatter_collective();
const Collective& allgather_collective();
const Collective& broadcast_collective();
const Collective& alltoall_collective();

}  // namespace sciperf::suites
