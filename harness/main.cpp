// sciperf's entry point: hop 1 of `sciperf run` → harness/run_command.cpp → harness/runner.cpp
// → harness/timing_loop.cpp.
#include "harness/cli.h"
#include "harness/suite.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  // Google Benchmark sees only its own --benchmark_* flags (it would answer --help itself);
  // CLI11 sees the rest.
  std::vector<char*> benchmark_argv{argv[0]}, cli_argv{argv[0]};
  std::vector<std::string> benchmark_args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg(argv[i]);
    if (arg.rfind("--benchmark_out", 0) == 0) {
      // Every rank would truncate the same file; the result bundle holds Google Benchmark's JSON.
      std::fprintf(stderr, "error: %s: sciperf writes Google Benchmark's JSON into the result bundle; use -o DIR\n",
                   arg.c_str());
      return 2;
    }
    if (arg.rfind("--benchmark_", 0) == 0) {
      benchmark_args.push_back(arg);
      benchmark_argv.push_back(argv[i]);
    } else {
      cli_argv.push_back(argv[i]);
    }
  }
  int benchmark_argc = static_cast<int>(benchmark_argv.size());
  benchmark::Initialize(&benchmark_argc, benchmark_argv.data());
  sciperf::SuiteRegistry registry;
  sciperf::register_builtin_suites(registry);
  return sciperf::run_cli(static_cast<int>(cli_argv.size()), cli_argv.data(), registry, std::move(benchmark_args));
}
