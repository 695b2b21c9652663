// The four architectures. Each counts its own forward FLOPs as it builds its layers
// (multiply-adds of matmuls and convolutions, × 2; norms and activations are not counted),
// and the activation values those layers read and write (their input and output, once).
#include "kernels/models/architectures.h"

#include <torch/nn.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sciperf::models {
namespace {

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text;
  for (const auto extent : shape) text += (text.empty() ? "" : "x") + std::to_string(extent);
  return text;
}

// std::invalid_argument unless `input` is a batch of samples of `sample` shape.
void check_input(const char* model, const torch::Tensor& input, const std::vector<std::int64_t>& sample) {
  bool matches = input.dim() == static_cast<std::int64_t>(sample.size()) + 1;
  for (std::size_t i = 0; matches && i < sample.size(); ++i)
    matches = input.size(static_cast<std::int64_t>(i) + 1) == sample[i];
  if (!matches)
    throw std::invalid_argument(std::string(model) + ": input of shape " + shape_text(input.sizes().vec()) +
                                " is not a batch of " + shape_text(sample) + " samples");
}

// GroupNorm's group count for `channels`: the most groups (up to 8) with at least 4 channels each.
std::int64_t norm_groups(std::int64_t channels) {
  for (std::int64_t groups : {8, 4, 2})
    if (channels % groups == 0 && channels / groups >= 4) return groups;
  return 1;
}

torch::nn::Conv2d conv3x3(std::int64_t in, std::int64_t out, std::int64_t stride, bool bias,
                          bool circular = false) {
  auto options = torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(bias);
  if (circular) options.padding_mode(torch::kCircular);
  return torch::nn::Conv2d(options);
}

// ---------------------------------------------------------------------------------------------
// The seed MLP: Linear + ReLU between every pair of widths, no activation after the last.
class Mlp final : public Model {
 public:
  explicit Mlp(const MlpShape& shape) : widths_(shape.widths) {
    for (std::size_t i = 0; i + 1 < widths_.size(); ++i) {
      layers_.push_back(register_module("fc" + std::to_string(i + 1), torch::nn::Linear(widths_[i], widths_[i + 1])));
      flops_ += 2.0 * static_cast<double>(widths_[i] * widths_[i + 1]);
      activations_ += static_cast<double>(widths_[i] + widths_[i + 1]);
    }
  }
  torch::Tensor forward(const torch::Tensor& input) override {
    // Any batch whose samples hold 784 values (e.g. N × 1 × 28 × 28) is flattened.
    if (input.dim() < 2 || input[0].numel() != widths_.front())
      throw std::invalid_argument("mlp: input of shape " + shape_text(input.sizes().vec()) +
                                  " is not a batch of " + std::to_string(widths_.front()) + "-value samples");
    torch::Tensor x = input.reshape({input.size(0), widths_.front()});
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      x = layers_[i]->forward(x);
      if (i + 1 < layers_.size()) x = torch::relu(x);
    }
    return x;
  }
  std::vector<std::int64_t> sample_shape() const override { return {widths_.front()}; }
  double forward_flops_per_sample() const override { return flops_; }
  double forward_activations_per_sample() const override { return activations_; }
  std::string describe() const override {
    std::string dims;
    for (const auto width : widths_) dims += (dims.empty() ? "" : "-") + std::to_string(width);
    return "mlp " + dims + " (" + with_thousands(parameter_count(*this)) + " parameters)";
  }

 private:
  std::vector<std::int64_t> widths_;
  std::vector<torch::nn::Linear> layers_;
  double flops_ = 0.0;
  double activations_ = 0.0;
};

