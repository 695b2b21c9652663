#include "suites/training/training_case.h"

#include "harness/file_names.h"
#include "harness/rank_sync.h"
#include "suites/common/torch_device.h"
#include "suites/common/autocast.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>

namespace sciperf::suites::training {
namespace {

using Clock = std::chrono::steady_clock;

// The timed steps cycle through this many pre-made batches, so the data generator (a PDE
// solver for the surrogate) is not what the step times.
constexpr std::int64_t kPoolBatches = 4;
// Rank 0 times this many steps alone, after as many warm-up steps, for the scaling efficiency.
constexpr int kSingleRankSteps = 5;
// The standalone all-reduce: one warm-up (the first connects the ranks), then the median of these.
constexpr int kStandaloneRounds = 3;
// Data-parallel gradients must match one process's within this fraction of the largest.
constexpr double kGradientTolerance = 1e-4;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Parameters and buffers (e.g. batch-norm statistics): everything ranks must agree on.
std::vector<torch::Tensor> model_state(models::Model& model) {
  std::vector<torch::Tensor> state = model.parameters();
  for (const torch::Tensor& buffer : model.buffers()) state.push_back(buffer);
  return state;
}

// As DistributedDataParallel does at construction: every rank starts from rank 0's state.
void broadcast_state(models::Model& model, MPI_Comm comm) {
  torch::NoGradGuard no_grad;
  for (torch::Tensor& tensor : model_state(model)) {
    torch::Tensor host = tensor.to(torch::kCPU).contiguous();
    MPI_Bcast(host.data_ptr(), static_cast<int>(host.numel() * host.element_size()), MPI_BYTE, 0, comm);
    tensor.copy_(host);
  }
}

// FNV-1a over the bytes of the model's state: equal on every rank iff the state is.
std::uint64_t state_checksum(models::Model& model) {
  std::uint64_t hash = 1469598103934665603ull;
  for (const torch::Tensor& tensor : model_state(model)) {
    const torch::Tensor host = tensor.detach().to(torch::kCPU).contiguous();
    const auto* bytes = static_cast<const unsigned char*>(host.data_ptr());
    for (std::int64_t i = 0; i < host.numel() * host.element_size(); ++i) hash = (hash ^ bytes[i]) * 1099511628211ull;
  }
  return hash;
}

std::int64_t state_elements(models::Model& model) {
  std::int64_t count = 0;
  for (const torch::Tensor& tensor : model_state(model)) count += tensor.numel();
  return count;
}

bool identical_on_all_ranks(std::uint64_t value, MPI_Comm comm) {
  std::uint64_t low = value, high = value;
  MPI_Allreduce(MPI_IN_PLACE, &low, 1, MPI_UINT64_T, MPI_MIN, comm);
  MPI_Allreduce(MPI_IN_PLACE, &high, 1, MPI_UINT64_T, MPI_MAX, comm);
  return low == high;
}

models::Batch to_device(const models::Batch& batch, const torch::Device& device) {
  return {batch.input.to(device), batch.target.to(device)};
}

torch::Tensor forward_loss(models::Model& model, const models::Batch& batch, models::TaskKind kind, bool bf16,
                           const torch::Device& device) {
  AutocastScope autocast(bf16, device.type());
  const torch::Tensor output = model.forward(batch.input);
  return models::loss(kind, output.to(torch::kFloat32), batch.target);
}

// One optimizer step; `buckets` null means a single process with no communication.
torch::Tensor train_step(models::Model& model, torch::optim::Optimizer& optimizer, GradientBuckets* buckets,
                         const models::Batch& host_batch, models::TaskKind kind, bool bf16, const torch::Device& device,
                         StepPhases& phases) {
  auto mark = Clock::now();
  auto lap = [&](double& phase) {
    synchronize(device);
    const auto now = Clock::now();
    phase += std::chrono::duration<double>(now - mark).count();
    mark = now;
  };
  const models::Batch batch = to_device(host_batch, device);
  lap(phases.data);
  optimizer.zero_grad();
  torch::Tensor loss = forward_loss(model, batch, kind, bf16, device);
  lap(phases.forward);
  if (buckets) buckets->begin_step();
  loss.backward();
  lap(phases.backward);
  if (buckets) phases.comm_exposed += buckets->finish_step();
  mark = Clock::now();
  optimizer.step();
  lap(phases.optimizer);
  return loss.detach();
}

Validation failed(std::string method, std::string detail) {
  Validation v;
  v.passed = false;
  v.method = std::move(method);
  v.detail = std::move(detail);
  return v;
}

// Case names hold every parameter; file names stop at 255 bytes.
std::string short_file_name(const std::string& case_name) {
  constexpr std::size_t kLongest = 160;
  std::string name = file_safe_name(case_name, "case");
  if (name.size() <= kLongest) return name;
  return fmt::format("{}-{:016x}", name.substr(0, kLongest), std::hash<std::string>{}(case_name));
}

}  // namespace

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::string& name, std::vector<torch::Tensor> parameters,
                                                        double learning_rate) {
  if (name == "sgd") return std::make_unique<torch::optim::SGD>(parameters, torch::optim::SGDOptions(learning_rate).momentum(0.9));
  if (name == "adam") return std::make_unique<torch::optim::Adam>(parameters, torch::optim::AdamOptions(learning_rate));
  if (name == "adamw") return std::make_unique<torch::optim::AdamW>(parameters, torch::optim::AdamWOptions(learning_rate));
  throw std::invalid_argument(fmt::format("optimizer: unknown '{}' (expected sgd, adam, adamw)", name));
}

