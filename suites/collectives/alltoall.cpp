#include "kernels/comm/algorithms.h"
#include "suites/collectives/collective.h"

namespace sciperf::suites {
namespace {

class AllToAll : public Collective {
 public:
  std::string_view name() const override { return "alltoall"; }
  std::vector<std::string_view> own_algorithms() const override { return {"pairwise"}; }
  bool reduces() const override { return false; }
  double bus_factor(int ranks) const override { return static_cast<double>(ranks - 1) / ranks; }
  Layout layout(std::size_t count, int ranks, int rank) const override {
    const std::size_t total = count / static_cast<std::size_t>(ranks) * ranks;
    return {total, total, total, ranks, rank};
  }
  std::optional<std::size_t> in_place_offset(const Layout&, std::string_view algorithm) const override {
    if (algorithm == "mpi") return 0;
    return std::nullopt;
  }
  // Block s of this rank's output is block `rank` of rank s's input.
  Expected expected(const Layout& layout, ReduceOp op, std::size_t index) const override {
    const std::size_t block = layout.count / layout.ranks;
    const auto source = static_cast<int>(index / block);
    return {input_value(op, false, source, static_cast<std::size_t>(layout.rank) * block + index % block), 0};
  }

  void run(const CollectiveCall& c) const override {
    const std::size_t block = c.layout.count / c.layout.ranks;
    if (c.algorithm == "mpi") {
      const MPI_Datatype type = comm::mpi_datatype(c.type);
      MPI_Alltoall(c.send ? c.send : MPI_IN_PLACE, static_cast<int>(block), type, c.recv, static_cast<int>(block), type,
                   c.comm);
    } else {
      comm::alltoall_pairwise(c.send, c.recv, block, c.type, c.comm);
    }
  }
};

}  // namespace

const Collective& alltoall_collective() {
  static const AllToAll instance;
  return instance;
}

}  // namespace sciperf::suites
