// Every suite this build contains. A new suite adds one line here.
#include "harness/suite.h"
#include "suites/collectives/collectives_suite.h"
#include "suites/compression/compression_suite.h"
#include "suites/inference/inference_suite.h"
#include "suites/kernels/kernels_suite.h"
#include "suites/selftest/selftest_suite.h"
#include "suites/training/training_suite.h"

namespace sciperf {

void register_builtin_suites(SuiteRegistry& registry) {
  registry.add(std::make_unique<suites::CollectivesSuite>());
  registry.add(std::make_unique<suites::SelftestSuite>());
  registry.add(std::make_unique<suites::CompressionSuite>());
  registry.add(std::make_unique<suites::TrainingSuite>());
  registry.add(std::make_unique<suites::InferenceSuite>());
  registry.add(std::make_unique<suites::KernelsSuite>());
}

}  // namespace sciperf