std::int64_t first_sample(std::int64_t step, std::int64_t batch, int rank, int size) {
  return (step * size + rank) * batch;
}

TrainingCase::TrainingCase(TrainingSettings settings, const CaseContext& context)
    : settings_(std::move(settings)),
      context_(context),
      device_(rank_device(settings_.device, context)),
      task_(models::task_for(settings_.model)) {
  torch::set_num_threads(std::max(1, context_.threads_per_rank));
  model_ = models::make_model(settings_.model);
  model_->to(device_);
  broadcast_state(*model_, context_.comm);
  data_ = models::make_dataset(settings_.model, settings_.data, settings_.model.seed);
  optimizer_ = make_optimizer(settings_.optimizer, model_->parameters(), settings_.learning_rate);
  buckets_ = std::make_unique<GradientBuckets>(model_->parameters(), settings_.bucket_bytes, settings_.allreduce,
                                               settings_.overlap, context_.comm);
  for (std::int64_t k = 0; k < kPoolBatches; ++k)
    pool_.push_back(data_->batch(first_sample(k, settings_.batch, context_.rank, context_.size), settings_.batch));
  held_out_ = to_device(models::held_out(*data_, settings_.eval_samples), device_);
  comm_standalone_s_ = time_standalone_allreduce();
  single_rank_samples_per_s_ = static_cast<double>(settings_.batch) / time_single_rank_steps();
}

// Every gradient bucket all-reduced back to back with nothing to hide behind: what the
// communication costs when backward does not overlap it.
double TrainingCase::time_standalone_allreduce() {
  GradientBuckets probe(model_->parameters(), settings_.bucket_bytes, settings_.allreduce, false, context_.comm);
  std::vector<double> rounds;
  for (int round = 0; round <= kStandaloneRounds; ++round) {
    MPI_Barrier(context_.comm);
    const auto start = Clock::now();
    probe.begin_step();
    probe.finish_step();
    if (round > 0) rounds.push_back(allreduce_max(seconds_since(start), context_.comm));
  }
  for (torch::Tensor& parameter : model_->parameters()) parameter.mutable_grad() = torch::Tensor();
  std::nth_element(rounds.begin(), rounds.begin() + kStandaloneRounds / 2, rounds.end());
  return rounds[kStandaloneRounds / 2];
}

