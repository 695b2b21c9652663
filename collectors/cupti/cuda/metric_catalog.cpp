#include "collectors/cupti/cuda/metric_catalog.h"

#include "harness/edit_distance.h"

#include <cupti_profiler_host.h>
#include <cupti_result.h>
#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#define SCIPERF_CUPTI_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCIPERF_CUPTI_UNDER_ASAN 1
#endif
#endif

namespace sciperf::collectors::cupti {
namespace {

// The host API keeps state of its own (chip descriptions, loaded on first use); calls from
// several threads are serialized here.
std::mutex& host_mutex() {
  static std::mutex mutex;
  return mutex;
}

// libcupti loads libnvperf_host.so with dlopen by its bare name on first use of the host API,
// so it is found only through LD_LIBRARY_PATH or the ld.so cache, never beside libcupti (whose
// directory our binaries reach through their RUNPATH). Loading it first from libcupti's own
// directory makes CUPTI's dlopen find the loaded copy by its soname. If that fails, CUPTI
// searches as usual and a failure shows as CUPTI_ERROR_NOT_INITIALIZED.
void load_nvperf_host_beside_cupti() {
  if (auto reason = host_api_unavailable_reason()) throw CuptiError(*reason);
  static std::once_flag once;
  std::call_once(once, [] {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&cuptiProfilerHostInitialize), &info) == 0 || info.dli_fname == nullptr) return;
    std::string path = info.dli_fname;
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return;
    path = path.substr(0, slash + 1) + "libnvperf_host.so";
    // Kept loaded for the life of the process, as CUPTI keeps it.
    dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  });
}

void check(const char* function, CUptiResult result) {
  if (result != CUPTI_SUCCESS) throw CuptiError(cupti_error_message(function, result));
}

// A host object for one chip, without locking (callers hold host_mutex()).
class RawHost {
 public:
  RawHost(const std::string& chip, const std::vector<std::uint8_t>& counter_availability) {
    load_nvperf_host_beside_cupti();
    CUpti_Profiler_Host_Initialize_Params params{CUpti_Profiler_Host_Initialize_Params_STRUCT_SIZE};
    params.profilerType = CUPTI_PROFILER_TYPE_RANGE_PROFILER;
    params.pChipName = chip.c_str();
    params.pCounterAvailabilityImage = counter_availability.empty() ? nullptr : counter_availability.data();
    check("cuptiProfilerHostInitialize", cuptiProfilerHostInitialize(&params));
    object_ = params.pHostObject;
  }
  ~RawHost() {
    if (object_ == nullptr) return;
    CUpti_Profiler_Host_Deinitialize_Params params{CUpti_Profiler_Host_Deinitialize_Params_STRUCT_SIZE};
    params.pHostObject = object_;
    cuptiProfilerHostDeinitialize(&params);
  }
  RawHost(const RawHost&) = delete;
  RawHost& operator=(const RawHost&) = delete;
  CUpti_Profiler_Host_Object* get() const { return object_; }
  CUpti_Profiler_Host_Object* release() { return std::exchange(object_, nullptr); }

 private:
  CUpti_Profiler_Host_Object* object_ = nullptr;
};

std::vector<std::string> supported_chips_locked() {
  load_nvperf_host_beside_cupti();
  CUpti_Profiler_Host_GetSupportedChips_Params params{CUpti_Profiler_Host_GetSupportedChips_Params_STRUCT_SIZE};
  check("cuptiProfilerHostGetSupportedChips", cuptiProfilerHostGetSupportedChips(&params));
  std::vector<std::string> chips;
  for (std::size_t i = 0; i < params.numChips; ++i) chips.emplace_back(params.ppChipNames[i]);
  return chips;
}

