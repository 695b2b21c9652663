// sciperf's entry point: hop 1 of `sciperf run` → harness/run_command.cpp → harness/runner.cpp
// → harness/timing_loop.cpp.
#include "harness/cli.h"
#include "harness/suite.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::string> benchmark_args;
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]).rfind("--benchmark_", 0) == 0) benchmark_args.emplace_back(argv[i]);
  // Google Benchmark takes its --benchmark_* flags out of argv before CLI11 sees the rest.
  benchmark::Initialize(&argc, argv);
  sciperf::SuiteRegistry registry;
  sciperf::register_builtin_suites(registry);
  return sciperf::run_cli(argc, argv, registry, std::move(benchmark_args));
}