// Rank 0 trains a copy of the model alone while the others wait: the throughput one rank
// reaches without communication, against which data-parallel scaling is judged.
double TrainingCase::time_single_rank_steps() {
  double seconds = 0;
  if (context_.rank == 0) {
    auto scratch = models::make_model(settings_.model);
    scratch->to(device_);
    auto optimizer = make_optimizer(settings_.optimizer, scratch->parameters(), settings_.learning_rate);
    StepPhases ignored;
    auto steps = [&](int count) {
      for (int i = 0; i < count; ++i)
        train_step(*scratch, *optimizer, nullptr, pool_[static_cast<std::size_t>(i) % pool_.size()], task_.kind,
                   settings_.bf16, device_, ignored);
    };
    steps(kSingleRankSteps);
    const auto start = Clock::now();
    steps(kSingleRankSteps);
    seconds = seconds_since(start) / kSingleRankSteps;
  }
  MPI_Bcast(&seconds, 1, MPI_DOUBLE, 0, context_.comm);
  return seconds;
}

void TrainingCase::run_once() {
  const models::Batch& batch = pool_[next_batch_++ % pool_.size()];
  last_loss_ = train_step(*model_, *optimizer_, buckets_.get(), batch, task_.kind, settings_.bf16, device_, phases_);
}

void TrainingCase::wait() { synchronize(device_); }

void TrainingCase::begin_repetition() { phases_ = {}; }

std::vector<Metric> TrainingCase::end_repetition(std::int64_t operations) {
  const double steps = static_cast<double>(std::max<std::int64_t>(operations, 1)) * context_.size;
  auto per_step = [&](double seconds) { return allreduce_sum(seconds, context_.comm) / steps; };
  const double exposed = per_step(phases_.comm_exposed);
  const double loss = last_loss_.defined() ? last_loss_.item<double>() : std::nan("");
  return {{"time_data", per_step(phases_.data), "s", Direction::lower_is_better},
          {"time_forward", per_step(phases_.forward), "s", Direction::lower_is_better},
          {"time_backward", per_step(phases_.backward), "s", Direction::lower_is_better},
          {"time_comm_exposed", exposed, "s", Direction::lower_is_better},
          {"time_comm_overlapped", std::max(0.0, comm_standalone_s_ - exposed), "s", Direction::higher_is_better},
          {"time_optimizer", per_step(phases_.optimizer), "s", Direction::lower_is_better},
          {"train_loss", allreduce_max(loss, context_.comm), "", Direction::lower_is_better}};
}

std::vector<Metric> TrainingCase::derived_metrics(double seconds_per_op) const {
  const double global_batch = static_cast<double>(settings_.batch) * context_.size;
  const double samples_per_s = global_batch / seconds_per_op;
  // A training step costs about three forward passes (forward, and backward's two products).
  const double flops_per_sample = 3 * model_->forward_flops_per_sample();
  // Bytes likewise: three forward passes' traffic (backward reads weights and activations
  // again and writes their gradients), parameters amortized over this rank's batch.
  const double bytes_per_sample = 3 * models::forward_bytes_per_sample(*model_, static_cast<double>(settings_.batch));
  std::vector<Metric> metrics{
      {"samples_per_s", samples_per_s, "samples/s", Direction::higher_is_better},
      {"samples_per_s_per_rank", samples_per_s / context_.size, "samples/s", Direction::higher_is_better},
      {"scaling_efficiency", samples_per_s / (context_.size * single_rank_samples_per_s_), "", Direction::higher_is_better},
      {"gflops", flops_per_sample * samples_per_s / 1e9, "GFLOP/s", Direction::higher_is_better},
      {"flops_per_sample", flops_per_sample, "FLOP", Direction::lower_is_better},
      {"bytes_per_sample", bytes_per_sample, "bytes", Direction::lower_is_better},
      {"arithmetic_intensity", flops_per_sample / bytes_per_sample, "FLOP/B", Direction::higher_is_better},
      {"time_comm_standalone", comm_standalone_s_, "s", Direction::lower_is_better}};
  if (time_to_target_s_) {
    metrics.push_back({"time_to_target", *time_to_target_s_, "s", Direction::lower_is_better});
    metrics.push_back({"steps_to_target", static_cast<double>(steps_to_target_), "steps", Direction::lower_is_better});
  }
  return metrics;
}

