#include "collectors/cupti/cuda/range_profiler.h"

#include "collectors/cupti/cuda/metric_catalog.h"

#include <cuda.h>  // types only (CUcontext, CUdevice): nothing links libcuda
#include <cuda_runtime_api.h>
#include <cupti_profiler_target.h>
#include <cupti_range_profiler.h>
#include <cupti_target.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <utility>

namespace sciperf::collectors::cupti {
namespace {

void check(const char* function, CUptiResult result) {
  if (result != CUPTI_SUCCESS) throw CuptiError(cupti_error_message(function, result));
}

std::string cuda_message(const char* function, cudaError_t error) {
  return std::string(function) + ": " + cudaGetErrorString(error) + " (cudaError " + std::to_string(error) + ")";
}

void check_cuda(const char* function, cudaError_t error) {
  if (error != cudaSuccess) throw CuptiError(cuda_message(function, error));
}

// A driver function through the runtime, so that nothing links libcuda.
template <class Function>
Function driver_function(const char* symbol) {
  void* function = nullptr;
  cudaDriverEntryPointQueryResult status{};
  check_cuda("cudaGetDriverEntryPointByVersion",
             cudaGetDriverEntryPointByVersion(symbol, &function, CUDART_VERSION, cudaEnableDefault, &status));
  if (status != cudaDriverEntryPointSuccess || function == nullptr)
    throw CuptiError(std::string("the CUDA driver has no ") + symbol);
  return reinterpret_cast<Function>(function);
}

using CtxGetCurrent = CUresult (*)(CUcontext*);
using DeviceGet = CUresult (*)(CUdevice*, int);

// cuptiProfilerInitialize, once per process (it loads CUPTI's profiling pieces and hooks the
// driver); never deinitialized, as other profiler users in the process may rely on it.
void initialize_profiler() {
  static std::once_flag once;
  static CUptiResult result = CUPTI_SUCCESS;
  std::call_once(once, [] {
    CUpti_Profiler_Initialize_Params params{CUpti_Profiler_Initialize_Params_STRUCT_SIZE};
    result = cuptiProfilerInitialize(&params);
  });
  check("cuptiProfilerInitialize", result);
}

// The calling thread's device; its primary context is made current when no context is.
CUcontext current_context() {
  const auto get_current = driver_function<CtxGetCurrent>("cuCtxGetCurrent");
  CUcontext context = nullptr;
  if (get_current(&context) == CUDA_SUCCESS && context != nullptr) return context;
  check_cuda("cudaFree(nullptr)", cudaFree(nullptr));  // creates the runtime's (primary) context
  if (get_current(&context) != CUDA_SUCCESS || context == nullptr)
    throw CuptiError("no current CUDA context to profile on this thread");
  return context;
}

int current_device() {
  int device = 0;
  check_cuda("cudaGetDevice", cudaGetDevice(&device));
  return device;
}

std::string chip_of(int device) {
  CUpti_Device_GetChipName_Params params{CUpti_Device_GetChipName_Params_STRUCT_SIZE};
  params.deviceIndex = static_cast<std::size_t>(device);
  check("cuptiDeviceGetChipName", cuptiDeviceGetChipName(&params));
  return params.pChipName != nullptr ? params.pChipName : "";
}

std::vector<std::uint8_t> counter_availability(CUcontext context) {
  CUpti_Profiler_GetCounterAvailability_Params params{CUpti_Profiler_GetCounterAvailability_Params_STRUCT_SIZE};
  params.ctx = context;
  check("cuptiProfilerGetCounterAvailability", cuptiProfilerGetCounterAvailability(&params));
  std::vector<std::uint8_t> image(params.counterAvailabilityImageSize);
  params.pCounterAvailabilityImage = image.data();
  check("cuptiProfilerGetCounterAvailability", cuptiProfilerGetCounterAvailability(&params));
  image.resize(params.counterAvailabilityImageSize);
  return image;
}

// "RmProfilingAdminOnly: 1" in the driver's parameters: performance counters are for
// administrators only (the driver option NVreg_RestrictProfilingToAdminUsers, on by default).
bool profiling_restricted_to_admins() {
  std::ifstream params("/proc/driver/nvidia/params");
  std::string line;
  while (std::getline(params, line)) {
    if (line.rfind("RmProfilingAdminOnly:", 0) == 0) return line.find('1') != std::string::npos;
  }
  return false;
}

const char* support_level(CUpti_Profiler_Support_Level level) {
  switch (level) {
    case CUPTI_PROFILER_CONFIGURATION_UNSUPPORTED: return "unsupported";
    case CUPTI_PROFILER_CONFIGURATION_DISABLED: return "disabled";
    case CUPTI_PROFILER_CONFIGURATION_SUPPORTED: return "supported";
    default: return "unknown";
  }
}

}  // namespace

std::optional<std::string> profiling_unavailable_reason() {
  int count = 0;
  if (const cudaError_t error = cudaGetDeviceCount(&count); error != cudaSuccess)
    return "no CUDA device: " + cuda_message("cudaGetDeviceCount", error);
  if (count == 0) return "no CUDA device: cudaGetDeviceCount found none";
  try {
    const int ordinal = current_device();
    CUdevice device = 0;
    if (driver_function<DeviceGet>("cuDeviceGet")(&device, ordinal) != CUDA_SUCCESS)
      return "cuDeviceGet failed for CUDA device " + std::to_string(ordinal);
    if (auto reason = host_api_unavailable_reason()) return reason;
    initialize_profiler();
    CUpti_Profiler_DeviceSupported_Params params{CUpti_Profiler_DeviceSupported_Params_STRUCT_SIZE};
    params.cuDevice = device;
    params.api = CUPTI_PROFILER_RANGE_PROFILING;
    check("cuptiProfilerDeviceSupported", cuptiProfilerDeviceSupported(&params));
    if (params.isSupported != CUPTI_PROFILER_CONFIGURATION_SUPPORTED) {
      std::string why;
      const std::pair<const char*, CUpti_Profiler_Support_Level> parts[] = {
          {"architecture (range profiling needs Turing or newer)", params.architecture},
          {"SLI", params.sli},
          {"vGPU profiling", params.vGpu},
          {"confidential computing", params.confidentialCompute},
          {"crypto-mining processor", params.cmp},
          {"WSL", params.wsl}};
      for (const auto& [what, level] : parts)
        if (level != CUPTI_PROFILER_CONFIGURATION_SUPPORTED)
          why += (why.empty() ? "" : ", ") + std::string(what) + ": " + support_level(level);
      return "CUPTI cannot profile CUDA device " + std::to_string(ordinal) + " (" + why + ")";
    }
  } catch (const CuptiError& error) {
    return error.what();
  }
  if (geteuid() != 0 && profiling_restricted_to_admins())
    return "GPU performance counters are restricted to administrators (RmProfilingAdminOnly: 1 in "
           "/proc/driver/nvidia/params): profile as root, or have the NVIDIA driver loaded with "
           "NVreg_RestrictProfilingToAdminUsers=0";
  return std::nullopt;
}

std::string current_chip() { return chip_of(current_device()); }

struct RangeProfiler::State {
  std::string chip;
  CUcontext context = nullptr;
  std::unique_ptr<ProfilerHost> host;
  MetricConfig config;
  std::vector<std::uint8_t> counter_data;
  CUpti_RangeProfiler_Object* object = nullptr;
  std::size_t passes_done = 0;
  bool in_pass = false;
  bool all_passes_submitted = false;
  std::optional<std::map<std::string, double>> values;
};

RangeProfiler::RangeProfiler(const std::vector<std::string>& metrics) : state_(std::make_unique<State>()) {
  if (auto reason = profiling_unavailable_reason()) throw CuptiError(*reason);
  State& s = *state_;
  s.context = current_context();
  s.chip = chip_of(current_device());
  // The device's counter availability lets the host object leave out counters this device or
  // driver does not offer; the check of the names against the chip comes first (configure).
  s.host = std::make_unique<ProfilerHost>(s.chip, counter_availability(s.context));
  s.config = s.host->configure(metrics);

  CUpti_RangeProfiler_Enable_Params enable{CUpti_RangeProfiler_Enable_Params_STRUCT_SIZE};
  enable.ctx = s.context;
  check("cuptiRangeProfilerEnable", cuptiRangeProfilerEnable(&enable));
  s.object = enable.pRangeProfilerObject;

  try {
    std::vector<const char*> names;
    for (const auto& metric : s.config.metrics) names.push_back(metric.c_str());
    CUpti_RangeProfiler_GetCounterDataSize_Params size{CUpti_RangeProfiler_GetCounterDataSize_Params_STRUCT_SIZE};
    size.pRangeProfilerObject = s.object;
    size.pMetricNames = names.data();
    size.numMetrics = names.size();
    size.maxNumOfRanges = 1;
    size.maxNumRangeTreeNodes = 1;
    check("cuptiRangeProfilerGetCounterDataSize", cuptiRangeProfilerGetCounterDataSize(&size));
    s.counter_data.assign(size.counterDataSize, 0);

    CUpti_RangeProfiler_CounterDataImage_Initialize_Params initialize{
        CUpti_RangeProfiler_CounterDataImage_Initialize_Params_STRUCT_SIZE};
    initialize.pRangeProfilerObject = s.object;
    initialize.counterDataSize = s.counter_data.size();
    initialize.pCounterData = s.counter_data.data();
    check("cuptiRangeProfilerCounterDataImageInitialize", cuptiRangeProfilerCounterDataImageInitialize(&initialize));

    // One user range, one nesting level; the caller replays the region (user replay) as long
    // as CUPTI has passes left.
    CUpti_RangeProfiler_SetConfig_Params config{CUpti_RangeProfiler_SetConfig_Params_STRUCT_SIZE};
    config.pRangeProfilerObject = s.object;
    config.configSize = s.config.image.size();
    config.pConfig = s.config.image.data();
    config.counterDataImageSize = s.counter_data.size();
    config.pCounterDataImage = s.counter_data.data();
    config.range = CUPTI_UserRange;
    config.replayMode = CUPTI_UserReplay;
    config.maxRangesPerPass = 1;
    config.numNestingLevels = 1;
    config.minNestingLevel = 1;
    config.passIndex = 0;
    config.targetNestingLevel = 1;
    check("cuptiRangeProfilerSetConfig", cuptiRangeProfilerSetConfig(&config));
  } catch (...) {
    CUpti_RangeProfiler_Disable_Params disable{CUpti_RangeProfiler_Disable_Params_STRUCT_SIZE};
    disable.pRangeProfilerObject = s.object;
    cuptiRangeProfilerDisable(&disable);
    throw;
  }
}

RangeProfiler::~RangeProfiler() {
  State& s = *state_;
  if (s.object == nullptr) return;
  if (s.in_pass) {  // left by an exception: close the range and stop, errors ignored
    cudaDeviceSynchronize();
    CUpti_RangeProfiler_PopRange_Params pop{CUpti_RangeProfiler_PopRange_Params_STRUCT_SIZE};
    pop.pRangeProfilerObject = s.object;
    cuptiRangeProfilerPopRange(&pop);
    CUpti_RangeProfiler_Stop_Params stop{CUpti_RangeProfiler_Stop_Params_STRUCT_SIZE};
    stop.pRangeProfilerObject = s.object;
    cuptiRangeProfilerStop(&stop);
  }
  CUpti_RangeProfiler_Disable_Params disable{CUpti_RangeProfiler_Disable_Params_STRUCT_SIZE};
  disable.pRangeProfilerObject = s.object;
  cuptiRangeProfilerDisable(&disable);
}

const std::string& RangeProfiler::chip() const { return state_->chip; }
const std::vector<std::string>& RangeProfiler::metrics() const { return state_->config.metrics; }
std::size_t RangeProfiler::passes() const { return state_->config.passes; }
std::size_t RangeProfiler::passes_done() const { return state_->passes_done; }
bool RangeProfiler::needs_another_pass() const { return !state_->all_passes_submitted; }

void RangeProfiler::begin_pass() {
  State& s = *state_;
  if (s.in_pass) throw CuptiError("RangeProfiler::begin_pass: a pass is already open");
  if (s.all_passes_submitted) throw CuptiError("RangeProfiler::begin_pass: every pass has run already");
  CUpti_RangeProfiler_Start_Params start{CUpti_RangeProfiler_Start_Params_STRUCT_SIZE};
  start.pRangeProfilerObject = s.object;
  check("cuptiRangeProfilerStart", cuptiRangeProfilerStart(&start));
  CUpti_RangeProfiler_PushRange_Params push{CUpti_RangeProfiler_PushRange_Params_STRUCT_SIZE};
  push.pRangeProfilerObject = s.object;
  push.pRangeName = "sciperf";
  if (const CUptiResult result = cuptiRangeProfilerPushRange(&push); result != CUPTI_SUCCESS) {
    CUpti_RangeProfiler_Stop_Params stop{CUpti_RangeProfiler_Stop_Params_STRUCT_SIZE};
    stop.pRangeProfilerObject = s.object;
    cuptiRangeProfilerStop(&stop);
    check("cuptiRangeProfilerPushRange", result);
  }
  s.in_pass = true;
}

void RangeProfiler::end_pass() {
  State& s = *state_;
  if (!s.in_pass) throw CuptiError("RangeProfiler::end_pass: no pass is open");
  s.in_pass = false;  // the range is closed below whatever happens; the destructor must not close it again
  const cudaError_t synchronized = cudaDeviceSynchronize();  // all of the region's work inside the range
  CUpti_RangeProfiler_PopRange_Params pop{CUpti_RangeProfiler_PopRange_Params_STRUCT_SIZE};
  pop.pRangeProfilerObject = s.object;
  const CUptiResult popped = cuptiRangeProfilerPopRange(&pop);
  CUpti_RangeProfiler_Stop_Params stop{CUpti_RangeProfiler_Stop_Params_STRUCT_SIZE};
  stop.pRangeProfilerObject = s.object;
  const CUptiResult stopped = cuptiRangeProfilerStop(&stop);
  check_cuda("cudaDeviceSynchronize", synchronized);
  check("cuptiRangeProfilerPopRange", popped);
  check("cuptiRangeProfilerStop", stopped);
  ++s.passes_done;
  s.all_passes_submitted = stop.isAllPassSubmitted != 0;
  // CUPTI counts the passes; a runaway count means the replay is not what the config image said.
  if (!s.all_passes_submitted && s.passes_done >= 4 * std::max<std::size_t>(s.config.passes, 1))
    throw CuptiError("cuptiRangeProfilerStop: still asks for another pass after " + std::to_string(s.passes_done) +
                     " passes (the config image needs " + std::to_string(s.config.passes) + ")");
}

std::map<std::string, double> RangeProfiler::results() {
  State& s = *state_;
  if (s.values) return *s.values;
  if (s.in_pass || !s.all_passes_submitted)
    throw CuptiError("RangeProfiler::results: " + std::to_string(s.passes_done) + " of " +
                     std::to_string(s.config.passes) + " passes have run; run the region until "
                     "needs_another_pass() is false");
  CUpti_RangeProfiler_DecodeData_Params decode{CUpti_RangeProfiler_DecodeData_Params_STRUCT_SIZE};
  decode.pRangeProfilerObject = s.object;
  check("cuptiRangeProfilerDecodeData", cuptiRangeProfilerDecodeData(&decode));
  if (decode.numOfRangeDropped != 0)
    throw CuptiError("cuptiRangeProfilerDecodeData: " + std::to_string(decode.numOfRangeDropped) +
                     " range(s) dropped: the counter data image had no room for them");

  CUpti_RangeProfiler_GetCounterDataInfo_Params info{CUpti_RangeProfiler_GetCounterDataInfo_Params_STRUCT_SIZE};
  info.pCounterDataImage = s.counter_data.data();
  info.counterDataImageSize = s.counter_data.size();
  check("cuptiRangeProfilerGetCounterDataInfo", cuptiRangeProfilerGetCounterDataInfo(&info));
  if (info.numTotalRanges == 0)
    throw CuptiError("cuptiRangeProfilerGetCounterDataInfo: no range recorded (did the region run GPU work "
                     "on this context?)");

  const std::vector<double> values = s.host->evaluate(s.counter_data, 0, s.config.metrics);
  std::map<std::string, double> named;
  for (std::size_t i = 0; i < values.size(); ++i) named[s.config.metrics[i]] = values[i];
  s.values = named;
  return named;
}

std::map<std::string, double> RangeProfiler::profile(const std::function<void()>& region) {
  while (needs_another_pass()) {
    begin_pass();
    region();
    end_pass();
  }
  return results();
}

}  // namespace sciperf::collectors::cupti
