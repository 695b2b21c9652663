// The compressed variants: what each transform achieves (sparsity,
// 2:4 pattern, rank), bad input, and both engines against the float64 reference.
#include "suites/compression/compressed_chain.h"
#include "suites/compression/engine.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace sciperf::suites::compression {
namespace {

// A small chain whose widths are multiples of 4 (2:4 needs it): 36-20-12-6.
std::vector<LinearLayer> small_chain() {
  torch::manual_seed(7);
  std::vector<LinearLayer> layers;
  const std::int64_t widths[] = {36, 20, 12, 6};
  for (int i = 0; i < 3; ++i)
    layers.push_back({"fc" + std::to_string(i + 1), torch::randn({widths[i + 1], widths[i]}) / 6.0,
                      torch::randn({widths[i + 1]}) / 10.0, i < 2});
  return layers;
}

double normwise(const torch::Tensor& a, const torch::Tensor& ref) {
  return (a.to(torch::kFloat64) - ref).norm().item<double>() / ref.norm().item<double>();
}

TEST(CompressionChain, PruningReachesTheSparsityAsked) {
  for (double sparsity : {0.5, 0.75, 0.9, 0.95}) {
    VariantSpec spec{Variant::prune};
    spec.sparsity = sparsity;
    const CompressedChain chain = compress(small_chain(), spec, {});
    for (const CompressedLayer& layer : chain.layers) {
      const auto kept = (layer.weight != 0).sum().item<std::int64_t>();
      EXPECT_EQ(kept, std::llround((1 - sparsity) * static_cast<double>(layer.weight.numel()))) << layer.name << " " << sparsity;
    }
  }
}

TEST(CompressionChain, TwoFourKeepsTwoOfEveryFour) {
  const CompressedChain chain = compress(small_chain(), VariantSpec{Variant::sparse24}, {});
  for (const CompressedLayer& layer : chain.layers) {
    const torch::Tensor groups = (layer.weight != 0).reshape({layer.out(), layer.in() / 4, 4}).sum(2);
    EXPECT_LE(groups.max().item<std::int64_t>(), 2) << layer.name;
  }
  EXPECT_NEAR(weight_sparsity(chain), 0.5, 1e-9);
}

TEST(CompressionChain, LowRankHasTheRankAsked) {
  VariantSpec spec{Variant::low_rank};
  spec.rank_ratio = 0.5;
  const CompressedChain chain = compress(small_chain(), spec, {});
  EXPECT_EQ(chain.layers[0].rank, 10);  // min(20, 36) / 2
  // up · down is rounded to float32: singular values past the rank are at its rounding level.
  const torch::Tensor singular = torch::linalg_svdvals(chain.layers[0].weight.to(torch::kFloat64));
  EXPECT_GT(singular[9].item<double>() / singular[0].item<double>(), 1e-3);
  EXPECT_LT(singular[10].item<double>() / singular[0].item<double>(), 1e-6);
  spec.rank = 3;
  for (const CompressedLayer& layer : compress(small_chain(), spec, {}).layers) EXPECT_EQ(layer.rank, 3);
}

TEST(CompressionChain, BadValuesNameTheKeyAndLayer) {
  VariantSpec spec{Variant::low_rank};
  spec.rank = 13;  // fc3 is 6 x 12
  try {
    compress(small_chain(), spec, {});
    FAIL() << "expected a rank error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rank 13 exceeds min(out, in) = 12 of layer fc2"), std::string::npos) << e.what();
  }
  VariantSpec prune{Variant::prune};
  prune.sparsity = 1.0;
  EXPECT_THROW(compress(small_chain(), prune, {}), std::invalid_argument);
  std::vector<LinearLayer> odd{{"fc1", torch::randn({4, 6}), torch::zeros({4}), false}};
  EXPECT_THROW(compress(odd, VariantSpec{Variant::sparse24}, {}), std::invalid_argument);
  EXPECT_THROW(parse_variant("int4"), std::invalid_argument);
}

TEST(CompressionChain, StaticInt8RangesComeFromCalibration) {
  const torch::Tensor calibration = torch::rand({64, 36}) * 2.0;  // inputs in [0, 2)
  const CompressedChain chain = compress(small_chain(), VariantSpec{Variant::int8_static}, calibration);
  ASSERT_TRUE(chain.layers[0].input_params.has_value());
  EXPECT_EQ(chain.layers[0].input_params->zero_point, 0);
  EXPECT_NEAR(chain.layers[0].input_params->scale, calibration.max().item<float>() / 255.0f, 1e-6);
  for (const CompressedLayer& layer : chain.layers) EXPECT_TRUE(layer.input_params.has_value());
}

// Every variant each engine implements matches the float64 reference of the same compressed
// model; a variant an engine lacks says why.
TEST(CompressionEngines, MatchTheReference) {
  const torch::Tensor input = torch::randn({9, 36});
  for (const std::string& name : variant_names()) {
    for (bool per_channel : {true, false}) {
      VariantSpec spec{parse_variant(name)};
      spec.per_channel = per_channel;
      const CompressedChain chain = compress(small_chain(), spec, torch::randn({32, 36}));
      const torch::Tensor reference = reference_forward(chain, input);
      for (EngineKind kind : {EngineKind::own, EngineKind::libtorch}) {
        if (const auto reason = unsupported(kind, spec)) {
          EXPECT_EQ(reason->rfind("skipped: ", 0), 0u) << *reason;
          EXPECT_THROW(make_engine(kind, chain), std::invalid_argument);
          continue;
        }
        auto engine = make_engine(kind, chain);
        const double tolerance = spec.variant == Variant::dense || spec.variant == Variant::prune ||
                                         spec.variant == Variant::sparse24 || spec.variant == Variant::low_rank
                                     ? 1e-5
                                     : (kind == EngineKind::libtorch && spec.variant == Variant::int8_dynamic ? 5e-2 : 1e-2);
        EXPECT_LE(normwise(engine->forward(input), reference), tolerance) << name << " on " << (kind == EngineKind::own ? "own" : "libtorch");
        EXPECT_GT(engine->bytes(), 0u);
        EXPECT_FALSE(engine->path().empty());
      }
    }
  }
}

// Int8 on our kernels is exact integer arithmetic: against the reference it differs only by
// float32 rounding, far below one quantization step.
TEST(CompressionEngines, OwnInt8IsTightAgainstTheReference) {
  const torch::Tensor input = torch::randn({5, 36});
  const CompressedChain chain = compress(small_chain(), VariantSpec{Variant::int8_dynamic}, {});
  EXPECT_LE(normwise(make_own_engine(chain)->forward(input), reference_forward(chain, input)), 1e-5);
}

TEST(CompressionEngines, StoredBytesFollowTheVariant) {
  const auto dense = make_own_engine(compress(small_chain(), VariantSpec{Variant::dense}, {}));
  const auto int8 = make_own_engine(compress(small_chain(), VariantSpec{Variant::int8_dynamic}, {}));
  const std::size_t weights = 36 * 20 + 20 * 12 + 12 * 6, outputs = 20 + 12 + 6;
  EXPECT_EQ(dense->bytes(), 4 * (weights + outputs));
  EXPECT_EQ(int8->bytes(), weights + 4 * outputs + 4 * outputs);  // int8 weights, a scale and a bias per output
}

}  // namespace
}  // namespace sciperf::suites::compression