// Whether CUPTI takes `metric` into a config for `chip`: the one authoritative check (metric
// properties, for instance, accept a base metric without rollup that no config can collect).
bool accepted(const std::string& chip, const std::string& metric) {
  RawHost host(chip, {});
  const char* name = metric.c_str();
  CUpti_Profiler_Host_ConfigAddMetrics_Params params{CUpti_Profiler_Host_ConfigAddMetrics_Params_STRUCT_SIZE};
  params.pHostObject = host.get();
  params.ppMetricNames = &name;
  params.numMetrics = 1;
  const CUptiResult result = cuptiProfilerHostConfigAddMetrics(&params);
  // CUDA 13.0 answers a bad name with CUPTI_ERROR_INVALID_PARAMETER; the header documents
  // CUPTI_ERROR_INVALID_METRIC_NAME. Anything else is CUPTI failing, not the name.
  if (result == CUPTI_ERROR_INVALID_PARAMETER || result == CUPTI_ERROR_INVALID_METRIC_NAME) return false;
  check("cuptiProfilerHostConfigAddMetrics", result);
  return true;
}

// The base metrics of a chip with their kind, group prefixes ("TriageCompute.") removed.
// Built only when a name is wrong, to say which one was meant.
class ChipCatalog {
 public:
  explicit ChipCatalog(const std::string& chip) : chip_(chip), host_(chip, {}) {
    for (auto type : {CUPTI_METRIC_TYPE_COUNTER, CUPTI_METRIC_TYPE_RATIO, CUPTI_METRIC_TYPE_THROUGHPUT}) {
      CUpti_Profiler_Host_GetBaseMetrics_Params params{CUpti_Profiler_Host_GetBaseMetrics_Params_STRUCT_SIZE};
      params.pHostObject = host_.get();
      params.metricType = type;
      check("cuptiProfilerHostGetBaseMetrics", cuptiProfilerHostGetBaseMetrics(&params));
      for (std::size_t i = 0; i < params.numMetrics; ++i) {
        std::string name = params.ppMetricNames[i];
        const auto dot = name.rfind('.');
        if (dot != std::string::npos) name = name.substr(dot + 1);
        bases_.emplace(std::move(name), type);
      }
    }
  }

  bool has_base(const std::string& base) const { return bases_.count(base) != 0; }

  // Suffixes `base` takes (".sum", ".avg.per_second", ...).
  std::vector<std::string> suffixes(const std::string& base) const {
    CUpti_Profiler_Host_GetSubMetrics_Params params{CUpti_Profiler_Host_GetSubMetrics_Params_STRUCT_SIZE};
    params.pHostObject = host_.get();
    params.metricType = bases_.at(base);
    params.pMetricName = base.c_str();
    check("cuptiProfilerHostGetSubMetrics", cuptiProfilerHostGetSubMetrics(&params));
    return {params.ppSubMetrics, params.ppSubMetrics + params.numOfSubmetrics};
  }

  // The plain rollups of `base` (.avg .max .min .sum); for a throughput, which has none, all
  // its suffixes.
  std::vector<std::string> rollups(const std::string& base) const {
    std::vector<std::string> plain;
    const auto all = suffixes(base);
    for (const auto& candidate : all)
      if (candidate.find('.', 1) == std::string::npos) plain.push_back(candidate);
    return plain.empty() ? all : plain;
  }

  // The rollup to suggest: .sum where there is one, else an "elapsed" percentage (throughputs).
  std::string usual_rollup(const std::string& base) const {
    const auto candidates = rollups(base);
    if (candidates.empty()) return "";
    for (const auto& candidate : candidates)
      if (candidate == ".sum") return candidate;
    for (const auto& candidate : candidates)
      if (candidate.find("elapsed") != std::string::npos) return candidate;
    return candidates.front();
  }

  // The base metric nearest to `base`, or "" when none is near enough to be a likely typo.
  std::string closest_base(const std::string& base) const {
    std::string best;
    std::size_t best_distance = std::string::npos;
    for (const auto& [name, type] : bases_) {
      const std::size_t distance = edit_distance(base, name, LetterCase::ignored);
      if (distance < best_distance) best = name, best_distance = distance;
    }
    return best_distance <= std::max<std::size_t>(3, base.size() / 3) ? best : "";
  }

