// A model of the zoo as LoadGen's system under test, and its samples as the sample library.
// Queries run inline in the issuing thread (SingleStream, MultiStream: one query in flight,
// so a hand-off to another thread would only add latency) or on a worker thread that batches
// whatever queries are waiting, up to a batch size (Server, Offline), as serving systems do.
#pragma once

#include "kernels/models/data.h"
#include "kernels/models/model.h"
#include "suites/inference/loadgen/query_sample_library.h"
#include "suites/inference/loadgen/system_under_test.h"

#include <torch/torch.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace sciperf::suites::inference {

// `count` held-out samples of the model's data, made once and kept in memory.
class ModelSampleLibrary final : public loadgen::QuerySampleLibrary {
 public:
  ModelSampleLibrary(const models::Dataset& data, std::int64_t count, const torch::Device& device);
  std::string_view name() const override { return "held-out samples"; }
  std::size_t total_sample_count() const override { return static_cast<std::size_t>(samples_.input.size(0)); }
  std::size_t performance_sample_count() const override { return total_sample_count(); }
  void load_samples(std::span<const loadgen::SampleIndex>) override {}
  void unload_samples(std::span<const loadgen::SampleIndex>) override {}

  // The inputs of these samples as one batch (a view when there is one sample).
  torch::Tensor inputs(std::span<const loadgen::SampleIndex> samples) const;
  const models::Batch& all() const { return samples_; }

 private:
  models::Batch samples_;
};

enum class Dispatch { inline_call, batching_worker };

class ModelSystemUnderTest final : public loadgen::SystemUnderTest {
 public:
  ModelSystemUnderTest(models::Model& model, const ModelSampleLibrary& library, bool bf16, const torch::Device& device,
                       Dispatch dispatch, std::int64_t max_batch);
  ~ModelSystemUnderTest() override;
  ModelSystemUnderTest(const ModelSystemUnderTest&) = delete;
  ModelSystemUnderTest& operator=(const ModelSystemUnderTest&) = delete;

  std::string_view name() const override { return "model"; }
  void issue_query(const loadgen::Query& query, loadgen::QueryCompleter& completer) override;

  // The model's outputs for these samples, computed the way queries are (for validation).
  torch::Tensor infer(std::span<const loadgen::SampleIndex> samples);
  std::uint64_t batches_run() const { return batches_run_; }

 private:
  struct Pending {
    loadgen::Query query;
    loadgen::QueryCompleter* completer;
  };
  void serve();
  torch::Tensor forward(const torch::Tensor& inputs);

  models::Model& model_;
  const ModelSampleLibrary& library_;
  bool bf16_;
  torch::Device device_;
  Dispatch dispatch_;
  std::int64_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> batches_run_{0};
  std::thread worker_;
};

}  // namespace sciperf::suites::inference
