#include "suites/common/model_params.h"

namespace sciperf::suites {

std::vector<ParamSpec> model_param_specs() {
  return {
      {"model", ParamKind::text, std::string("mlp"), "Model of the zoo (kernels/models)", models::model_names(), {}, {}},
      {"size", ParamKind::text, std::string("tiny"), "Model size preset", models::size_names(), {}, {}},
      {"layers", ParamKind::integer, std::int64_t{0}, "Transformer layers (0: the size preset's)", {}, 0.0, 1024.0},
      {"width", ParamKind::integer, std::int64_t{0}, "Transformer width (0: the size preset's)", {}, 0.0, 65536.0},
      {"heads", ParamKind::integer, std::int64_t{0}, "Transformer attention heads (0: the size preset's)", {}, 0.0, 1024.0},
      {"seq_len", ParamKind::integer, std::int64_t{0}, "Transformer sequence length (0: the size preset's)", {}, 0.0, 65536.0},
  };
}

std::vector<ParamSpec> model_run_param_specs(const std::string& seed_help) {
  return {
      {"precision", ParamKind::text, std::string("fp32"), "fp32, or bf16 autocast (parameters stay fp32)", {"fp32", "bf16"}, {}, {}},
      {"device", ParamKind::text, std::string("cpu"), "cpu, or cuda (one GPU per rank)", {"cpu", "cuda"}, {}, {}},
      {"seed", ParamKind::integer, std::int64_t{1}, seed_help, {}, 0.0, {}},
  };
}

std::vector<ParamSpec> with_model_params(std::vector<ParamSpec> own, const std::string& seed_help) {
  std::vector<ParamSpec> specs = model_param_specs();
  specs.insert(specs.end(), own.begin(), own.end());
  for (ParamSpec& spec : model_run_param_specs(seed_help)) specs.push_back(std::move(spec));
  return specs;
}

models::ModelOptions model_options_of(const Params& params) {
  return {params.text("model"),
          params.text("size"),
          static_cast<int>(params.integer("layers")),
          static_cast<int>(params.integer("width")),
          static_cast<int>(params.integer("heads")),
          static_cast<int>(params.integer("seq_len")),
          static_cast<std::uint64_t>(params.integer("seed"))};
}

}  // namespace sciperf::suites