Validation TrainingCase::validate() {
  if (!checked_before_) {
    checked_before_ = true;
    return check_before_timing();
  }
  return check_after_timing();
}

// Before any timing: the data-parallel gradients equal one process's on the whole global
// batch, every rank holds the same model, and (science data) training reaches the task's
// target — a run that cannot learn is failed, never reported as fast.
Validation TrainingCase::check_before_timing() {
  Validation gradients = check_data_parallel_gradients();
  if (!gradients.passed) return gradients;
  Validation state = check_after_timing();
  if (!state.passed) return state;
  if (settings_.to_target && settings_.data == models::DataMode::science) {
    const std::string method = fmt::format("{}; held-out loss <= {} within {} steps", state.method, task_.target_loss,
                                           settings_.max_steps);
    if (!train_to_target())
      return failed(method, fmt::format("did not reach the target held-out loss {} in {} steps (last {:.4g})",
                                        task_.target_loss, settings_.max_steps, loss_curve_.back()[2].get<double>()));
    state.method = method;
  }
  state.method = fmt::format("{}; {}", gradients.method, state.method);
  state.max_error = gradients.max_error;
  return state;
}

Validation TrainingCase::check_after_timing() {
  Validation v;
  v.method = "parameters identical on every rank (checksum)";
  v.checked = static_cast<std::uint64_t>(state_elements(*model_)) * static_cast<std::uint64_t>(context_.size);
  if (!identical_on_all_ranks(state_checksum(*model_), context_.comm)) {
    v.passed = false;
    v.mismatches = 1;
    v.detail = "the ranks' parameters differ after training";
    return v;
  }
  const double loss = last_loss_.defined() ? allreduce_max(last_loss_.item<double>(), context_.comm) : 0.0;
  if (!std::isfinite(loss)) {
    v.passed = false;
    v.detail = fmt::format("training loss is {}", loss);
  }
  return v;
}

// One step of gradients, two ways, on fresh copies of the model in evaluation mode (batch
// statistics would differ between a slice and the whole batch): averaged over ranks by the
// buckets, and by this process alone on every rank's samples at once.
Validation TrainingCase::check_data_parallel_gradients() {
  const std::string method = fmt::format("data-parallel gradients = one process's on the global batch "
                                         "(|error| <= {} max|g|)", kGradientTolerance);
  auto parallel = models::make_model(settings_.model);
  auto single = models::make_model(settings_.model);
  for (auto* model : {parallel.get(), single.get()}) {
    model->to(device_);
    model->eval();
  }
  broadcast_state(*parallel, context_.comm);
  broadcast_state(*single, context_.comm);
  {
    GradientBuckets buckets(parallel->parameters(), settings_.bucket_bytes, settings_.allreduce, settings_.overlap,
                            context_.comm);
    const models::Batch slice = to_device(data_->batch(first_sample(0, settings_.batch, context_.rank, context_.size),
                                                      settings_.batch), device_);
    buckets.begin_step();
    forward_loss(*parallel, slice, task_.kind, false, device_).backward();
    buckets.finish_step();
  }
  const models::Batch whole = to_device(data_->batch(0, settings_.batch * context_.size), device_);
  forward_loss(*single, whole, task_.kind, false, device_).backward();

  const auto parallel_parameters = parallel->parameters();
  const auto single_parameters = single->parameters();
  double largest = 0, worst = 0;
  std::uint64_t mismatches = 0, checked = 0;
  for (std::size_t i = 0; i < single_parameters.size(); ++i) {
    const torch::Tensor reference = single_parameters[i].grad();
    if (!reference.defined()) continue;
    largest = std::max(largest, reference.abs().max().item<double>());
  }
  const double tolerance = kGradientTolerance * largest + 1e-12;
  for (std::size_t i = 0; i < single_parameters.size(); ++i) {
    const torch::Tensor reference = single_parameters[i].grad();
    if (!reference.defined()) continue;
    const torch::Tensor error = (parallel_parameters[i].grad() - reference).abs();
    worst = std::max(worst, error.max().item<double>());
    mismatches += static_cast<std::uint64_t>((error > tolerance).sum().item<std::int64_t>());
    checked += static_cast<std::uint64_t>(reference.numel());
  }
  Validation v;
  v.method = method;
  v.checked = checked * static_cast<std::uint64_t>(context_.size);
  MPI_Allreduce(MPI_IN_PLACE, &mismatches, 1, MPI_UINT64_T, MPI_SUM, context_.comm);
  v.mismatches = mismatches;
  v.max_error = allreduce_max(worst / tolerance, context_.comm);
  v.passed = mismatches == 0;
  if (!v.passed)
    v.detail = fmt::format("{} gradient elements differ from one process's by more than {:.3g} (worst {:.3g} x tolerance)",
                           mismatches, tolerance, v.max_error);
  return v;
}

