#include "kernels/comm/algorithms.h"
#include "suites/collectives/collective.h"

namespace sciperf::suites {
namespace {

class ReduceScatter : public Collective {
 public:
  std::string_view name() const override { return "reduce_scatter"; }
  std::vector<std::string_view> own_algorithms() const override { return {"ring"}; }
  bool reduces() const override { return true; }
  double bus_factor(int ranks) const override { return static_cast<double>(ranks - 1) / ranks; }
  Layout layout(std::size_t count, int ranks, int rank) const override {
    const std::size_t block = count / static_cast<std::size_t>(ranks);
    return {block * ranks, block * ranks, block, ranks, rank};
  }
  // MPI's in-place form takes the whole input in the receive buffer and leaves this rank's
  // block at its start.
  std::optional<std::size_t> in_place_offset(const Layout&, std::string_view algorithm) const override {
    if (algorithm == "mpi") return 0;
    return std::nullopt;
  }
  Expected expected(const Layout& layout, ReduceOp op, std::size_t index) const override {
    return reduce_over_ranks(op, layout.ranks, static_cast<std::size_t>(layout.rank) * layout.recv_count + index);
  }

  void run(const CollectiveCall& c) const override {
    const std::size_t block = c.layout.recv_count;
    if (c.algorithm == "mpi")
      MPI_Reduce_scatter_block(c.send ? c.send : MPI_IN_PLACE, c.recv, static_cast<int>(block), comm::mpi_datatype(c.type),
                               comm::mpi_op(c.type, c.op), c.comm);
    else
      comm::reduce_scatter_ring(c.send, c.recv, block, c.type, c.op, c.comm);
  }
};

}  // namespace

const Collective& reduce_scatter_collective() {
  static const ReduceScatter instance;
  return instance;
}

}  // namespace sciperf::suites
