#include "suites/inference/model_sut.h"

#include "suites/common/torch_device.h"
#include "suites/common/autocast.h"

#include <algorithm>
#include <vector>

namespace sciperf::suites::inference {

ModelSampleLibrary::ModelSampleLibrary(const models::Dataset& data, std::int64_t count, const torch::Device& device) {
  const models::Batch samples = models::held_out(data, count);
  samples_ = {samples.input.to(device), samples.target.to(device)};
}

torch::Tensor ModelSampleLibrary::inputs(std::span<const loadgen::SampleIndex> samples) const {
  if (samples.size() == 1) return samples_.input.narrow(0, static_cast<std::int64_t>(samples[0]), 1);
  std::vector<std::int64_t> rows(samples.begin(), samples.end());
  return samples_.input.index_select(0, torch::tensor(rows, torch::kInt64).to(samples_.input.device()));
}

ModelSystemUnderTest::ModelSystemUnderTest(models::Model& model, const ModelSampleLibrary& library, bool bf16,
                                           const torch::Device& device, Dispatch dispatch, std::int64_t max_batch)
    : model_(model), library_(library), bf16_(bf16), device_(device), dispatch_(dispatch), max_batch_(max_batch) {
  model_.eval();
  if (dispatch_ == Dispatch::batching_worker) worker_ = std::thread([this] { serve(); });
}

ModelSystemUnderTest::~ModelSystemUnderTest() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  worker_.join();
}

torch::Tensor ModelSystemUnderTest::forward(const torch::Tensor& inputs) {
  // Inference mode and autocast are per thread: set where the forward runs.
  c10::InferenceMode inference;
  AutocastScope autocast(bf16_, device_.type());
  torch::Tensor output = model_.forward(inputs);
  synchronize(device_);
  return output;
}

torch::Tensor ModelSystemUnderTest::infer(std::span<const loadgen::SampleIndex> samples) {
  return forward(library_.inputs(samples)).to(torch::kFloat32);
}

void ModelSystemUnderTest::issue_query(const loadgen::Query& query, loadgen::QueryCompleter& completer) {
  if (dispatch_ == Dispatch::inline_call) {
    forward(library_.inputs(query.samples));
    ++batches_run_;
    completer.complete(query.id);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({query, &completer});
  }
  wake_.notify_one();
}

// Takes the waiting queries, as many as fit in max_batch samples (at least one), runs their
// samples in batches of at most max_batch, and completes them together.
void ModelSystemUnderTest::serve() {
  std::vector<Pending> batch;
  std::vector<loadgen::SampleIndex> samples;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      batch.clear();
      samples.clear();
      while (!queue_.empty()) {
        const Pending& next = queue_.front();
        if (!batch.empty() && static_cast<std::int64_t>(samples.size() + next.query.samples.size()) > max_batch_) break;
        samples.insert(samples.end(), next.query.samples.begin(), next.query.samples.end());
        batch.push_back(next);
        queue_.pop_front();
      }
    }
    for (std::size_t first = 0; first < samples.size(); first += static_cast<std::size_t>(max_batch_)) {
      const std::size_t count = std::min(samples.size() - first, static_cast<std::size_t>(max_batch_));
      forward(library_.inputs(std::span(samples).subspan(first, count)));
      ++batches_run_;
    }
    const auto finished = loadgen::Clock::now();
    for (const Pending& done : batch) done.completer->complete(done.query.id, finished);
  }
}

}  // namespace sciperf::suites::inference
