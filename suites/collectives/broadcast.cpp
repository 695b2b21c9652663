#include "kernels/comm/algorithms.h"
#include "suites/collectives/collective.h"

namespace sciperf::suites {
namespace {

constexpr int kRoot = 0;

// One buffer on every rank: the root's input is the buffer's content before the call, so
// the suite treats broadcast as an in-place operation.
class Broadcast : public Collective {
 public:
  std::string_view name() const override { return "broadcast"; }
  std::vector<std::string_view> own_algorithms() const override { return {"binomial_tree"}; }
  bool reduces() const override { return false; }
  bool single_buffer() const override { return true; }
  bool contributes(const Layout& layout) const override { return layout.rank == kRoot; }
  double bus_factor(int) const override { return 1.0; }
  Layout layout(std::size_t count, int ranks, int rank) const override { return {count, count, count, ranks, rank}; }
  std::optional<std::size_t> in_place_offset(const Layout&, std::string_view) const override { return 0; }
  Expected expected(const Layout&, ReduceOp op, std::size_t index) const override {
    return {input_value(op, false, kRoot, index), 0};
  }

  void run(const CollectiveCall& c) const override {
    if (c.algorithm == "mpi")
      MPI_Bcast(c.recv, static_cast<int>(c.layout.count), comm::mpi_datatype(c.type), kRoot, c.comm);
    else
      comm::broadcast_binomial_tree(c.recv, c.layout.count, c.type, kRoot, c.comm);
  }
};

}  // namespace

const Collective& broadcast_collective() {
  static const Broadcast instance;
  return instance;
}

}  // namespace sciperf::suites