// ---------------------------------------------------------------------------------------------
// ResNet basic block: conv3x3-norm-ReLU-conv3x3-norm, plus the input (through a strided 1×1
// projection when the shape changes), then ReLU.
class ResidualBlock : public torch::nn::Module {
 public:
  ResidualBlock(std::int64_t in, std::int64_t out, std::int64_t stride)
      : conv1_(register_module("conv1", conv3x3(in, out, stride, false))),
        norm1_(register_module("norm1", torch::nn::GroupNorm(norm_groups(out), out))),
        conv2_(register_module("conv2", conv3x3(out, out, 1, false))),
        norm2_(register_module("norm2", torch::nn::GroupNorm(norm_groups(out), out))) {
    if (in != out || stride != 1) {
      projection_ = register_module(
          "projection", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)));
      projection_norm_ = register_module("projection_norm", torch::nn::GroupNorm(norm_groups(out), out));
    }
  }
  torch::Tensor forward(const torch::Tensor& x) {
    torch::Tensor h = torch::relu(norm1_->forward(conv1_->forward(x)));
    h = norm2_->forward(conv2_->forward(h));
    return torch::relu(h + (projection_ ? projection_norm_->forward(projection_->forward(x)) : x));
  }
  // Multiply-adds per sample for an output of resolution × resolution.
  static double macs(std::int64_t in, std::int64_t out, std::int64_t stride, std::int64_t resolution) {
    const double pixels = static_cast<double>(resolution * resolution);
    double macs = pixels * static_cast<double>(out * in * 9 + out * out * 9);
    if (in != out || stride != 1) macs += pixels * static_cast<double>(out * in);
    return macs;
  }
  // Activations its convolutions read and write per sample: conv1 in → out, conv2 out → out,
  // and the projection in → out.
  static double activations(std::int64_t in, std::int64_t out, std::int64_t stride, std::int64_t in_resolution,
                            std::int64_t resolution) {
    const double input = static_cast<double>(in * in_resolution * in_resolution);
    const double output = static_cast<double>(out * resolution * resolution);
    double values = input + 3 * output;
    if (in != out || stride != 1) values += input + output;
    return values;
  }

 private:
  torch::nn::Conv2d conv1_;
  torch::nn::GroupNorm norm1_;
  torch::nn::Conv2d conv2_;
  torch::nn::GroupNorm norm2_;
  torch::nn::Conv2d projection_{nullptr};
  torch::nn::GroupNorm projection_norm_{nullptr};
};

// A small ResNet for 1-channel fields: a stride-2 3×3 stem, stages of basic blocks (each stage
// after the first halves the resolution and doubles the channels), global average pooling and
// a linear classifier.
class ResNet final : public Model {
 public:
  explicit ResNet(const ResNetShape& shape) : shape_(shape) {
    const std::int64_t stem_resolution = (shape.grid + 1) / 2;
    stem_ = register_module("stem", conv3x3(1, shape.channels, 2, false));
    stem_norm_ = register_module("stem_norm", torch::nn::GroupNorm(norm_groups(shape.channels), shape.channels));
    double macs = static_cast<double>(stem_resolution * stem_resolution * shape.channels * 9);
    activations_ = static_cast<double>(shape.grid * shape.grid + shape.channels * stem_resolution * stem_resolution);
    std::int64_t channels = shape.channels, resolution = stem_resolution;
    for (std::size_t stage = 0; stage < shape.blocks.size(); ++stage) {
      const std::int64_t out = shape.channels << stage;
      for (std::int64_t block = 0; block < shape.blocks[stage]; ++block) {
        const std::int64_t stride = stage > 0 && block == 0 ? 2 : 1;
        const std::int64_t in_resolution = resolution;
        resolution = (resolution + stride - 1) / stride;
        blocks_.push_back(register_module("stage" + std::to_string(stage + 1) + "_block" + std::to_string(block + 1),
                                          std::make_shared<ResidualBlock>(channels, out, stride)));
        macs += ResidualBlock::macs(channels, out, stride, resolution);
        activations_ += ResidualBlock::activations(channels, out, stride, in_resolution, resolution);
        channels = out;
      }
    }
    head_ = register_module("head", torch::nn::Linear(channels, shape.classes));
    macs += static_cast<double>(channels * shape.classes);
    activations_ += static_cast<double>(channels + shape.classes);
    flops_ = 2.0 * macs;
  }
  torch::Tensor forward(const torch::Tensor& input) override {
    check_input("resnet", input, sample_shape());
    torch::Tensor x = torch::relu(stem_norm_->forward(stem_->forward(input)));
    for (const auto& block : blocks_) x = block->forward(x);
    return head_->forward(x.mean({2, 3}));
  }
  std::vector<std::int64_t> sample_shape() const override { return {1, shape_.grid, shape_.grid}; }
  double forward_flops_per_sample() const override { return flops_; }
  double forward_activations_per_sample() const override { return activations_; }
  std::string describe() const override {
    std::string stages;
    for (std::size_t stage = 0; stage < shape_.blocks.size(); ++stage)
      stages += (stages.empty() ? "" : ",") + std::to_string(shape_.channels << stage) + "x" +
                std::to_string(shape_.blocks[stage]);
    return "resnet 1x" + std::to_string(shape_.grid) + "x" + std::to_string(shape_.grid) + ", stem " +
           std::to_string(shape_.channels) + "/2, stages " + stages + ", " + std::to_string(shape_.classes) +
           " classes (" + with_thousands(parameter_count(*this)) + " parameters)";
  }

 private:
  ResNetShape shape_;
  torch::nn::Conv2d stem_{nullptr};
  torch::nn::GroupNorm stem_norm_{nullptr};
  std::vector<std::shared_ptr<ResidualBlock>> blocks_;
  torch::nn::Linear head_{nullptr};
  double flops_ = 0.0;
  double activations_ = 0.0;
};