double TrainingCase::held_out_loss(double* quality) {
  torch::NoGradGuard no_grad;
  model_->eval();
  AutocastScope autocast(settings_.bf16, device_.type());
  const torch::Tensor output = model_->forward(held_out_.input).to(torch::kFloat32);
  model_->train();
  // Every rank evaluates the same samples with the same parameters; the max guards the
  // decision against last-bit differences.
  *quality = allreduce_min(models::quality(task_.kind, output, held_out_.target), context_.comm);
  return allreduce_max(models::loss(task_.kind, output, held_out_.target).item<double>(), context_.comm);
}

// MLPerf's score: wall time from the first step until the held-out loss reaches the target,
// evaluations included, on fresh samples every step.
bool TrainingCase::train_to_target() {
  const std::int64_t global_batch = settings_.batch * context_.size;
  mllog_.add("submission_benchmark", settings_.model.name);
  mllog_.add("global_batch_size", global_batch);
  mllog_.add("opt_name", settings_.optimizer);
  mllog_.add("opt_base_learning_rate", settings_.learning_rate);
  mllog_.add("target_loss", task_.target_loss);
  MPI_Barrier(context_.comm);
  mllog_.add("run_start", nullptr, MllogEvent::interval_start);
  const auto start = Clock::now();
  bool reached = false;
  std::int64_t step = 0;
  StepPhases ignored;
  while (step < settings_.max_steps && !reached) {
    const models::Batch batch =
        data_->batch(first_sample(kPoolBatches + step, settings_.batch, context_.rank, context_.size), settings_.batch);
    last_loss_ = train_step(*model_, *optimizer_, buckets_.get(), batch, task_.kind, settings_.bf16, device_, ignored);
    ++step;
    if (step % settings_.eval_every != 0 && step != settings_.max_steps) continue;
    double quality = 0;
    const double loss = held_out_loss(&quality);
    reached = loss <= task_.target_loss;
    loss_curve_.push_back({step, last_loss_.item<double>(), loss, quality});
    mllog_.add("eval_loss", loss, MllogEvent::point_in_time, {{"step_num", step}, {"samples_seen", step * global_batch}});
    mllog_.add("eval_accuracy", quality, MllogEvent::point_in_time,
               {{"step_num", step}, {"metric", task_.quality_metric}});
  }
  const double seconds = allreduce_max(seconds_since(start), context_.comm);
  mllog_.add("run_stop", nullptr, MllogEvent::interval_end, {{"status", reached ? "success" : "aborted"}});
  if (settings_.mllog && context_.rank == 0)
    mllog_.append_to(context_.output_dir / "mllog" / (short_file_name(context_.case_name) + ".log"));
  if (reached) {
    time_to_target_s_ = seconds;
    steps_to_target_ = step;
  }
  return reached;
}

nlohmann::json TrainingCase::details() const {
  return {{"model", model_->describe()},
          {"task", {{"name", task_.name}, {"quality_metric", task_.quality_metric}, {"target_loss", task_.target_loss}}},
          {"data", data_->describe()},
          {"gradient_buckets", buckets_->bucket_count()},
          {"gradient_bytes", buckets_->gradient_bytes()},
          {"device", device_.str()},
          // [step, training loss, held-out loss, held-out quality] at each evaluation
          {"loss_curve", loss_curve_}};
}

}  // namespace sciperf::suites::training
