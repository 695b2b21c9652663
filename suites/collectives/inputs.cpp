#include "suites/collectives/collective.h"

#include <cmath>

namespace sciperf::suites {

double input_value(ReduceOp op, bool reducing, int rank, std::size_t index) {
  const auto r = static_cast<long long>(rank);
  const auto i = static_cast<long long>(index % 1'000'003);
  if (!reducing) return static_cast<double>((r * 37 + i * 11) % 201 - 100);
  switch (op) {
    case ReduceOp::sum: return static_cast<double>((r * 7 + i * 3) % 9 - 4);
    case ReduceOp::prod: return (r + i) % 3 == 0 ? -1.0 : 1.0;
    case ReduceOp::min:
    case ReduceOp::max: return static_cast<double>((r * 5 + i * 11) % 17 - 8);
  }
  return 0;
}

Expected reduce_over_ranks(ReduceOp op, int ranks, std::size_t index) {
  Expected out{input_value(op, true, 0, index), std::fabs(input_value(op, true, 0, index))};
  for (int r = 1; r < ranks; ++r) {
    const double x = input_value(op, true, r, index);
    out.magnitude += std::fabs(x);
    out.value = comm::reduce_reference(op, out.value, x);
  }
  return out;
}

const std::vector<const Collective*>& all_collectives() {
  static const std::vector<const Collective*> collectives{&allreduce_collective(), &reduce_scatter_collective(),
                                                          &allgather_collective(), &broadcast_collective(),
                                                          &alltoall_collective()};
  return collectives;
}

const Collective* find_collective(std::string_view name) {
  for (const Collective* collective : all_collectives())
    if (collective->name() == name) return collective;
  return nullptr;
}

}  // namespace sciperf::suites