// ---------------------------------------------------------------------------------------------
// A U-Net for periodic 2D fields: 3×3 convolutions with circular padding (the domain wraps
// around) and GELU; 2× average-pool down, 2×2 stride-2 transposed convolution up, the encoder's
// features concatenated at each decoder level; a 1×1 convolution to one channel, added to the
// input (the network predicts the change of the field).
class UNet final : public Model {
 public:
  explicit UNet(const UNetShape& shape) : shape_(shape) {
    if (shape.grid % (std::int64_t{1} << shape.depth) != 0)
      throw std::invalid_argument("unet: grid " + std::to_string(shape.grid) + " does not divide by 2^" +
                                  std::to_string(shape.depth));
    double macs = 0.0;
    auto level_block = [&](const std::string& name, std::int64_t in, std::int64_t out, std::int64_t resolution) {
      torch::nn::Sequential block;
      for (std::int64_t i = 0; i < shape.convs_per_level; ++i) {
        block->push_back(conv3x3(i == 0 ? in : out, out, 1, true, /*circular=*/true));
        block->push_back(torch::nn::Functional([](const torch::Tensor& x) { return torch::gelu(x); }));
        macs += static_cast<double>(resolution * resolution * out * (i == 0 ? in : out) * 9);
        activations_ += static_cast<double>(resolution * resolution * ((i == 0 ? in : out) + out));
      }
      return register_module(name, block);
    };
    auto channels = [&](std::int64_t level) { return shape.channels << level; };
    auto resolution = [&](std::int64_t level) { return shape.grid >> level; };
    for (std::int64_t level = 0; level <= shape.depth; ++level)
      encoder_.push_back(level_block("down" + std::to_string(level), level == 0 ? 1 : channels(level - 1),
                                     channels(level), resolution(level)));
    for (std::int64_t level = shape.depth; level >= 1; --level) {
      up_.push_back(register_module(
          "up" + std::to_string(level),
          torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(channels(level), channels(level - 1), 2).stride(2))));
      macs += static_cast<double>(resolution(level) * resolution(level) * channels(level) * channels(level - 1) * 4);
      activations_ += static_cast<double>(resolution(level) * resolution(level) * channels(level) +
                                          resolution(level - 1) * resolution(level - 1) * channels(level - 1));
      decoder_.push_back(level_block("merge" + std::to_string(level - 1), 2 * channels(level - 1), channels(level - 1),
                                     resolution(level - 1)));
    }
    out_ = register_module("out", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels(0), 1, 1)));
    macs += static_cast<double>(shape.grid * shape.grid * channels(0));
    activations_ += static_cast<double>(shape.grid * shape.grid * (channels(0) + 1));
    flops_ = 2.0 * macs;
  }
  torch::Tensor forward(const torch::Tensor& input) override {
    check_input("unet", input, sample_shape());
    std::vector<torch::Tensor> skips;
    torch::Tensor x = input;
    for (std::size_t level = 0; level < encoder_.size(); ++level) {
      if (level > 0) x = torch::avg_pool2d(x, 2);
      x = encoder_[level]->forward(x);
      skips.push_back(x);
    }
    skips.pop_back();  // the bottom level feeds the first up-sampling directly
    for (std::size_t i = 0; i < up_.size(); ++i) {
      x = decoder_[i]->forward(torch::cat({up_[i]->forward(x), skips.back()}, 1));
      skips.pop_back();
    }
    return input + out_->forward(x);
  }
  std::vector<std::int64_t> sample_shape() const override { return {1, shape_.grid, shape_.grid}; }
  double forward_flops_per_sample() const override { return flops_; }
  double forward_activations_per_sample() const override { return activations_; }
  std::string describe() const override {
    std::string channels;
    for (std::int64_t level = 0; level <= shape_.depth; ++level)
      channels += (channels.empty() ? "" : "-") + std::to_string(shape_.channels << level);
    return "unet 1x" + std::to_string(shape_.grid) + "x" + std::to_string(shape_.grid) + ", channels " + channels +
           ", " + std::to_string(shape_.convs_per_level) + " conv/level (" + with_thousands(parameter_count(*this)) +
           " parameters)";
  }

 private:
  UNetShape shape_;
  std::vector<torch::nn::Sequential> encoder_;
  std::vector<torch::nn::ConvTranspose2d> up_;
  std::vector<torch::nn::Sequential> decoder_;
  torch::nn::Conv2d out_{nullptr};
  double flops_ = 0.0;
  double activations_ = 0.0;
};

