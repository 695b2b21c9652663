#include "kernels/comm/algorithms.h"
#include "suites/collectives/collective.h"

#include <cstring>

namespace sciperf::suites {
namespace {

class AllReduce : public Collective {
 public:
  std::string_view name() const override { return "allreduce"; }
  std::vector<std::string_view> own_algorithms() const override {
    return {"ring", "recursive_doubling", "rabenseifner", "binary_tree"};
  }
  bool reduces() const override { return true; }
  double bus_factor(int ranks) const override { return 2.0 * (ranks - 1) / ranks; }
  Layout layout(std::size_t count, int ranks, int rank) const override { return {count, count, count, ranks, rank}; }
  std::optional<std::size_t> in_place_offset(const Layout&, std::string_view) const override { return 0; }
  Expected expected(const Layout& layout, ReduceOp op, std::size_t index) const override {
    return reduce_over_ranks(op, layout.ranks, index);
  }

  void run(const CollectiveCall& c) const override {
    const std::size_t count = c.layout.count;
    if (c.algorithm == "mpi") {
      MPI_Allreduce(c.send ? c.send : MPI_IN_PLACE, c.recv, static_cast<int>(count), comm::mpi_datatype(c.type),
                    comm::mpi_op(c.type, c.op), c.comm);
      return;
    }
    // Our algorithms reduce in place; out of place starts with the copy MPI would make too.
    if (c.send) std::memcpy(c.recv, c.send, count * comm::size_of(c.type));
    if (c.algorithm == "ring") comm::allreduce_ring(c.recv, count, c.type, c.op, c.comm);
    else if (c.algorithm == "recursive_doubling") comm::allreduce_recursive_doubling(c.recv, count, c.type, c.op, c.comm);
    else if (c.algorithm == "rabenseifner") comm::allreduce_rabenseifner(c.recv, count, c.type, c.op, c.comm);
    else comm::allreduce_binary_tree(c.recv, count, c.type, c.op, c.comm);
  }
};

}  // namespace

const Collective& allreduce_collective() {
  static const AllReduce instance;
  return instance;
}

}  // namespace sciperf::suites
