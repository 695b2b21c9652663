// sciperf's entry point: hop 1 of `sciperf run` → harness/run_command.cpp → harness/runner.cpp
// → harness/timing_loop.cpp.
#include "harness/cli.h"
#include "harness/suite.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::string> benchmark_args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg(argv[i]);
    if (arg.rfind("--benchmark_out", 0) == 0) {
      // Every rank would truncate the same file; the result bundle holds Google Benchmark's JSON.
      std::fprintf(stderr, "error: %s: sciperf writes Google Benchmark's JSON into the result bundle; use -o DIR\n",
                   arg.c_str());
      return 2;
    }
    if (arg.rfind("--benchmark_", 0) == 0) benchmark_args.push_back(arg);
  }
  // Google Benchmark takes its --benchmark_* flags out of argv before CLI11 sees the rest.
  benchmark::Initialize(&argc, argv);
  sciperf::SuiteRegistry registry;
  sciperf::register_builtin_suites(registry);
  return sciperf::run_cli(argc, argv, registry, std::move(benchmark_args));
}
