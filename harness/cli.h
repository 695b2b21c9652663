// The `sciperf` command line: run, plan, list, sysinfo, validate; compare and report come from reports/.
#pragma once

#include <string>
#include <vector>

namespace sciperf {

class SuiteRegistry;

// `benchmark_args` are the --benchmark_* flags Google Benchmark took out of argv; `run`
// hands them on to the ranks it launches.
int run_cli(int argc, char** argv, const SuiteRegistry& registry, std::vector<std::string> benchmark_args);

}  // namespace sciperf
