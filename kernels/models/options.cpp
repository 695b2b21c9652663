#include "kernels/models/options.h"

#include "kernels/models/fields.h"
#include "kernels/models/signals.h"

#include <algorithm>
#include <stdexcept>

namespace sciperf::models {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::size_t size_index(const std::string& size) {
  const auto& sizes = size_names();
  const auto found = std::find(sizes.begin(), sizes.end(), size);
  if (found == sizes.end())
    throw std::invalid_argument("size: unknown '" + size + "' (expected " + joined(sizes) + ")");
  return static_cast<std::size_t>(found - sizes.begin());
}

void check_override(const char* key, int value, const std::string& model) {
  if (value < 0) throw std::invalid_argument(std::string(key) + ": must be positive, or 0 for the preset (got " +
                                             std::to_string(value) + ")");
  if (value != 0 && model != "transformer")
    throw std::invalid_argument(std::string(key) + ": applies only to model 'transformer' (model is '" + model +
                                "'); leave it 0");
}

TransformerShape transformer_shape(std::size_t size, const ModelOptions& options) {
  static const TransformerShape presets[] = {
      {2, 32, 4, 128, 32, kLightCurveFamilies},
      {4, 128, 4, 512, 128, kLightCurveFamilies},
      {6, 256, 8, 1024, 256, kLightCurveFamilies},
  };
  TransformerShape shape = presets[size];
  if (options.layers > 0) shape.layers = options.layers;
  if (options.width > 0) shape.width = options.width;
  if (options.heads > 0) shape.heads = options.heads;
  if (options.seq_len > 0) shape.seq_len = options.seq_len;
  shape.feedforward = 4 * shape.width;
  if (shape.width % shape.heads != 0)
    throw std::invalid_argument("heads: " + std::to_string(shape.heads) + " does not divide width " +
                                std::to_string(shape.width));
  return shape;
}

}  // namespace

const std::vector<std::string>& model_names() {
  static const std::vector<std::string> names{"mlp", "resnet", "unet", "transformer"};
  return names;
}

const std::vector<std::string>& size_names() {
  static const std::vector<std::string> names{"tiny", "small", "base"};
  return names;
}

ModelShape resolve_shape(const ModelOptions& options) {
  const auto& names = model_names();
  if (std::find(names.begin(), names.end(), options.name) == names.end())
    throw std::invalid_argument("model: unknown '" + options.name + "' (expected " + joined(names) + ")");
  const std::size_t size = size_index(options.size);
  check_override("layers", options.layers, options.name);
  check_override("width", options.width, options.name);
  check_override("heads", options.heads, options.name);
  check_override("seq_len", options.seq_len, options.name);
  if (options.name == "mlp") {
    static const MlpShape presets[] = {{{784, 256, 128, 10}}, {{784, 1024, 512, 10}}, {{784, 4096, 2048, 10}}};
    return presets[size];
  }
  if (options.name == "resnet") {
    static const ResNetShape presets[] = {
        {32, 8, {1, 1}, kSlopeClasses}, {64, 16, {2, 2, 2}, kSlopeClasses}, {64, 32, {2, 2, 2, 2}, kSlopeClasses}};
    return presets[size];
  }
  if (options.name == "unet") {
    static const UNetShape presets[] = {{32, 8, 2, 1}, {64, 16, 3, 2}, {64, 32, 4, 2}};
    return presets[size];
  }
  return transformer_shape(size, options);
}

std::vector<std::int64_t> sample_shape(const ModelOptions& options) {
  const ModelShape shape = resolve_shape(options);
  if (const auto* mlp = std::get_if<MlpShape>(&shape)) return {mlp->widths.front()};
  if (const auto* resnet = std::get_if<ResNetShape>(&shape)) return {1, resnet->grid, resnet->grid};
  if (const auto* unet = std::get_if<UNetShape>(&shape)) return {1, unet->grid, unet->grid};
  return {std::get<TransformerShape>(shape).seq_len};
}

}  // namespace sciperf::models