  // The suffix of `base` nearest to `suffix`: one that starts with it (".sum" for a
  // throughput: ".sum.pct_of_peak_sustained_elapsed"), else the closest by edit distance.
  std::string closest_suffix(const std::string& base, const std::string& suffix) const {
    std::string best;
    std::size_t best_score = std::string::npos;
    for (const auto& candidate : suffixes(base)) {
      const bool extends = !suffix.empty() && candidate.rfind(suffix, 0) == 0;
      // Extensions first, the "elapsed" form (the usual one) before "active".
      const std::size_t score = extends ? (candidate.find("active") == std::string::npos ? 0 : 1)
                                        : 2 + edit_distance(suffix, candidate, LetterCase::ignored);
      if (score < best_score) best = candidate, best_score = score;
    }
    return best;
  }

 private:
  std::string chip_;
  RawHost host_;
  std::map<std::string, CUpti_MetricType> bases_;
};

std::string quoted(const std::string& text) { return "'" + text + "'"; }

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

// Why CUPTI refuses `metric` on `chip`, with the name most likely meant.
std::string explain_rejection(const ChipCatalog& catalog, const std::string& chip, const std::string& metric) {
  // A base metric is `unit__quantity` (possibly after a group prefix); what follows its first
  // dot is the rollup and submetric.
  const auto underscores = metric.find("__");
  const auto base_end = metric.find('.', underscores == std::string::npos ? 0 : underscores);
  std::string base = metric.substr(0, base_end);
  const std::string suffix = base_end == std::string::npos ? "" : metric.substr(base_end);
  const auto group = base.rfind('.');
  if (group != std::string::npos) base = base.substr(group + 1);

  if (catalog.has_base(base)) {
    if (suffix.empty()) {
      return quoted(metric) + " needs a rollup on " + chip + ": one of " + joined(catalog.rollups(base), " ") +
             " (e.g. " + metric + catalog.usual_rollup(base) + ")";
    }
    const std::string nearest = catalog.closest_suffix(base, suffix);
    return quoted(metric) + " is not a " + chip + " metric: " + base + " does not take " + quoted(suffix) +
           (nearest.empty() ? "" : " (closest: " + metric.substr(0, metric.size() - suffix.size()) + nearest + ")");
  }
  const std::string nearest_base = catalog.closest_base(base);
  if (nearest_base.empty()) return quoted(metric) + " is not a " + chip + " metric";
  std::string suggestion = nearest_base + suffix;
  if (suffix.empty())
    suggestion = nearest_base + catalog.usual_rollup(nearest_base);
  else if (!accepted(chip, suggestion))
    suggestion = nearest_base + catalog.closest_suffix(nearest_base, suffix);
  return quoted(metric) + " is not a " + chip + " metric (closest: " + suggestion + ")";
}

// Why `chip` cannot be used, or "" when CUPTI knows it.
std::string unknown_chip_problem(const std::string& chip) {
  const auto chips = supported_chips_locked();
  if (std::find(chips.begin(), chips.end(), chip) != chips.end()) return "";
  std::string closest;
  std::size_t closest_distance = 2;  // a case slip or one wrong character
  for (const auto& known : chips)
    if (const std::size_t distance = edit_distance(chip, known, LetterCase::ignored); distance < closest_distance)
      closest = " (closest: " + known + ")", closest_distance = distance;
  return quoted(chip) + " is not a chip this CUPTI knows" + closest + "; known chips: " + joined(chips, ", ");
}

std::vector<std::string> metric_problems_locked(const std::string& chip, const std::vector<std::string>& metrics) {
  if (auto problem = unknown_chip_problem(chip); !problem.empty()) return {problem};
  std::vector<std::string> problems;
  std::unique_ptr<ChipCatalog> catalog;
  for (const auto& metric : metrics) {
    if (metric.empty()) {
      problems.push_back("'' (an empty name) is not a metric");
      continue;
    }
    if (accepted(chip, metric)) continue;
    if (!catalog) catalog = std::make_unique<ChipCatalog>(chip);
    problems.push_back(explain_rejection(*catalog, chip, metric));
  }
  return problems;
}

std::vector<std::string> without_duplicates(const std::vector<std::string>& metrics) {
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const auto& metric : metrics)
    if (seen.insert(metric).second) unique.push_back(metric);
  return unique;
}

}  // namespace

