// One inference case on one rank: a model of the zoo served to the load generator in one
// of MLPerf's scenarios. Every rank serves its own replica at the same time, and latencies
// are merged across ranks as histograms (never averaged percentiles); rates add up.
#pragma once

#include "harness/suite.h"
#include "kernels/models/data.h"
#include "kernels/models/fit.h"
#include "kernels/models/model.h"
#include "kernels/models/task.h"
#include "suites/inference/loadgen/scenarios.h"
#include "suites/inference/loadgen/test_settings.h"
#include "suites/inference/model_sut.h"

#include <memory>
#include <optional>

namespace sciperf::suites::inference {

struct InferenceSettings {
  models::ModelOptions model;
  bool bf16 = false;
  std::string device = "cpu";
  loadgen::TestSettings loadgen;
  std::int64_t max_batch = 64;   // Server and Offline: samples the SUT runs at once
  std::int64_t samples = 1024;   // held-out samples in the sample library
  bool train = true;             // train to the task's target first; record held-out quality
  bool qps_search = false;       // Server: search the highest QPS meeting the latency bound
};

class InferenceCase : public CaseInstance {
 public:
  InferenceCase(InferenceSettings settings, const CaseContext& context);

  void run_once() override;
  Validation validate() override;
  bool drives_own_measurement() const override { return true; }
  std::vector<Metric> run_repetition() override;
  nlohmann::json details() const override;

 private:
  Validation check_outputs();
  void warm_up();
  std::vector<Metric> merged_metrics(loadgen::ScenarioResult& result);

  InferenceSettings settings_;
  CaseContext context_;
  torch::Device device_;
  std::shared_ptr<models::Model> model_;
  std::unique_ptr<models::Dataset> data_;
  models::Task task_;
  std::optional<models::FitResult> fit_;
  std::unique_ptr<ModelSampleLibrary> library_;
  std::unique_ptr<ModelSystemUnderTest> sut_;
  bool checked_before_ = false;
  bool warmed_up_ = false;
  std::optional<double> searched_qps_;
  nlohmann::json search_curve_;
  nlohmann::json runs_ = nlohmann::json::array();  // each repetition's result on rank 0
  std::vector<std::string> invalid_;               // why repetitions were invalid, any rank
};

}  // namespace sciperf::suites::inference
