#include "kernels/models/model.h"

#include "kernels/models/architectures.h"
#include "kernels/models/sample_rng.h"

#include <cmath>
#include <vector>

namespace sciperf::models {
namespace {

// Fills `tensor` with values uniform in [-bound, bound) from the stream of (seed, name).
void fill_uniform(torch::Tensor& tensor, double bound, std::uint64_t seed, const std::string& name) {
  SampleRng rng(seed, hash_name(name.c_str()));
  std::vector<float> values(static_cast<std::size_t>(tensor.numel()));
  for (float& value : values) value = static_cast<float>(bound * (2.0 * rng.uniform() - 1.0));
  tensor.copy_(torch::from_blob(values.data(), tensor.sizes(), torch::kFloat32));
}

// LibTorch's default distribution for Linear and Conv weights and biases, U(±1/sqrt(fan_in)),
// drawn from our own streams; 1-D weights (norm scales) 1 and their shifts 0. fan_in is a
// weight's elements per output row (per its first dimension), as PyTorch computes it.
void initialise_parameters(torch::nn::Module& module, std::uint64_t seed) {
  torch::NoGradGuard no_grad;
  auto parameters = module.named_parameters();
  for (auto& item : parameters) {
    const std::string& name = item.key();
    torch::Tensor& parameter = item.value();
    const bool is_bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    const torch::Tensor* weight = &parameter;
    if (is_bias) weight = parameters.find(name.substr(0, name.size() - 4) + "weight");
    if (weight == nullptr || weight->dim() < 2) {
      parameter.fill_(is_bias || weight == nullptr ? 0.0 : 1.0);  // a norm layer (or a bias with no weight)
      continue;
    }
    const double fan_in = static_cast<double>(weight->numel() / weight->size(0));
    fill_uniform(parameter, 1.0 / std::sqrt(fan_in), seed, name);
  }
}

}  // namespace

std::shared_ptr<Model> make_model(const ModelOptions& options) {
  const ModelShape shape = resolve_shape(options);
  std::shared_ptr<Model> model;
  if (const auto* mlp = std::get_if<MlpShape>(&shape))
    model = make_mlp(*mlp);
  else if (const auto* resnet = std::get_if<ResNetShape>(&shape))
    model = make_resnet(*resnet);
  else if (const auto* unet = std::get_if<UNetShape>(&shape))
    model = make_unet(*unet);
  else
    model = make_transformer(std::get<TransformerShape>(shape));
  initialise_parameters(*model, options.seed);
  return model;
}

}  // namespace sciperf::models
