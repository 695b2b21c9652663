#include "suites/inference/inference_suite.h"

#include "suites/common/model_params.h"
#include "suites/inference/inference_case.h"

#include <torch/torch.h>

namespace sciperf::suites {
namespace {

const std::vector<ParamSpec>& specs() {
  static const std::vector<ParamSpec> params = with_model_params(
      {
          {"scenario", ParamKind::text, std::string("single_stream"), "MLPerf LoadGen scenario",
           {"single_stream", "multi_stream", "server", "offline"}, {}, {}},
          {"batch", ParamKind::integer, std::int64_t{64}, "Server and Offline: samples the model runs at once", {}, 1.0, {}},
          {"samples_per_query", ParamKind::integer, std::int64_t{0},
           "Samples per query (0: the scenario's: 1, MultiStream 8, Offline all)", {}, 0.0, {}},
          {"target_qps", ParamKind::real, 1000.0, "Server: mean Poisson arrival rate per rank (queries/s)", {}, 1e-3, {}},
          {"latency_bound", ParamKind::duration, 0.01, "Server: the p99 latency a valid run meets", {}, 1e-9, {}},
          {"duration", ParamKind::duration, 1.0, "Minimum run time of each repetition", {}, 0.0, {}},
          {"max_duration", ParamKind::duration, 60.0, "A repetition never runs longer", {}, 1e-3, {}},
          {"queries", ParamKind::integer, std::int64_t{0}, "Minimum queries (0: the early-stopping minimum)", {}, 0.0, {}},
          {"qps_search", ParamKind::boolean, false, "Server: search the highest QPS whose p99 meets latency_bound", {}, {}, {}},
          {"search_budget", ParamKind::duration, 30.0, "Server QPS search: time allowed", {}, 0.1, {}},
          {"samples", ParamKind::integer, std::int64_t{1024}, "Held-out samples in the sample library", {}, 1.0, {}},
          {"train", ParamKind::boolean, true,
           "Train the model to its task's target first and record its held-out quality", {}, {}, {}},
      },
      "Seed of the parameters, the data and the arrivals");
  return params;
}

inference::InferenceSettings settings_of(const Params& params) {
  inference::InferenceSettings s;
  s.model = model_options_of(params);
  s.bf16 = params.text("precision") == "bf16";
  s.device = params.text("device");
  s.max_batch = params.integer("batch");
  s.samples = params.integer("samples");
  s.train = params.boolean("train");
  s.qps_search = params.boolean("qps_search");
  loadgen::TestSettings& l = s.loadgen;
  l.scenario = loadgen::to_scenario(params.text("scenario"));
  l.samples_per_query = static_cast<std::size_t>(params.integer("samples_per_query"));
  l.target_qps = params.real("target_qps");
  l.latency_bound = params.real("latency_bound");
  l.min_duration = params.real("duration");
  l.max_duration = params.real("max_duration");
  l.min_queries = static_cast<std::uint64_t>(params.integer("queries"));
  l.search_budget = params.real("search_budget");
  l.seed = static_cast<std::uint64_t>(params.integer("seed"));
  return s;
}

}  // namespace

std::string_view InferenceSuite::name() const { return "inference"; }

std::string_view InferenceSuite::description() const {
  return "Serving the model zoo under MLPerf LoadGen's scenarios: latency percentiles merged across ranks, "
         "throughput, highest Server QPS within a bound; served outputs checked against the model's";
}

const std::vector<ParamSpec>& InferenceSuite::params() const { return specs(); }

std::optional<std::string> InferenceSuite::skip_reason(const Params& params, const CaseContext& context) const {
  if (params.text("device") == "cuda" && !torch::cuda::is_available()) return "no CUDA device visible to LibTorch";
  if (params.boolean("qps_search") && params.text("scenario") != "server") return "qps_search applies to the server scenario only";
  if (params.boolean("qps_search") && context.size > 1)
    return "qps_search runs on one rank (each rank would search alone and the QPS found would not be one system's)";
  return std::nullopt;
}

std::unique_ptr<CaseInstance> InferenceSuite::prepare(const Params& params, const CaseContext& context) const {
  return std::make_unique<inference::InferenceCase>(settings_of(params), context);
}

std::vector<std::string> InferenceSuite::headline_metrics() const {
  return {"latency_p90", "latency_p99", "samples_per_s"};
}

}  // namespace sciperf::suites
