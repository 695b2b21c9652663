// The four architectures behind make_model (internal to kernels/models).
#pragma once

#include "kernels/models/model.h"

namespace sciperf::models {

std::shared_ptr<Model> make_mlp(const MlpShape& shape);
std::shared_ptr<Model> make_resnet(const ResNetShape& shape);
std::shared_ptr<Model> make_unet(const UNetShape& shape);
std::shared_ptr<Model> make_transformer(const TransformerShape& shape);

// 235146 → "235,146".
std::string with_thousands(std::int64_t value);

}  // namespace sciperf::models
