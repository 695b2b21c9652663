#include "suites/compression/compression_suite.h"

#include "suites/common/model_params.h"
#include "suites/compression/compression_case.h"

namespace sciperf::suites {
namespace {

using compression::Variant;

const std::vector<ParamSpec>& specs() {
  static const std::vector<ParamSpec> params = [] {
    std::vector<ParamSpec> p = model_param_specs();
    const std::vector<ParamSpec> own{
        {"variant", ParamKind::text, std::string("int8_dynamic"), "The compressed variant", compression::variant_names(), {}, {}},
        {"engine", ParamKind::text, std::string("own"), "own: our kernels (kernels/cpu, one thread); libtorch: LibTorch's operators",
         {"own", "libtorch"}, {}, {}},
        {"granularity", ParamKind::text, std::string("per_channel"), "int8 weight scales: per output channel or per tensor",
         {"per_channel", "per_tensor"}, {}, {}},
        {"sparsity", ParamKind::real, 0.5, "prune: fraction of each layer's weights removed, in (0, 1)", {}, 0.0, 1.0},
        {"rank_ratio", ParamKind::real, 0.25, "low_rank: rank as a fraction of min(out, in), in (0, 1]", {}, 0.0, 1.0},
        {"rank", ParamKind::integer, std::int64_t{0}, "low_rank: an explicit rank for every layer (0: rank_ratio)", {}, 0.0, {}},
        {"batch", ParamKind::integer, std::int64_t{64}, "Samples per timed call", {}, 1.0, {}},
        {"duration", ParamKind::duration, 0.5, "Time per repetition, the dense and compressed models together", {}, 1e-3, {}},
        {"eval_samples", ParamKind::integer, std::int64_t{4096}, "Held-out samples for accuracy and output error", {}, 1.0, {}},
        {"calibration_samples", ParamKind::integer, std::int64_t{512}, "int8_static: training samples that set activation ranges",
         {}, 1.0, {}},
        {"seed", ParamKind::integer, std::int64_t{1}, "Seed of the model's parameters and data", {}, 0.0, {}},
    };
    p.insert(p.end(), own.begin(), own.end());
    return p;
  }();
  return params;
}

compression::VariantSpec variant_of(const Params& params) {
  compression::VariantSpec spec;
  spec.variant = compression::parse_variant(params.text("variant"));
  spec.per_channel = params.text("granularity") == "per_channel";
  spec.sparsity = params.real("sparsity");
  spec.rank_ratio = params.real("rank_ratio");
  spec.rank = params.integer("rank");
  return spec;
}

}  // namespace

std::string_view CompressionSuite::name() const { return "compression"; }

std::string_view CompressionSuite::description() const {
  return "Compressed variants of a trained model (fp16/bf16, int8 dynamic/static, pruning, 2:4, low rank) on our kernels "
         "and LibTorch: size, latency, throughput and speedup over dense, accuracy delta, output error";
}

const std::vector<ParamSpec>& CompressionSuite::params() const { return specs(); }

std::optional<std::string> CompressionSuite::skip_reason(const Params& params, const CaseContext&) const {
  if (params.text("model") != "mlp")
    return "compressed variants cover chains of Linear layers (the mlp) so far; " + params.text("model") + " is not one";
  return compression::unsupported(compression::parse_engine(params.text("engine")), variant_of(params));
}

// Values the config's bounds let through but a variant cannot use (sparsity 0 or 1, a rank
// above a layer's size) fail the case at set-up, naming the key and value.
std::unique_ptr<CaseInstance> CompressionSuite::prepare(const Params& params, const CaseContext& context) const {
  compression::CompressionSettings s;
  s.model = model_options_of(params);
  s.variant = variant_of(params);
  s.engine = compression::parse_engine(params.text("engine"));
  s.batch = params.integer("batch");
  s.duration = params.real("duration");
  s.eval_samples = params.integer("eval_samples");
  s.calibration_samples = params.integer("calibration_samples");
  return std::make_unique<compression::CompressionCase>(std::move(s), context);
}

std::vector<std::string> CompressionSuite::headline_metrics() const { return {"speedup", "accuracy_delta", "latency_p50"}; }

}  // namespace sciperf::suites
