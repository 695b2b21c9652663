// The four models: shapes, parameter counts, FLOP counts, determinism, options validation.
#include "kernels/models/model.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace sciperf::models {
namespace {

class ModelsArchitectures : public ::testing::Test {
 protected:
  void SetUp() override { torch::set_num_threads(1); }
};

ModelOptions options(const std::string& name, const std::string& size = "tiny") {
  ModelOptions o;
  o.name = name;
  o.size = size;
  return o;
}

std::vector<std::int64_t> with_batch(std::int64_t batch, const std::vector<std::int64_t>& sample) {
  std::vector<std::int64_t> shape{batch};
  shape.insert(shape.end(), sample.begin(), sample.end());
  return shape;
}

// The message of the std::invalid_argument `make_model(o)` throws ("" if none).
std::string error_of(const ModelOptions& o) {
  try {
    make_model(o);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST_F(ModelsArchitectures, SeedMlpIsTheTutorialMlp) {
  const auto model = make_model(options("mlp"));
  EXPECT_EQ(parameter_count(*model), 235146);
  EXPECT_EQ(model->describe(), "mlp 784-256-128-10 (235,146 parameters)");
  EXPECT_EQ(model->sample_shape(), std::vector<std::int64_t>{784});
  EXPECT_DOUBLE_EQ(model->forward_flops_per_sample(), 2.0 * (784 * 256 + 256 * 128 + 128 * 10));
  EXPECT_EQ(model->forward(torch::randn({5, 784})).sizes(), (std::vector<std::int64_t>{5, 10}));
  // MNIST-shaped batches are flattened, as in the tutorial.
  EXPECT_EQ(model->forward(torch::randn({3, 1, 28, 28})).sizes(), (std::vector<std::int64_t>{3, 10}));
  const auto names = model->named_parameters().keys();
  EXPECT_EQ(names, (std::vector<std::string>{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"}));
}

TEST_F(ModelsArchitectures, TinyModelsHaveTheirDocumentedShapes) {
  struct Expected {
    std::string name;
    std::vector<std::int64_t> sample, output;
    std::int64_t parameters;
    double flops;
  };
  // FLOPs by hand: resnet stem 16²·8·9 + block 16²·(8·8·9·2) + block 8²·(16·8·9 + 16·16·9 + 16·8) + head
  // 16·4 multiply-adds; unet convolutions 32²·8·9 + 16²·16·8·9 + 8²·32·16·9 + 16²·16·32·9 + 32²·8·16·9,
  // transposed 8²·32·16·4 + 16²·16·8·4, out 32²·8; transformer (S = W = 32, ff 128) 2 layers of
  // S·(4W² + 2W·ff) + 2S²W, embedding S·W, head W·5.
  const std::vector<Expected> all{
      {"resnet", {1, 32, 32}, {2, 4}, 5020, 2.0 * 542784},
      {"unet", {1, 32, 32}, {2, 1, 32, 32}, 14265, 2.0 * 3293184},
      {"transformer", {32}, {2, 5}, 25637, 2.0 * 918688},
  };
  for (const auto& expected : all) {
    SCOPED_TRACE(expected.name);
    const auto model = make_model(options(expected.name));
    EXPECT_EQ(model->sample_shape(), expected.sample);
    EXPECT_EQ(parameter_count(*model), expected.parameters);
    EXPECT_EQ(model->forward(torch::randn(with_batch(2, expected.sample))).sizes(), expected.output);
    EXPECT_DOUBLE_EQ(model->forward_flops_per_sample(), expected.flops);
    EXPECT_EQ(model->describe().rfind(expected.name + " ", 0), 0u) << model->describe();
  }
}

TEST_F(ModelsArchitectures, EverySizeOfEveryModelBuildsAndRuns) {
  torch::NoGradGuard no_grad;
  for (const auto& name : model_names())
    for (const auto& size : size_names()) {
      SCOPED_TRACE(name + " " + size);
      const auto model = make_model(options(name, size));
      EXPECT_EQ(model->sample_shape(), sample_shape(options(name, size)));
      const torch::Tensor output = model->forward(torch::randn(with_batch(1, model->sample_shape())));
      EXPECT_EQ(output.size(0), 1);
      EXPECT_TRUE(torch::isfinite(output).all().item<bool>());
    }
  EXPECT_EQ(make_model(options("mlp", "small"))->describe(), "mlp 784-1024-512-10 (1,333,770 parameters)");
}

TEST_F(ModelsArchitectures, TransformerFlopsCountAttentionAndProjections) {
  ModelOptions o = options("transformer");
  o.layers = 1;
  o.width = 8;
  o.heads = 2;
  o.seq_len = 4;
  const auto model = make_model(o);
  // embed 4×8, one layer: 4 × (4 × 8² + 2 × 8 × 32) projections + 2 × 4² × 8 attention, head 8 × 5.
  EXPECT_DOUBLE_EQ(model->forward_flops_per_sample(), 2.0 * (32 + (4 * (256 + 512) + 256) + 40));
}

TEST_F(ModelsArchitectures, SameSeedGivesTheSameParameters) {
  for (const auto& name : model_names()) {
    SCOPED_TRACE(name);
    ModelOptions o = options(name);
    const auto first = make_model(o), second = make_model(o);
    o.seed = 2;
    const auto other = make_model(o);
    const auto a = first->named_parameters(), b = second->named_parameters(), c = other->named_parameters();
    ASSERT_EQ(a.size(), b.size());
    bool any_differs = false;
    for (const auto& item : a) {
      EXPECT_TRUE(torch::equal(item.value(), b[item.key()])) << item.key();
      any_differs = any_differs || !torch::equal(item.value(), c[item.key()]);
    }
    EXPECT_TRUE(any_differs);
    // Outputs as well, and the initialisation is LibTorch's default distribution.
    const torch::Tensor input = torch::randn(with_batch(2, first->sample_shape()));
    EXPECT_TRUE(torch::equal(first->forward(input), second->forward(input)));
  }
  const auto mlp = make_model(options("mlp"));
  const torch::Tensor weight = mlp->named_parameters()["fc1.weight"];
  EXPECT_LE(weight.abs().max().item<double>(), 1.0 / std::sqrt(784.0));
  EXPECT_NEAR(weight.std().item<double>(), 1.0 / std::sqrt(3.0 * 784.0), 1e-3);
}

TEST_F(ModelsArchitectures, SampleOutputsDoNotDependOnTheRestOfTheBatch) {
  // No batch statistics and no dropout: what data-parallel equivalence relies on.
  for (const auto& name : model_names()) {
    SCOPED_TRACE(name);
    const auto model = make_model(options(name));
    model->train();
    const torch::Tensor batch = torch::randn(with_batch(4, model->sample_shape()));
    const torch::Tensor whole = model->forward(batch);
    const torch::Tensor half = model->forward(batch.narrow(0, 0, 2));
    EXPECT_TRUE(torch::allclose(whole.narrow(0, 0, 2), half, 1e-5, 1e-5));
  }
}

TEST_F(ModelsArchitectures, TransformerOverridesApply) {
  ModelOptions o = options("transformer");
  o.layers = 1;
  o.width = 16;
  o.heads = 2;
  o.seq_len = 12;
  const auto model = make_model(o);
  EXPECT_EQ(model->sample_shape(), std::vector<std::int64_t>{12});
  EXPECT_EQ(model->forward(torch::randn({3, 12})).sizes(), (std::vector<std::int64_t>{3, 5}));
  EXPECT_NE(model->describe().find("1 layers, width 16, 2 heads, ff 64, seq_len 12"), std::string::npos)
      << model->describe();
}

TEST_F(ModelsArchitectures, BadOptionsGiveClearErrors) {
  EXPECT_EQ(error_of(options("foo")), "model: unknown 'foo' (expected mlp, resnet, unet, transformer)");
  EXPECT_EQ(error_of(options("mlp", "huge")), "size: unknown 'huge' (expected tiny, small, base)");
  ModelOptions o = options("transformer");
  o.width = 30;
  o.heads = 4;
  EXPECT_EQ(error_of(o), "heads: 4 does not divide width 30");
  o = options("transformer");
  o.layers = -1;
  EXPECT_EQ(error_of(o).rfind("layers: must be positive", 0), 0u);
  o = options("mlp");
  o.width = 64;
  EXPECT_EQ(error_of(o), "width: applies only to model 'transformer' (model is 'mlp'); leave it 0");
  EXPECT_EQ(error_of(options("unet", "base")), "");
}

TEST_F(ModelsArchitectures, WrongInputShapesAreRejected) {
  EXPECT_THROW(make_model(options("resnet"))->forward(torch::randn({2, 1, 16, 16})), std::invalid_argument);
  EXPECT_THROW(make_model(options("transformer"))->forward(torch::randn({2, 31})), std::invalid_argument);
  EXPECT_THROW(make_model(options("mlp"))->forward(torch::randn({2, 100})), std::invalid_argument);
}

}  // namespace
}  // namespace sciperf::models
