#include "tests/unit/test_support.h"
#include "harness/config.h"
#include "harness/suite.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include <stdlib.h>

namespace sciperf {
namespace {

using nlohmann::json;

const SuiteRegistry& registry() { return testing::builtin_registry(); }

Config parse(const std::string& yaml) { return parse_config(yaml, "test.yaml", registry()); }

// The problems parse_config reports for `yaml`; fails the test when it accepts the text.
std::vector<std::string> problems_of(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const ConfigError& error) {
    EXPECT_FALSE(error.problems().empty());
    return error.problems();
  }
  ADD_FAILURE() << "config was accepted:\n" << yaml;
  return {};
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

// True when one problem mentions every fragment.
bool has_problem(const std::vector<std::string>& problems, std::initializer_list<std::string> fragments) {
  for (const std::string& problem : problems) {
    bool all = true;
    for (const std::string& fragment : fragments) all = all && problem.find(fragment) != std::string::npos;
    if (all) return true;
  }
  return false;
}

#define EXPECT_PROBLEM(problems, ...) \
  EXPECT_TRUE(has_problem(problems, {__VA_ARGS__})) << "problems were:\n" << joined(problems)

const SweepAxis* axis(const Sweep& sweep, const std::string& name) {
  for (const SweepAxis& a : sweep.axes)
    if (a.name == name) return &a;
  return nullptr;
}

const char* kFullConfig = R"(name: nightly
description: collectives on two nodes
output: out/nightly
system:
  name: testbox
  nodes: 2
  ranks_per_node: 4
  devices_per_rank: 1
  threads_per_rank: 8
  launcher:
    type: srun
    command: /opt/slurm/bin/srun
    args: [--mpi=pmix, --exclusive]
    env:
      UCX_TLS: rc,sm
      FI_PROVIDER: cxi
    hosts: [nid001, nid002]
timing:
  mode: isolated
  warmup: 5
  min_time: 250ms
  repetitions: 7
  max_iterations: 1000
  timeout: 2min
suites:
  - suite: collectives
    params:
      collective: [allreduce, allgather]
      dtype: float64
      bytes: {from: 8, to: 64MiB, factor: 2}
  - suite: selftest
    timing:
      mode: pipelined
      repetitions: 2
    params:
      action: empty
)";

TEST(ConfigParse, ReadsAFullConfigIntoTheModel) {
  const Config config = parse(kFullConfig);
  EXPECT_EQ(config.source, "test.yaml");
  EXPECT_EQ(config.name, "nightly");
  EXPECT_EQ(config.description, "collectives on two nodes");
  EXPECT_EQ(config.output_dir, "out/nightly");

  const SystemConfig& system = config.system;
  EXPECT_EQ(system.name, "testbox");
  EXPECT_EQ(system.nodes, 2);
  EXPECT_EQ(system.ranks_per_node, 4);
  EXPECT_EQ(system.devices_per_rank, 1);
  EXPECT_EQ(system.threads_per_rank, 8);
  EXPECT_EQ(system.ranks(), 8);
  EXPECT_EQ(system.launcher.type, LauncherType::srun);
  EXPECT_EQ(system.launcher.command, "/opt/slurm/bin/srun");
  EXPECT_EQ(system.launcher.args, (std::vector<std::string>{"--mpi=pmix", "--exclusive"}));
  EXPECT_EQ(system.launcher.hosts, (std::vector<std::string>{"nid001", "nid002"}));
  EXPECT_EQ(system.launcher.env.size(), 2u);
  EXPECT_EQ(system.launcher.env.at("UCX_TLS"), "rc,sm");
  EXPECT_EQ(system.launcher.env.at("FI_PROVIDER"), "cxi");

  EXPECT_EQ(config.timing.mode, TimingMode::isolated);
  EXPECT_EQ(config.timing.warmup_iterations, 5);
  EXPECT_DOUBLE_EQ(config.timing.min_time, 0.25);
  EXPECT_EQ(config.timing.repetitions, 7);
  EXPECT_EQ(config.timing.max_iterations, 1000);
  EXPECT_DOUBLE_EQ(config.timing.timeout, 120.0);
}

TEST(ConfigParse, ReadsSweepsWithInheritedAndOverriddenTiming) {
  const Config config = parse(kFullConfig);
  ASSERT_EQ(config.sweeps.size(), 2u);

  const Sweep& collectives = config.sweeps[0];
  EXPECT_EQ(collectives.suite, "collectives");
  EXPECT_EQ(collectives.timing.mode, TimingMode::isolated);  // from the top-level timing
  EXPECT_EQ(collectives.timing.repetitions, 7);
  EXPECT_EQ(collectives.where.line, 26);
  // Only the parameters the config sets, in the suite's declaration order.
  ASSERT_EQ(collectives.axes.size(), 3u);
  EXPECT_EQ(collectives.axes[0].name, "collective");
  EXPECT_EQ(collectives.axes[1].name, "dtype");
  EXPECT_EQ(collectives.axes[2].name, "bytes");
  EXPECT_EQ(collectives.axes[0].values, (std::vector<ParamValue>{std::string("allreduce"), std::string("allgather")}));
  EXPECT_EQ(collectives.axes[1].values, (std::vector<ParamValue>{std::string("float64")}));
  EXPECT_EQ(collectives.axes[2].kind, ParamKind::size);
  EXPECT_EQ(collectives.axes[0].where.line, 28);

  const Sweep& selftest = config.sweeps[1];
  EXPECT_EQ(selftest.suite, "selftest");
  EXPECT_EQ(selftest.timing.mode, TimingMode::pipelined);  // overridden
  EXPECT_EQ(selftest.timing.repetitions, 2);               // overridden
  EXPECT_EQ(selftest.timing.warmup_iterations, 5);         // inherited
  EXPECT_DOUBLE_EQ(selftest.timing.min_time, 0.25);        // inherited
  ASSERT_EQ(selftest.axes.size(), 1u);
  EXPECT_EQ(selftest.axes[0].values, (std::vector<ParamValue>{std::string("empty")}));
}

TEST(ConfigParse, ResolvedJsonRecordsWhatWasUnderstood) {
  const json resolved = parse(kFullConfig).resolved;
  EXPECT_EQ(resolved["source"], "test.yaml");
  EXPECT_EQ(resolved["name"], "nightly");
  EXPECT_EQ(resolved["output"], "out/nightly");
  EXPECT_EQ(resolved["system"]["nodes"], 2);
  EXPECT_EQ(resolved["system"]["ranks_per_node"], 4);
  EXPECT_EQ(resolved["system"]["launcher"]["type"], "srun");
  EXPECT_EQ(resolved["system"]["launcher"]["args"], json({"--mpi=pmix", "--exclusive"}));
  EXPECT_EQ(resolved["system"]["launcher"]["env"]["UCX_TLS"], "rc,sm");
  EXPECT_EQ(resolved["system"]["launcher"]["hosts"], json({"nid001", "nid002"}));
  EXPECT_EQ(resolved["timing"]["mode"], "isolated");
  EXPECT_DOUBLE_EQ(resolved["timing"]["min_time_s"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(resolved["timing"]["timeout_s"].get<double>(), 120.0);
  EXPECT_EQ(resolved["timing"]["repetitions"], 7);

  ASSERT_EQ(resolved["suites"].size(), 2u);
  const json& sweep = resolved["suites"][0];
  EXPECT_EQ(sweep["suite"], "collectives");
  EXPECT_EQ(sweep["params"]["collective"], json({"allreduce", "allgather"}));
  EXPECT_EQ(sweep["params"]["dtype"], json({"float64"}));
  ASSERT_EQ(sweep["params"]["bytes"].size(), 24u);
  EXPECT_EQ(sweep["params"]["bytes"].front(), 8);
  EXPECT_EQ(sweep["params"]["bytes"].back(), 64 * 1024 * 1024);
  EXPECT_FALSE(sweep["params"].contains("op"));  // unset: the suite default applies
  EXPECT_EQ(resolved["suites"][1]["timing"]["mode"], "pipelined");
  EXPECT_EQ(resolved["suites"][1]["timing"]["repetitions"], 2);
}

TEST(ConfigParse, DefaultsApplyWhenSectionsAreMissing) {
  const Config config = parse("suites:\n  - suite: selftest\n");
  EXPECT_EQ(config.system.nodes, 1);
  EXPECT_EQ(config.system.ranks_per_node, 1);
  EXPECT_EQ(config.system.launcher.type, LauncherType::mpiexec);
  EXPECT_EQ(config.timing.mode, TimingMode::pipelined);
  EXPECT_EQ(config.output_dir, "results");
  ASSERT_EQ(config.sweeps.size(), 1u);
  EXPECT_TRUE(config.sweeps[0].axes.empty());
}

Sweep one_sweep(const std::string& params_yaml, const std::string& suite = "collectives") {
  const Config config = parse("suites:\n  - suite: " + suite + "\n    params:\n" + params_yaml);
  EXPECT_EQ(config.sweeps.size(), 1u);
  return config.sweeps.at(0);
}

TEST(ConfigParams, GeometricRangeIncludesBothEnds) {
  const Sweep sweep = one_sweep("      bytes: {from: 8, to: 64MiB, factor: 2}\n");
  const SweepAxis* bytes = axis(sweep, "bytes");
  ASSERT_NE(bytes, nullptr);
  ASSERT_EQ(bytes->values.size(), 24u);  // 2^3 .. 2^26
  EXPECT_EQ(bytes->values.front(), ParamValue(std::int64_t{8}));
  EXPECT_EQ(bytes->values[1], ParamValue(std::int64_t{16}));
  EXPECT_EQ(bytes->values.back(), ParamValue(std::int64_t{64} << 20));
}

TEST(ConfigParams, GeometricRangeStopsBeforeOvershootingTo) {
  const Sweep sweep = one_sweep("      bytes: {from: 1KiB, to: 100KiB, factor: 4}\n");
  const SweepAxis* bytes = axis(sweep, "bytes");
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(bytes->values, (std::vector<ParamValue>{std::int64_t{1024}, std::int64_t{4096}, std::int64_t{16384},
                                                    std::int64_t{65536}}));
}

TEST(ConfigParams, ArithmeticRange) {
  const Sweep sweep = one_sweep("      bytes: {from: 1KiB, to: 4KiB, step: 1KiB}\n");
  const SweepAxis* bytes = axis(sweep, "bytes");
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(bytes->values, (std::vector<ParamValue>{std::int64_t{1024}, std::int64_t{2048}, std::int64_t{3072},
                                                    std::int64_t{4096}}));

  const Sweep ranks = one_sweep("      action: exit\n      rank: {from: 0, to: 10, step: 3}\n", "selftest");
  const SweepAxis* rank = axis(ranks, "rank");
  ASSERT_NE(rank, nullptr);
  EXPECT_EQ(rank->kind, ParamKind::integer);
  EXPECT_EQ(rank->values, (std::vector<ParamValue>{std::int64_t{0}, std::int64_t{3}, std::int64_t{6}, std::int64_t{9}}));
}

TEST(ConfigParams, ListAndScalarValues) {
  const Sweep sweep = one_sweep(
      "      collective: [allreduce, broadcast, alltoall]\n"
      "      in_place: true\n"
      "      bytes: [8, 1KiB, 1.5MB]\n");
  ASSERT_EQ(sweep.axes.size(), 3u);
  EXPECT_EQ(axis(sweep, "collective")->values,
            (std::vector<ParamValue>{std::string("allreduce"), std::string("broadcast"), std::string("alltoall")}));
  EXPECT_EQ(axis(sweep, "in_place")->values, (std::vector<ParamValue>{true}));
  EXPECT_EQ(axis(sweep, "in_place")->kind, ParamKind::boolean);
  EXPECT_EQ(axis(sweep, "bytes")->values,
            (std::vector<ParamValue>{std::int64_t{8}, std::int64_t{1024}, std::int64_t{1'500'000}}));
}

TEST(ConfigParams, ZipGroupsAreRecorded) {
  const Config config = parse(R"(suites:
  - suite: collectives
    params:
      collective: [allreduce, allgather]
      algorithm: [ring, recursive_doubling]
    zip: [[collective, algorithm]]
)");
  ASSERT_EQ(config.sweeps.size(), 1u);
  EXPECT_EQ(config.sweeps[0].zip, (std::vector<std::vector<std::string>>{{"collective", "algorithm"}}));
  EXPECT_EQ(config.resolved["suites"][0]["zip"], json::parse(R"([["collective", "algorithm"]])"));
}

// --- Unknown keys: location, key path and a suggestion -------------------------------------

TEST(ConfigErrors, UnknownTopLevelKey) {
  const auto problems = problems_of("name: x\nsuits:\n  - suite: selftest\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:1", "suits", "unknown key", "did you mean 'suites'");
}

TEST(ConfigErrors, UnknownKeyInSystem) {
  const auto problems = problems_of("system:\n  nodes: 1\n  rank_per_node: 2\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:3:3", "system.rank_per_node", "did you mean 'ranks_per_node'");
}

// The price the procurement scorecard divides by: recorded in the resolved config, and a bad
// one names its key.
TEST(ConfigParse, SystemPriceIsRecorded) {
  const Config config = parse("system:\n  nodes: 1\n  price: 125000.5\nsuites:\n  - suite: selftest\n");
  ASSERT_TRUE(config.system.price.has_value());
  EXPECT_DOUBLE_EQ(*config.system.price, 125000.5);
  EXPECT_DOUBLE_EQ(config.resolved["system"]["price"].get<double>(), 125000.5);
  EXPECT_TRUE(parse("suites:\n  - suite: selftest\n").resolved["system"]["price"].is_null());
  for (const char* bad : {"0", "-3", "cheap"}) {
    const auto problems = problems_of(std::string("system:\n  price: ") + bad + "\nsuites:\n  - suite: selftest\n");
    EXPECT_PROBLEM(problems, "test.yaml:2:10", "system.price", "expected a positive number");
  }
}

TEST(ConfigErrors, UnknownKeyInLauncher) {
  const auto problems =
      problems_of("system:\n  launcher:\n    type: srun\n    hots: [a]\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:4:5", "system.launcher.hots", "did you mean 'hosts'");
}

TEST(ConfigErrors, UnknownKeyInTiming) {
  const auto problems = problems_of("timing:\n  min_tme: 1s\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:3", "timing.min_tme", "did you mean 'min_time'");
}

TEST(ConfigErrors, UnknownKeyInSweepTiming) {
  const auto problems = problems_of("suites:\n  - suite: selftest\n    timing:\n      repetition: 3\n");
  EXPECT_PROBLEM(problems, "test.yaml:4:7", "suites[0].timing.repetition", "did you mean 'repetitions'");
}

TEST(ConfigErrors, UnknownParameter) {
  const auto problems = problems_of(R"(suites:
  - suite: selftest
  - suite: collectives
    params:
      collective: allreduce
      bytez: [8, 16]
)");
  EXPECT_PROBLEM(problems, "test.yaml:6:7", "suites[1].params.bytez", "unknown key", "did you mean 'bytes'");
}

TEST(ConfigErrors, UnknownKeyFarFromAnyNameHasNoSuggestion) {
  const auto problems = problems_of("frobnicate: 1\nsuites:\n  - suite: selftest\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_PROBLEM(problems, "test.yaml:1:1", "frobnicate", "unknown key");
  EXPECT_EQ(problems[0].find("did you mean"), std::string::npos) << problems[0];
}

// --- Wrong types and impossible values ------------------------------------------------------

TEST(ConfigErrors, WrongTypeNamesLineAndColumnOfTheValue) {
  const auto problems = problems_of("system:\n  ranks_per_node: two\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:19", "system.ranks_per_node", "expected an integer", "'two'");
}

TEST(ConfigErrors, ListWhereAScalarBelongs) {
  const auto problems = problems_of("timing:\n  repetitions: [1, 2]\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:16", "timing.repetitions", "expected an integer, got a list");
}

TEST(ClusterSweep, ListedShapesMultiplyIntoClusterConfigurations) {
  const Config config = parse(
      "system:\n  nodes: [1, 2, 4]\n  ranks_per_node: [4, 8]\n  devices_per_rank: 1\nsuites:\n  - suite: selftest\n");
  ASSERT_EQ(config.clusters.size(), 6u);
  EXPECT_EQ(cluster_name(config.clusters.front()), "n1-r4-g1-t1");
  EXPECT_EQ(cluster_name(config.clusters.back()), "n4-r8-g1-t1");
  EXPECT_EQ(cluster_name(config.system), "n1-r4-g1-t1");
  EXPECT_EQ(config.resolved["clusters"].size(), 6u);
}

TEST(ClusterSweep, SelectingAClusterChangesTheSystemAndTheResolvedConfig) {
  Config config = parse("system:\n  nodes: [1, 2]\n  ranks_per_node: 8\nsuites:\n  - suite: selftest\n");
  select_cluster(config, "n2-r8-g0-t1");
  EXPECT_EQ(config.system.nodes, 2);
  EXPECT_EQ(config.system.ranks(), 16);
  EXPECT_EQ(config.resolved["system"]["nodes"], 2);
  EXPECT_EQ(config.resolved["cluster"], "n2-r8-g0-t1");
  try {
    select_cluster(config, "n3-r8-g0-t1");
    ADD_FAILURE() << "an unknown cluster configuration was accepted";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("no cluster configuration 'n3-r8-g0-t1' (the config has: n1-r8-g0-t1, n2-r8-g0-t1)"),
              std::string::npos)
        << error.what();
  }
}

TEST(ClusterSweep, EachListedValueIsChecked) {
  const auto problems = problems_of("system:\n  nodes: [1, 0]\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:14", "system.nodes[1]", "out of range");
}

TEST(ConfigErrors, ZeroNodes) {
  const auto problems = problems_of("system:\n  nodes: 0\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:10", "system.nodes", "out of range");
}

TEST(ConfigErrors, ZeroRepetitions) {
  const auto problems = problems_of("timing:\n  repetitions: 0\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:16", "timing.repetitions", "out of range");
}

TEST(ConfigErrors, ZeroMinTime) {
  const auto problems = problems_of("timing:\n  min_time: 0s\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:13", "timing.min_time", "greater than zero");
}

TEST(ConfigErrors, MalformedDuration) {
  const auto problems = problems_of("timing:\n  timeout: 5 parsecs\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:12", "timing.timeout", "expected a duration", "'5 parsecs'");
}

TEST(ConfigErrors, UnknownTimingMode) {
  const auto problems = problems_of("timing:\n  mode: bursty\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "timing.mode", "pipelined or isolated", "'bursty'");
}

TEST(ConfigErrors, UnknownLauncherType) {
  const auto problems = problems_of("system:\n  launcher:\n    type: pbs\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:3:11", "system.launcher.type", "'pbs'");
}

TEST(ConfigErrors, ZeroBytes) {
  const auto problems = problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: 0\n");
  EXPECT_PROBLEM(problems, "test.yaml:4:14", "suites[0].params.bytes", "out of range");
}

TEST(ConfigErrors, ZeroBytesInsideAList) {
  const auto problems = problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: [8, 0]\n");
  EXPECT_PROBLEM(problems, "test.yaml:4:18", "suites[0].params.bytes[1]", "out of range");
}

TEST(ConfigErrors, MalformedSize) {
  const auto problems = problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: 1.3B\n");
  EXPECT_PROBLEM(problems, "suites[0].params.bytes", "expected a size", "'1.3B'");
}

TEST(ConfigErrors, RangeFromAboveTo) {
  const auto problems =
      problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: {from: 1MiB, to: 8, factor: 2}\n");
  EXPECT_PROBLEM(problems, "test.yaml:4:14", "suites[0].params.bytes", "from must not exceed to");
}

TEST(ConfigErrors, RangeFactorOfOne) {
  const auto problems =
      problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: {from: 8, to: 1MiB, factor: 1}\n");
  EXPECT_PROBLEM(problems, "suites[0].params.bytes.factor", "factor must be greater than 1");
}

TEST(ConfigErrors, RangeStepOfZero) {
  const auto problems =
      problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: {from: 8, to: 1MiB, step: 0}\n");
  EXPECT_PROBLEM(problems, "suites[0].params.bytes.step", "step must be greater than zero");
}

TEST(ConfigErrors, RangeNeedsExactlyOneOfFactorAndStep) {
  auto problems =
      problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: {from: 8, to: 64, factor: 2, step: 8}\n");
  EXPECT_PROBLEM(problems, "suites[0].params.bytes", "exactly one of factor or step");
  problems = problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: {from: 8, to: 64}\n");
  EXPECT_PROBLEM(problems, "suites[0].params.bytes", "exactly one of factor or step");
}

TEST(ConfigErrors, RangeWithUnknownKey) {
  const auto problems =
      problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: {from: 8, to: 64, factr: 2}\n");
  EXPECT_PROBLEM(problems, "suites[0].params.bytes.factr", "did you mean 'factor'");
}

TEST(ConfigErrors, RangeOnATextParameter) {
  const auto problems =
      problems_of("suites:\n  - suite: collectives\n    params:\n      dtype: {from: 1, to: 4, step: 1}\n");
  EXPECT_PROBLEM(problems, "test.yaml:4:14", "suites[0].params.dtype", "numeric parameter");
}

TEST(ConfigErrors, TooManyRangeValues) {
  const auto problems =
      problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: {from: 1, to: 1GiB, step: 1}\n");
  EXPECT_PROBLEM(problems, "suites[0].params.bytes", "more than");
}

TEST(ConfigErrors, EnumValueNotInTheChoices) {
  const auto problems = problems_of("suites:\n  - suite: collectives\n    params:\n      dtype: float8\n");
  EXPECT_PROBLEM(problems, "test.yaml:4:14", "suites[0].params.dtype", "'float8' is not one of", "float32", "bfloat16",
                 "did you mean");
}

TEST(ConfigErrors, BooleanMustBeTrueOrFalse) {
  const auto problems = problems_of("suites:\n  - suite: collectives\n    params:\n      in_place: maybe\n");
  EXPECT_PROBLEM(problems, "suites[0].params.in_place", "expected a boolean", "'maybe'");
}

TEST(ConfigErrors, EmptyListLeavesNothingToRun) {
  const auto problems = problems_of("suites:\n  - suite: collectives\n    params:\n      bytes: []\n");
  EXPECT_PROBLEM(problems, "suites[0].params.bytes", "empty list");
}

TEST(ConfigErrors, LocalLauncherRunsOneRank) {
  const auto problems =
      problems_of("system:\n  ranks_per_node: 2\n  launcher:\n    type: local\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:3", "system", "launcher 'local' runs one rank", "= 2");
}

TEST(ConfigErrors, LocalLauncherWithOneRankIsFine) {
  const Config config = parse("system:\n  launcher: {type: local}\nsuites:\n  - suite: selftest\n");
  EXPECT_EQ(config.system.launcher.type, LauncherType::local);
}

TEST(ConfigErrors, MissingOrEmptySuites) {
  EXPECT_PROBLEM(problems_of("name: x\n"), "suites", "non-empty list");
  EXPECT_PROBLEM(problems_of("suites: []\n"), "suites", "non-empty list");
}

TEST(ConfigErrors, RootMustBeAMapping) { EXPECT_PROBLEM(problems_of("- a\n- b\n"), "test.yaml", "expected a mapping"); }

// --- Zip groups ------------------------------------------------------------------------------

TEST(ConfigErrors, ZipGroupWithUnequalLengths) {
  const auto problems = problems_of(R"(suites:
  - suite: collectives
    params:
      collective: [allreduce, allgather]
      bytes: [8, 16, 32]
    zip: [[collective, bytes]]
)");
  EXPECT_PROBLEM(problems, "test.yaml:6:11", "suites[0].zip[0]", "equal length", "'bytes' has 3 values, expected 2");
}

TEST(ConfigErrors, ZipGroupWithUnknownName) {
  const auto problems = problems_of(R"(suites:
  - suite: collectives
    params:
      collective: [allreduce, allgather]
      bytes: [8, 16]
    zip: [[collective, dtype], [bytes, frob]]
)");
  EXPECT_PROBLEM(problems, "suites[0].zip[0]", "'dtype' is not a parameter set in params");
  EXPECT_PROBLEM(problems, "suites[0].zip[1]", "'frob' is not a parameter set in params");
}

TEST(ConfigErrors, ZipGroupNeedsTwoParametersAndNoRepeats) {
  const auto problems = problems_of(R"(suites:
  - suite: collectives
    params:
      collective: [allreduce, allgather]
      algorithm: [mpi, ring]
      bytes: [8, 16]
    zip: [[bytes], [collective, algorithm], [algorithm, bytes]]
)");
  EXPECT_PROBLEM(problems, "suites[0].zip[0]", "at least two parameters");
  EXPECT_PROBLEM(problems, "suites[0].zip[2]", "'algorithm' is zipped twice");
}

// --- Reporting ---------------------------------------------------------------------------------

TEST(ConfigErrors, EveryProblemInTheFileIsReported) {
  const auto problems = problems_of(R"(system:
  nodes: 0
  ranks_per_node: two
timing:
  min_time: 0s
suites:
  - suite: collectives
    params:
      dtype: float8
      bytez: 8
)");
  EXPECT_GE(problems.size(), 4u);
  EXPECT_PROBLEM(problems, "test.yaml:2:10", "system.nodes");
  EXPECT_PROBLEM(problems, "test.yaml:3:19", "system.ranks_per_node");
  EXPECT_PROBLEM(problems, "test.yaml:5:13", "timing.min_time");
  EXPECT_PROBLEM(problems, "test.yaml:9:14", "suites[0].params.dtype");
  EXPECT_PROBLEM(problems, "test.yaml:10:7", "suites[0].params.bytez");
}

TEST(ConfigErrors, WhatReadsAsAllProblems) {
  try {
    parse("system:\n  nodes: 0\ntiming:\n  repetitions: 0\nsuites:\n  - suite: selftest\n");
    FAIL() << "config was accepted";
  } catch (const ConfigError& error) {
    ASSERT_EQ(error.problems().size(), 2u);
    const std::string what = error.what();
    EXPECT_NE(what.find(error.problems()[0]), std::string::npos);
    EXPECT_NE(what.find(error.problems()[1]), std::string::npos);
  }
}

TEST(ConfigErrors, YamlSyntaxErrorReportsLineAndColumn) {
  const auto problems = problems_of("name: x\nsystem:\n  nodes: [1, 2\nsuites:\n  - suite: selftest\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_PROBLEM(problems, "test.yaml:", "YAML syntax error");
  // The location is a real line:column in the file, not 0:0.
  EXPECT_EQ(problems[0].rfind("test.yaml:", 0), 0u);
  const std::string location = problems[0].substr(10, problems[0].find(": ") - 10);
  const auto colon = location.find(':');
  ASSERT_NE(colon, std::string::npos) << problems[0];
  EXPECT_GE(std::stoi(location.substr(0, colon)), 3) << problems[0];
  EXPECT_GE(std::stoi(location.substr(colon + 1)), 1) << problems[0];
}

TEST(ConfigErrors, YamlTabIndentation) {
  const auto problems = problems_of("system:\n\tnodes: 2\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:");
}

TEST(ConfigErrors, UnknownSuiteWithSuggestion) {
  const auto problems = problems_of("suites:\n  - suite: colectives\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:12", "suites[0].suite", "unknown suite 'colectives'", "(available: collectives, ",
                 "did you mean 'collectives'");
}

TEST(ConfigErrors, SweepWithoutSuiteName) {
  const auto problems = problems_of("suites:\n  - params: {bytes: 8}\n");
  EXPECT_PROBLEM(problems, "test.yaml:2:5", "suites[0].suite", "unknown suite");
}

TEST(ConfigLoad, MissingFileNamesTheFile) {
  const std::filesystem::path missing = std::filesystem::temp_directory_path() / "sciperf-no-such-dir" / "absent.yaml";
  try {
    load_config(missing, registry());
    FAIL() << "loading a missing file succeeded";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find(missing.string()), std::string::npos) << error.what();
  }
}

TEST(ConfigLoad, ReadsAFileAndNamesItInProblems) {
  char pattern[] = "/tmp/sciperf-config-test-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::filesystem::path dir = pattern;
  const std::filesystem::path good = dir / "good.yaml", bad = dir / "bad.yaml";
  std::ofstream(good) << "name: from-file\nsuites:\n  - suite: selftest\n";
  std::ofstream(bad) << "system:\n  nodes: 0\nsuites:\n  - suite: selftest\n";

  const Config config = load_config(good, registry());
  EXPECT_EQ(config.name, "from-file");
  EXPECT_EQ(config.source, good.string());
  try {
    load_config(bad, registry());
    ADD_FAILURE() << "a bad config was accepted";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find(bad.string() + ":2:10"), std::string::npos) << error.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
TEST(ConfigErrors, RejectsEnvironmentNamesThatAreNotVariables) {
  const auto problems = problems_of(R"(
system:
  launcher:
    env: {"A B": "1", "1X": "2", OK_NAME: "3"}
suites:
  - suite: selftest
)");
  EXPECT_PROBLEM(problems, "system.launcher.env.A B", "not a valid environment variable name");
  EXPECT_PROBLEM(problems, "system.launcher.env.1X", "not a valid environment variable name");
  EXPECT_EQ(problems.size(), 2u);
}

// Found by tests/fuzz: yaml-cpp passes such bytes through, and the result bundle (JSON)
// could not be written.
TEST(ConfigErrors, RejectsTextThatIsNotUtf8WithItsPosition) {
  const auto problems = problems_of("name: x\ndescription: caf\xe9\nsuites:\n  - suite: selftest\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_PROBLEM(problems, "test.yaml:2:17", "not valid UTF-8 (byte 0xE9)");
  EXPECT_PROBLEM(problems_of("\xed\xa0\x80: 1\n"), "test.yaml:1:1", "not valid UTF-8");  // a surrogate
  EXPECT_PROBLEM(problems_of("name: \xc0\xafx\n"), "test.yaml:1:7", "not valid UTF-8");   // overlong
  EXPECT_NO_THROW(parse("name: caf\xc3\xa9 \xf0\x9f\x9a\x80\nsuites:\n  - suite: selftest\n"));
}

// Found while fuzzing: four 40-value lists made 2.56 million cluster configurations (seconds,
// gigabytes); longer lists would not finish.
TEST(ConfigErrors, RejectsTooManyClusterConfigurations) {
  std::string list = "[1";
  for (int i = 2; i <= 40; ++i) list += ", " + std::to_string(i);
  list += "]";
  const auto problems = problems_of("system: {nodes: " + list + ", ranks_per_node: " + list + ", threads_per_rank: " + list +
                                    "}\nsuites:\n  - suite: selftest\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_PROBLEM(problems, "test.yaml:1:9", "system: the lists describe 64000 cluster configurations; at most 4096");
}

// Found while fuzzing: YAML aliases repeat a sweep (or a long value) at no cost in the text.
TEST(ConfigErrors, BoundsWhatAliasesCanMultiply) {
  std::string yaml = "suites:\n  - &a {suite: collectives, params: {bytes: {from: 1, to: 10000, step: 1}}}\n";
  for (int i = 0; i < 20; ++i) yaml += "  - *a\n";
  const auto problems = problems_of(yaml);
  EXPECT_PROBLEM(problems, "suites[10]: the sweeps set more than 100000 parameter values in all");
  const std::string word(5000, 'x');
  yaml = "name: &s " + word + "\nsuites:\n  - suite: collectives\n    params:\n      algorithm: [*s, *s]\n";
  EXPECT_PROBLEM(problems_of(yaml), "algorithm[1]", "'" + word + "' is not one of");
}

TEST(ConfigErrors, RejectsMoreRanksThanAnIntHolds) {
  const auto problems = problems_of(R"(
system: {nodes: 1000000, ranks_per_node: 4096}
suites:
  - suite: selftest
)");
  EXPECT_PROBLEM(problems, "test.yaml:2:", "nodes x ranks_per_node exceeds");
}

TEST(ConfigErrors, TemplateLauncherNeedsATemplateWithKnownPlaceholders) {
  auto problems = problems_of("system:\n  launcher: {type: template}\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "system.launcher.template", "needs a template");
  problems = problems_of("system:\n  launcher: {type: template, template: [flux, run, -n, '{rank}']}\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "system.launcher.template[3]", "unknown placeholder '{rank}'");
  const Config config =
      parse("system:\n  launcher: {type: template, template: [flux, run, -n, '{ranks}']}\nsuites:\n  - suite: selftest\n");
  EXPECT_EQ(config.system.launcher.command_template.size(), 4u);
}

TEST(ConfigParse, CollectorModes) {
  const Config config = parse("collectors: {network: required, mpi_t: disabled}\nsuites:\n  - suite: selftest\n");
  EXPECT_EQ(config.collectors.at("network"), CollectorMode::required);
  EXPECT_EQ(config.collectors.at("mpi_t"), CollectorMode::disabled);
  EXPECT_EQ(config.resolved["collectors"]["network"], "required");
  const auto problems = problems_of("collectors: {netwrk: required, mpi_t: maybe}\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "collectors.netwrk", "unknown key", "did you mean 'network'");
  EXPECT_PROBLEM(problems, "collectors.mpi_t", "expected enabled, disabled or required, got 'maybe'");
}

TEST(ConfigParse, CollectorSampleInterval) {
  EXPECT_EQ(parse("suites:\n  - suite: selftest\n").collector_sample_interval, 0) << "off unless asked for";
  const Config config = parse("collectors: {sample_interval: 100ms, nvml: required}\nsuites:\n  - suite: selftest\n");
  EXPECT_DOUBLE_EQ(config.collector_sample_interval, 0.1);
  EXPECT_EQ(config.collectors.at("nvml"), CollectorMode::required);
  EXPECT_FALSE(config.collectors.contains("sample_interval"));
  EXPECT_DOUBLE_EQ(config.resolved["collectors"]["sample_interval_s"].get<double>(), 0.1);
  auto problems = problems_of("collectors: {sample_interval: 500us}\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "collectors.sample_interval", "must be at least 1ms");
  problems = problems_of("collectors: {sample_interval: often}\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "collectors.sample_interval", "expected a duration like 10s or 250ms, got 'often'");
  problems = problems_of("collectors: {sample_intervall: 1s}\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "collectors.sample_intervall", "unknown key", "did you mean 'sample_interval'");
}

TEST(ConfigParse, CollectorOptions) {
  const Config config = parse(
      "collectors:\n  cupti: {mode: required, trace: true, trace_events: 500, metrics: [dram__bytes_read.sum]}\n"
      "  profile_operations: 3\nsuites:\n  - suite: selftest\n");
  EXPECT_EQ(config.collectors.at("cupti"), CollectorMode::required);
  EXPECT_EQ(config.collector_profile_operations, 3);
  const json& options = config.collector_options.at("cupti");
  EXPECT_EQ(options["trace"], "true");
  EXPECT_EQ(options["metrics"], json::array({"dram__bytes_read.sum"}));
  EXPECT_FALSE(options.contains("mode")) << "the mode is the harness's, not the collector's";
  EXPECT_EQ(config.resolved["collectors"]["cupti"]["mode"], "required");
  EXPECT_EQ(config.resolved["collectors"]["cupti"]["trace_events"], "500");
  EXPECT_EQ(config.resolved["collectors"]["profile_operations"], 3);
  EXPECT_EQ(parse("collectors: {cupti: {trace: false}}\nsuites:\n  - suite: selftest\n").collectors.count("cupti"), 0u)
      << "a mapping without mode leaves the collector enabled";
}

TEST(ConfigErrors, CollectorOptionsNameTheirKey) {
  auto problems = problems_of(
      "collectors:\n  cupti: {mode: sometimes, trace: yes, trace_events: 0, metrics: dram, colour: red}\n"
      "suites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "collectors.cupti.mode", "expected enabled, disabled or required, got 'sometimes'");
  EXPECT_PROBLEM(problems, "collectors.cupti.trace", "expected true or false, got 'yes'");
  EXPECT_PROBLEM(problems, "collectors.cupti.trace_events", "expected an integer from 1");
  EXPECT_PROBLEM(problems, "collectors.cupti.metrics", "expected a list of metric names");
  EXPECT_PROBLEM(problems, "collectors.cupti.colour", "unknown key");
  problems = problems_of("collectors:\n  cupti: {metrics: [ok, '']}\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "collectors.cupti.metrics[1]", "expected a metric name");
  problems = problems_of("collectors:\n  network: {mode: enabled, interface: eth0}\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "collectors.network.interface", "unknown key", "has only a mode");
  problems = problems_of("collectors: {profile_operations: 0}\nsuites:\n  - suite: selftest\n");
  EXPECT_PROBLEM(problems, "collectors.profile_operations");
}

}  // namespace sciperf