std::optional<std::string> host_api_unavailable_reason() {
#ifdef SCIPERF_CUPTI_UNDER_ASAN
  return "CUPTI's host API cannot run under AddressSanitizer: libcupti loads libnvperf_host.so with "
         "RTLD_DEEPBIND, which the sanitizer's runtime answers by ending the process";
#else
  return std::nullopt;
#endif
}

std::string cupti_error_message(const char* function, int result) {
  const char* text = nullptr;
  if (cuptiGetResultString(static_cast<CUptiResult>(result), &text) != CUPTI_SUCCESS || text == nullptr)
    text = "unknown CUPTI result";
  std::string message = std::string(function) + ": " + text + " (" + std::to_string(result) + ")";
  switch (result) {
    case CUPTI_ERROR_INSUFFICIENT_PRIVILEGES:
      message += ": GPU performance counters are restricted to administrators on this machine; profile as "
                 "root, or have the NVIDIA driver loaded with NVreg_RestrictProfilingToAdminUsers=0 "
                 "(see https://developer.nvidia.com/ERR_NVGPUCTRPERM)";
      break;
    case CUPTI_ERROR_VIRTUALIZED_DEVICE_INSUFFICIENT_PRIVILEGES:
      message += ": the hypervisor does not allow profiling this virtual GPU (enable profiling for the vGPU)";
      break;
    case CUPTI_ERROR_HARDWARE_BUSY:
      message += ": another profiler holds the GPU's performance counters, typically DCGM's profiling "
                 "metrics (dcgm-exporter, nv-hostengine) or Nsight Compute/Systems; pause DCGM with "
                 "`dcgmi profile --pause` (and `dcgmi profile --resume` afterwards) or stop the other tool";
      break;
    case CUPTI_ERROR_MULTIPLE_SUBSCRIBERS_NOT_SUPPORTED:
      message += ": another CUPTI client is attached to this process (Nsight Systems, Nsight Compute, "
                 "cuda-gdb or a second profiler in the program); run without it";
      break;
    case CUPTI_ERROR_NOT_INITIALIZED:
      message += ": CUPTI could not initialize its profiler; for host calls this means libnvperf_host.so "
                 "(shipped beside libcupti in the CUDA toolkit) was not found: add its directory to "
                 "LD_LIBRARY_PATH";
      break;
    case CUPTI_ERROR_MIG_DEVICE_NOT_SUPPORTED:
      message += ": profiling a MIG instance is not supported; profile a whole GPU";
      break;
    default:
      break;
  }
  return message;
}

std::vector<std::string> supported_chips() {
  std::lock_guard lock(host_mutex());
  return supported_chips_locked();
}

std::vector<std::string> metric_problems(const std::string& chip, const std::vector<std::string>& metrics) {
  std::lock_guard lock(host_mutex());
  return metric_problems_locked(chip, metrics);
}

MetricInfo metric_info(const std::string& chip, const std::string& metric) {
  std::lock_guard lock(host_mutex());
  const auto problems = metric_problems_locked(chip, {metric});
  if (!problems.empty()) throw CuptiError(problems.front());
  RawHost host(chip, {});
  CUpti_Profiler_Host_GetMetricProperties_Params params{CUpti_Profiler_Host_GetMetricProperties_Params_STRUCT_SIZE};
  params.pHostObject = host.get();
  params.pMetricName = metric.c_str();
  check("cuptiProfilerHostGetMetricProperties", cuptiProfilerHostGetMetricProperties(&params));
  static const char* const kinds[] = {"counter", "ratio", "throughput"};
  return MetricInfo{metric, params.pDescription ? params.pDescription : "", params.pDimUnit ? params.pDimUnit : "",
                    params.metricType < CUPTI_METRIC_TYPE__COUNT ? kinds[params.metricType] : "unknown"};
}

ProfilerHost::ProfilerHost(std::string chip, std::vector<std::uint8_t> counter_availability)
    : chip_(std::move(chip)), counter_availability_(std::move(counter_availability)) {
  std::lock_guard lock(host_mutex());
  if (auto problem = unknown_chip_problem(chip_); !problem.empty()) throw CuptiError(problem);
  RawHost host(chip_, counter_availability_);
  object_ = host.release();
}