// ---------------------------------------------------------------------------------------------
// A transformer encoder over scalar sequences: each value is embedded by a Linear(1, width),
// sinusoidal positional encodings are added, post-norm TransformerEncoderLayers (GELU, no
// dropout) run over the sequence, the outputs are averaged over positions and a linear head
// classifies. (LibTorch's C++ encoder is sequence-first; the model transposes internally.)
class Transformer final : public Model {
 public:
  explicit Transformer(const TransformerShape& shape) : shape_(shape) {
    embed_ = register_module("embed", torch::nn::Linear(1, shape.width));
    const auto layer = torch::nn::TransformerEncoderLayer(torch::nn::TransformerEncoderLayerOptions(shape.width, shape.heads)
                                                              .dim_feedforward(shape.feedforward)
                                                              .dropout(0.0)
                                                              .activation(torch::kGELU));
    encoder_ = register_module("encoder",
                               torch::nn::TransformerEncoder(torch::nn::TransformerEncoderOptions(layer, shape.layers)));
    head_ = register_module("head", torch::nn::Linear(shape.width, shape.classes));
    positions_ = register_buffer("positional_encoding", positional_encoding(shape.seq_len, shape.width));
    const double s = static_cast<double>(shape.seq_len), w = static_cast<double>(shape.width);
    const double per_layer = s * (4.0 * w * w + 2.0 * w * static_cast<double>(shape.feedforward)) + 2.0 * s * s * w;
    flops_ = 2.0 * (s * w + static_cast<double>(shape.layers) * per_layer + w * static_cast<double>(shape.classes));
    // Per layer: Q, K, V projections (s w → 3 s w), scores Q Kᵀ (2 s w → heads s²), their
    // product with V (heads s² + s w → s w), the output projection (s w → s w) and the two
    // feed-forward layers (s w → s ff → s w). Then the embedding (s → s w) and the head.
    const double h = static_cast<double>(shape.heads), ff = static_cast<double>(shape.feedforward);
    const double per_layer_activations = 12.0 * s * w + 2.0 * h * s * s + 2.0 * s * ff;
    activations_ = s + s * w + static_cast<double>(shape.layers) * per_layer_activations + w +
                   static_cast<double>(shape.classes);
  }
  torch::Tensor forward(const torch::Tensor& input) override {
    check_input("transformer", input, sample_shape());
    torch::Tensor x = embed_->forward(input.unsqueeze(-1)) + positions_;  // N × S × W
    x = encoder_->forward(x.transpose(0, 1));                             // S × N × W
    return head_->forward(x.mean(0));
  }
  std::vector<std::int64_t> sample_shape() const override { return {shape_.seq_len}; }
  double forward_flops_per_sample() const override { return flops_; }
  double forward_activations_per_sample() const override { return activations_; }
  std::string describe() const override {
    return "transformer " + std::to_string(shape_.layers) + " layers, width " + std::to_string(shape_.width) + ", " +
           std::to_string(shape_.heads) + " heads, ff " + std::to_string(shape_.feedforward) + ", seq_len " +
           std::to_string(shape_.seq_len) + ", " + std::to_string(shape_.classes) + " classes (" +
           with_thousands(parameter_count(*this)) + " parameters)";
  }

 private:
  // PE(p, 2i) = sin(p / 10000^(2i/W)), PE(p, 2i+1) = cos(p / 10000^(2i/W)).
  static torch::Tensor positional_encoding(std::int64_t length, std::int64_t width) {
    std::vector<float> values(static_cast<std::size_t>(length * width));
    for (std::int64_t p = 0; p < length; ++p)
      for (std::int64_t i = 0; i < width; ++i) {
        const double angle = static_cast<double>(p) / std::pow(10000.0, static_cast<double>(i - i % 2) / static_cast<double>(width));
        values[static_cast<std::size_t>(p * width + i)] = static_cast<float>(i % 2 == 0 ? std::sin(angle) : std::cos(angle));
      }
    return torch::from_blob(values.data(), {length, width}, torch::kFloat32).clone();
  }

  TransformerShape shape_;
  torch::nn::Linear embed_{nullptr};
  torch::nn::TransformerEncoder encoder_{nullptr};
  torch::nn::Linear head_{nullptr};
  torch::Tensor positions_;
  double flops_ = 0.0;
  double activations_ = 0.0;
};

}  // namespace

std::shared_ptr<Model> make_mlp(const MlpShape& shape) { return std::make_shared<Mlp>(shape); }
std::shared_ptr<Model> make_resnet(const ResNetShape& shape) { return std::make_shared<ResNet>(shape); }
std::shared_ptr<Model> make_unet(const UNetShape& shape) { return std::make_shared<UNet>(shape); }
std::shared_ptr<Model> make_transformer(const TransformerShape& shape) { return std::make_shared<Transformer>(shape); }

std::string with_thousands(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return value < 0 ? "-" + digits : digits;
}

std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& parameter : module.parameters()) count += parameter.numel();
  return count;
}

double forward_bytes_per_sample(const Model& model, double batch) {
  constexpr double kBytesPerValue = 4;  // fp32
  const double parameters = static_cast<double>(parameter_count(model)) / std::max(batch, 1.0);
  return kBytesPerValue * (parameters + model.forward_activations_per_sample());
}

}  // namespace sciperf::models
