// One compressed variant of a trained model on one rank: its accuracy and output error
// against the dense model on held-out data, its size, and its latency and throughput at one
// batch size measured side by side with the dense model on the same engine (alternating
// blocks of calls in every repetition, so drift and neighbours hit both alike).
#pragma once

#include "harness/suite.h"
#include "kernels/models/data.h"
#include "kernels/models/task.h"
#include "suites/compression/engine.h"

#include <memory>

namespace sciperf::suites::compression {

struct CompressionSettings {
  models::ModelOptions model;
  VariantSpec variant;
  EngineKind engine = EngineKind::own;
  std::int64_t batch = 64;
  double duration = 0.5;                   // seconds of calls per repetition, both models together
  std::int64_t eval_samples = 4096;        // held-out samples for accuracy and output error
  std::int64_t calibration_samples = 512;  // training samples for int8_static's ranges
};

// The model's dense parameters after training to its task's target on one process: the start
// of every variant (kept for the next case of the same model, as sweeps vary the variant).
struct TrainedModel {
  std::vector<LinearLayer> layers;
  models::Task task;
  std::unique_ptr<models::Dataset> data;
};
std::shared_ptr<const TrainedModel> trained_model(const models::ModelOptions& options);

class CompressionCase : public CaseInstance {
 public:
  CompressionCase(CompressionSettings settings, const CaseContext& context);

  void run_once() override;
  Validation validate() override;
  bool drives_own_measurement() const override { return true; }
  std::vector<Metric> run_repetition() override;
  nlohmann::json details() const override;

 private:
  void measure_quality();
  std::vector<double> time_calls(Engine& engine, std::int64_t calls);

  CompressionSettings settings_;
  CaseContext context_;
  std::shared_ptr<const TrainedModel> trained_;
  CompressedChain chain_, dense_chain_;
  std::unique_ptr<Engine> engine_, dense_;
  models::Batch eval_;
  std::vector<torch::Tensor> batches_;  // inputs the timed calls cycle through
  std::size_t next_batch_ = 0;
  std::vector<Metric> quality_;         // accuracy, output error, size: the same every repetition
  bool warmed_up_ = false;
};

}  // namespace sciperf::suites::compression
