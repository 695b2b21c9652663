#include "suites/collectives/collectives_suite.h"

#include "harness/inventory.h"
#include "harness/units.h"
#include "suites/collectives/collective_case.h"
#include "suites/collectives/nccl_case.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <climits>

namespace sciperf::suites {
namespace {

// Leave room for the OS and everything else on the node.
constexpr double kUsableMemoryFraction = 0.8;

std::vector<std::string> collective_names() {
  std::vector<std::string> names;
  for (const Collective* collective : all_collectives()) names.emplace_back(collective->name());
  return names;
}

std::vector<std::string> algorithm_names() {
  std::vector<std::string> names{"mpi", "nccl"};
  for (const Collective* collective : all_collectives())
    for (std::string_view algorithm : collective->own_algorithms())
      if (std::find(names.begin(), names.end(), algorithm) == names.end()) names.emplace_back(algorithm);
  return names;
}

const std::vector<ParamSpec>& specs() {
  static const std::vector<ParamSpec> params{
      {"collective", ParamKind::text, std::string("allreduce"), "The collective operation", collective_names(), {}, {}},
      {"algorithm", ParamKind::text, std::string("mpi"),
       "mpi: the MPI library's; nccl: NCCL, one GPU per rank; others: ours in kernels/comm",
       algorithm_names(), {}, {}},
      {"dtype", ParamKind::text, std::string("float32"), "Element type",
       {"float32", "float64", "int32", "bfloat16", "float16"}, {}, {}},
      {"op", ParamKind::text, std::string("sum"), "Reduction (reducing collectives only)", {"sum", "prod", "min", "max"}, {}, {}},
      {"in_place", ParamKind::boolean, false, "Output overwrites the input buffer", {}, {}, {}},
      {"bytes", ParamKind::size, std::int64_t{1 << 20}, "Message size (nccl-tests' size: algbw = bytes / time)", {}, 1.0, {}},
  };
  return params;
}

CollectiveSettings settings_of(const Params& params) {
  return {find_collective(params.text("collective")), params.text("algorithm"),
          *comm::parse_data_type(params.text("dtype")), *comm::parse_reduce_op(params.text("op")), params.boolean("in_place"),
          static_cast<std::size_t>(params.integer("bytes"))};
}

std::optional<std::string> algorithm_problem(const CollectiveSettings& s) {
  const auto own = s.collective->own_algorithms();
  if (s.algorithm == "mpi" || s.algorithm == "nccl" || std::find(own.begin(), own.end(), s.algorithm) != own.end())
    return std::nullopt;
  return fmt::format("algorithm '{}' does not apply to {} (available: mpi, nccl, {})", s.algorithm, s.collective->name(),
                     fmt::join(own, ", "));
}

std::optional<std::string> memory_problem(const CollectiveSettings& s, const CaseContext& context) {
  const std::size_t per_rank = buffer_bytes(s, context.size, context.rank);
  const auto available = available_memory_bytes();
  const auto ranks_here = static_cast<std::size_t>(std::min(context.ranks_per_node, context.size));
  if (!available || per_rank * ranks_here <= kUsableMemoryFraction * static_cast<double>(*available)) return std::nullopt;
  return fmt::format("needs {} per rank x {} ranks on this node; {} available", format_size(per_rank), ranks_here,
                     format_size(*available));
}

}  // namespace

std::string_view CollectivesSuite::name() const { return "collectives"; }

std::string_view CollectivesSuite::description() const {
  return "All-reduce, reduce-scatter, all-gather, broadcast and all-to-all over MPI: the library's and our own "
         "algorithms, every output validated";
}

const std::vector<ParamSpec>& CollectivesSuite::params() const { return specs(); }

std::vector<std::string> CollectivesSuite::headline_metrics() const { return {"time_avg", "busbw"}; }

std::optional<std::string> CollectivesSuite::skip_reason(const Params& params, const CaseContext& context) const {
  const CollectiveSettings s = settings_of(params);
  if (auto problem = algorithm_problem(s)) return problem;
  if (s.algorithm == "nccl")
    if (auto problem = nccl_unavailable_reason(context)) return problem;
  if (!s.collective->reduces() && s.op != ReduceOp::sum)
    return fmt::format("{} does not reduce; op applies only to allreduce and reduce_scatter", s.collective->name());
  if (s.collective->single_buffer() && s.in_place)
    return fmt::format("{} has a single buffer; it is measured with in_place: false", s.collective->name());
  const Layout layout = s.collective->layout(s.bytes / comm::size_of(s.type), context.size, context.rank);
  if (s.in_place && !s.collective->in_place_offset(layout, s.algorithm))
    return fmt::format("algorithm '{}' has no in-place form for {}", s.algorithm, s.collective->name());
  if (layout.count == 0)
    return fmt::format("{} holds fewer {} elements than the {} ranks need", format_size(s.bytes), comm::to_string(s.type),
                       context.size);
  if (layout.count > static_cast<std::size_t>(INT_MAX)) return "more than 2^31 - 1 elements: MPI counts are int";
  return memory_problem(s, context);
}

std::unique_ptr<CaseInstance> CollectivesSuite::prepare(const Params& params, const CaseContext& context) const {
  const CollectiveSettings settings = settings_of(params);
  if (settings.algorithm == "nccl") return make_nccl_case(settings, context);
  return std::make_unique<CollectiveCase>(settings, context);
}

}  // namespace sciperf::suites
