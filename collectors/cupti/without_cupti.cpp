// The cupti collector in a build without the CUDA toolkit: always unavailable, saying why;
// metric names cannot be checked, so none is refused.
#ifndef SCIPERF_HAVE_CUPTI
#include "collectors/cupti/cupti_collector.h"
#include "collectors/cupti/options.h"

namespace sciperf::collectors {

namespace cupti {

std::vector<std::string> unknown_metrics(const std::string&, const std::vector<std::string>& metrics) {
  return std::vector<std::string>(metrics.size());
}

}  // namespace cupti

namespace {

class UnbuiltCupti final : public Collector {
 public:
  std::string_view name() const override { return "cupti"; }
  std::optional<std::string> unavailable_reason() const override {
    return "this build has no CUPTI (the CUDA toolkit was not found at configure time)";
  }
  void begin() override {}
  std::vector<Counter> end() override { return {}; }
};

}  // namespace

std::unique_ptr<Collector> make_cupti_collector() { return std::make_unique<UnbuiltCupti>(); }

}  // namespace sciperf::collectors
#endif
