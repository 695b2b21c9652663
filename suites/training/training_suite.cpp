#include "suites/training/training_suite.h"

#include "suites/common/model_params.h"
#include "suites/training/gradient_buckets.h"
#include "suites/training/training_case.h"

#include <torch/torch.h>

namespace sciperf::suites {
namespace {

const std::vector<ParamSpec>& specs() {
  static const std::vector<ParamSpec> params = with_model_params(
      {
          {"batch", ParamKind::integer, std::int64_t{64}, "Samples per rank per step", {}, 1.0, {}},
          {"optimizer", ParamKind::text, std::string("adamw"), "Optimizer (sgd with momentum 0.9)", {"sgd", "adam", "adamw"}, {}, {}},
          {"learning_rate", ParamKind::real, 1e-3, "Optimizer learning rate", {}, 0.0, 10.0},
          {"bucket", ParamKind::size, std::int64_t{25} << 20, "Gradient bucket size for the all-reduce", {}, 1.0, {}},
          {"overlap", ParamKind::boolean, true, "Start each bucket's all-reduce from backward's gradient hooks", {}, {}, {}},
          {"allreduce", ParamKind::text, std::string("mpi"), "mpi: the library's; nccl: NCCL on the GPU (device: cuda); others: ours in kernels/comm",
           training::allreduce_backends(), {}, {}},
          {"data", ParamKind::text, std::string("science"), "science: the task's generated data; random: throughput only",
           {"science", "random"}, {}, {}},
          {"target", ParamKind::boolean, true,
           "Train to the task's target loss first and report time_to_target (science data)", {}, {}, {}},
          {"max_steps", ParamKind::integer, std::int64_t{2000}, "Steps allowed to reach the target", {}, 1.0, {}},
          {"eval_every", ParamKind::integer, std::int64_t{25}, "Steps between held-out evaluations", {}, 1.0, {}},
          {"mllog", ParamKind::boolean, false, "Write :::MLLOG lines to mllog/<case>.log beside the bundle", {}, {}, {}},
      },
      "Seed of the parameters and the data");
  return params;
}

training::TrainingSettings settings_of(const Params& params) {
  training::TrainingSettings s;
  s.model = model_options_of(params);
  s.data = params.text("data") == "random" ? models::DataMode::random : models::DataMode::science;
  s.batch = params.integer("batch");
  s.bf16 = params.text("precision") == "bf16";
  s.optimizer = params.text("optimizer");
  s.learning_rate = params.real("learning_rate");
  s.bucket_bytes = params.integer("bucket");
  s.overlap = params.boolean("overlap");
  s.allreduce = params.text("allreduce");
  s.to_target = params.boolean("target");
  s.max_steps = params.integer("max_steps");
  s.eval_every = params.integer("eval_every");
  s.mllog = params.boolean("mllog");
  s.device = params.text("device");
  return s;
}

}  // namespace

std::string_view TrainingSuite::name() const { return "training"; }

std::string_view TrainingSuite::description() const {
  return "Data-parallel training of the model zoo on generated science data: samples/s, step phases, scaling "
         "efficiency, time to target loss; gradients checked against one process's";
}

const std::vector<ParamSpec>& TrainingSuite::params() const { return specs(); }

std::optional<std::string> TrainingSuite::skip_reason(const Params& params, const CaseContext& context) const {
  (void)context;
  if (auto why = training::allreduce_unavailable_reason(params.text("allreduce"), params.text("device"))) return why;
  if (params.text("device") == "cuda" && !torch::cuda::is_available()) return "no CUDA device visible to LibTorch";
  return std::nullopt;
}

std::unique_ptr<CaseInstance> TrainingSuite::prepare(const Params& params, const CaseContext& context) const {
  return std::make_unique<training::TrainingCase>(settings_of(params), context);
}

std::vector<std::string> TrainingSuite::headline_metrics() const { return {"samples_per_s", "time_to_target"}; }

}  // namespace sciperf::suites
