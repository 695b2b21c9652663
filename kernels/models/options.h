// Which model to build and its preset dimensions. Plain C++ (no LibTorch), so the data
// generators and config validation can use the presets without compiling LibTorch headers.
//
// Preset dimensions (size → dimensions; `grid` is the 2D field's side in cells):
//
// | model       | tiny                          | small                          | base                            |
// |-------------|-------------------------------|--------------------------------|---------------------------------|
// | mlp         | 784-256-128-10 (235,146 par.) | 784-1024-512-10                | 784-4096-2048-10                |
// | resnet      | grid 32, stem 8 ch stride 2,  | grid 64, stem 16 ch stride 2,  | grid 64, stem 32 ch stride 2,   |
// |             | stages 8,16 × 1 block         | stages 16,32,64 × 2 blocks     | stages 32,64,128,256 × 2 blocks |
// | unet        | grid 32, channels 8-16-32,    | grid 64, channels 16-…-128,    | grid 64, channels 32-…-512,     |
// |             | 1 conv per level              | 2 convs per level              | 2 convs per level               |
// | transformer | 2 layers, width 32, 4 heads,  | 4 layers, width 128, 4 heads,  | 6 layers, width 256, 8 heads,   |
// |             | ff 128, seq_len 32            | ff 512, seq_len 128            | ff 1024, seq_len 256            |
//
// Classes: mlp 10 (spectral bands), resnet 4 (power-spectrum slopes), transformer 5 (light-curve
// families); the unet maps one field to one field. The transformer's layers, width, heads and
// seq_len can be overridden (0 = the preset's); its feed-forward width is always 4 × width.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace sciperf::models {

struct ModelOptions {
  std::string name = "mlp";     // "mlp" | "resnet" | "unet" | "transformer"
  std::string size = "tiny";    // "tiny" | "small" | "base": the preset dimensions above
  int layers = 0, width = 0, heads = 0, seq_len = 0;  // transformer overrides; 0 = the size preset's
  std::uint64_t seed = 1;       // parameter initialisation, deterministic
};

const std::vector<std::string>& model_names();
const std::vector<std::string>& size_names();

struct MlpShape {
  std::vector<std::int64_t> widths;  // input, hidden..., classes
};
struct ResNetShape {
  std::int64_t grid = 0;                // input is 1 × grid × grid
  std::int64_t channels = 0;            // the stem's; each stage doubles it
  std::vector<std::int64_t> blocks;     // residual blocks per stage; stages after the first halve the resolution
  std::int64_t classes = 0;
};
struct UNetShape {
  std::int64_t grid = 0;             // input and output are 1 × grid × grid
  std::int64_t channels = 0;         // at the finest level; each level down doubles it
  std::int64_t depth = 0;            // number of 2× downsamplings (grid must divide by 2^depth)
  std::int64_t convs_per_level = 0;  // 3×3 convolutions per encoder and decoder level
};
struct TransformerShape {
  std::int64_t layers = 0, width = 0, heads = 0, feedforward = 0, seq_len = 0, classes = 0;
};
using ModelShape = std::variant<MlpShape, ResNetShape, UNetShape, TransformerShape>;

// The dimensions `options` asks for, validated: std::invalid_argument naming the bad key and
// value (unknown name or size, a negative override, an override on a model other than the
// transformer, heads not dividing width).
ModelShape resolve_shape(const ModelOptions& options);

// One input sample's shape for `options` (validated as above).
std::vector<std::int64_t> sample_shape(const ModelOptions& options);

}  // namespace sciperf::models
