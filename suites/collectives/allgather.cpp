#include "kernels/comm/algorithms.h"
#include "suites/collectives/collective.h"

namespace sciperf::suites {
namespace {

class AllGather : public Collective {
 public:
  std::string_view name() const override { return "allgather"; }
  std::vector<std::string_view> own_algorithms() const override { return {"ring", "recursive_doubling"}; }
  bool reduces() const override { return false; }
  double bus_factor(int ranks) const override { return static_cast<double>(ranks - 1) / ranks; }
  Layout layout(std::size_t count, int ranks, int rank) const override {
    const std::size_t block = count / static_cast<std::size_t>(ranks);
    return {block * ranks, block, block * ranks, ranks, rank};
  }
  // In place, this rank's contribution already sits in its own block of the output.
  std::optional<std::size_t> in_place_offset(const Layout& layout, std::string_view) const override {
    return static_cast<std::size_t>(layout.rank) * layout.send_count;
  }
  Expected expected(const Layout& layout, ReduceOp op, std::size_t index) const override {
    const auto source = static_cast<int>(index / layout.send_count);
    const double value = input_value(op, false, source, index % layout.send_count);
    return {value, 0};
  }

  void run(const CollectiveCall& c) const override {
    const std::size_t block = c.layout.send_count;
    if (c.algorithm == "mpi") {
      const MPI_Datatype type = comm::mpi_datatype(c.type);
      MPI_Allgather(c.send ? c.send : MPI_IN_PLACE, static_cast<int>(block), type, c.recv, static_cast<int>(block), type,
                    c.comm);
    } else if (c.algorithm == "ring") {
      comm::allgather_ring(c.send, c.recv, block, c.type, c.comm);
    } else {
      comm::allgather_recursive_doubling(c.send, c.recv, block, c.type, c.comm);
    }
  }
};

}  // namespace

const Collective& allgather_collective() {
  static const AllGather instance;
  return instance;
}

}  // namespace sciperf::suites