ProfilerHost::~ProfilerHost() {
  std::lock_guard lock(host_mutex());
  CUpti_Profiler_Host_Deinitialize_Params params{CUpti_Profiler_Host_Deinitialize_Params_STRUCT_SIZE};
  params.pHostObject = object_;
  cuptiProfilerHostDeinitialize(&params);
}

MetricConfig ProfilerHost::configure(const std::vector<std::string>& metrics) {
  std::lock_guard lock(host_mutex());
  if (configured_) throw CuptiError("ProfilerHost::configure: this host object already has a metric list");
  if (metrics.empty()) throw CuptiError("no CUPTI metric to profile: the metric list is empty");
  const auto problems = metric_problems_locked(chip_, metrics);
  if (!problems.empty()) throw CuptiError(joined(problems, "\n"));

  MetricConfig config;
  config.chip = chip_;
  config.metrics = without_duplicates(metrics);
  std::vector<const char*> names;
  for (const auto& metric : config.metrics) names.push_back(metric.c_str());

  CUpti_Profiler_Host_ConfigAddMetrics_Params add{CUpti_Profiler_Host_ConfigAddMetrics_Params_STRUCT_SIZE};
  add.pHostObject = object_;
  add.ppMetricNames = names.data();
  add.numMetrics = names.size();
  check("cuptiProfilerHostConfigAddMetrics", cuptiProfilerHostConfigAddMetrics(&add));
  configured_ = true;

  CUpti_Profiler_Host_GetConfigImageSize_Params size{CUpti_Profiler_Host_GetConfigImageSize_Params_STRUCT_SIZE};
  size.pHostObject = object_;
  check("cuptiProfilerHostGetConfigImageSize", cuptiProfilerHostGetConfigImageSize(&size));
  config.image.resize(size.configImageSize);

  CUpti_Profiler_Host_GetConfigImage_Params image{CUpti_Profiler_Host_GetConfigImage_Params_STRUCT_SIZE};
  image.pHostObject = object_;
  image.configImageSize = config.image.size();
  image.pConfigImage = config.image.data();
  check("cuptiProfilerHostGetConfigImage", cuptiProfilerHostGetConfigImage(&image));

  CUpti_Profiler_Host_GetNumOfPasses_Params passes{CUpti_Profiler_Host_GetNumOfPasses_Params_STRUCT_SIZE};
  passes.configImageSize = config.image.size();
  passes.pConfigImage = config.image.data();
  check("cuptiProfilerHostGetNumOfPasses", cuptiProfilerHostGetNumOfPasses(&passes));
  config.passes = passes.numOfPasses;
  return config;
}

std::vector<double> ProfilerHost::evaluate(const std::vector<std::uint8_t>& counter_data, std::size_t range,
                                           const std::vector<std::string>& metrics) const {
  std::lock_guard lock(host_mutex());
  std::vector<const char*> names;
  for (const auto& metric : metrics) names.push_back(metric.c_str());
  std::vector<double> values(metrics.size());
  CUpti_Profiler_Host_EvaluateToGpuValues_Params params{CUpti_Profiler_Host_EvaluateToGpuValues_Params_STRUCT_SIZE};
  params.pHostObject = object_;
  params.pCounterDataImage = counter_data.data();
  params.counterDataImageSize = counter_data.size();
  params.rangeIndex = range;
  params.ppMetricNames = names.data();
  params.numMetrics = names.size();
  params.pMetricValues = values.data();
  check("cuptiProfilerHostEvaluateToGpuValues", cuptiProfilerHostEvaluateToGpuValues(&params));
  return values;
}

MetricConfig metric_config(const std::string& chip, const std::vector<std::string>& metrics) {
  {
    std::lock_guard lock(host_mutex());
    const auto problems = metric_problems_locked(chip, metrics);
    if (!problems.empty()) throw CuptiError(joined(problems, "\n"));
  }
  ProfilerHost host(chip);
  return host.configure(metrics);
}

}  // namespace sciperf::collectors::cupti
