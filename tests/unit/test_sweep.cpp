#include "tests/unit/test_support.h"
#include "harness/params.h"
#include "harness/sweep.h"
#include "harness/suite.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace sciperf {
namespace {

const SuiteRegistry& registry() { return testing::builtin_registry(); }

std::vector<CaseSpec> expand(const std::string& yaml) {
  return expand_cases(parse_config(yaml, "sweep.yaml", registry()), registry());
}

std::vector<std::string> names_of(const std::vector<CaseSpec>& cases) {
  std::vector<std::string> names;
  for (const CaseSpec& c : cases) names.push_back(c.name);
  return names;
}

std::string collectives_case(const std::string& collective, const std::string& bytes,
                             const std::string& algorithm = "mpi") {
  return "collectives/collective:" + collective + "/algorithm:" + algorithm +
         "/dtype:float32/op:sum/in_place:false/bytes:" + bytes;
}

TEST(ExpandCases, CartesianProductWithTheLastDeclaredParameterFastest) {
  const auto cases = expand(R"(suites:
  - suite: collectives
    params:
      bytes: [8, 1KiB, 64MiB]
      collective: [allreduce, allgather]
)");
  // bytes is declared last by the suite, so it turns fastest whatever order the config uses.
  EXPECT_EQ(names_of(cases), (std::vector<std::string>{
                                 collectives_case("allreduce", "8B"),
                                 collectives_case("allreduce", "1KiB"),
                                 collectives_case("allreduce", "64MiB"),
                                 collectives_case("allgather", "8B"),
                                 collectives_case("allgather", "1KiB"),
                                 collectives_case("allgather", "64MiB"),
                             }));
}

TEST(ExpandCases, CountIsTheProductOfTheAxisLengths) {
  const auto cases = expand(R"(suites:
  - suite: collectives
    params:
      collective: [allreduce, allgather, broadcast]
      dtype: [float32, float64]
      op: [sum, max]
      bytes: {from: 8, to: 1KiB, factor: 2}
)");
  EXPECT_EQ(cases.size(), 3u * 2u * 2u * 8u);
  // The odometer: the first case has every first value, the last every last value.
  EXPECT_EQ(cases.front().name, "collectives/collective:allreduce/algorithm:mpi/dtype:float32/op:sum/in_place:false/bytes:8B");
  EXPECT_EQ(cases.back().name, "collectives/collective:broadcast/algorithm:mpi/dtype:float64/op:max/in_place:false/bytes:1KiB");
  EXPECT_EQ(cases[8].params.text("op"), "max");
  EXPECT_EQ(cases[8].params.integer("bytes"), 8);
  EXPECT_EQ(cases[16].params.text("dtype"), "float64");
  EXPECT_EQ(cases[32].params.text("collective"), "allgather");
}

TEST(ExpandCases, ZipGroupsAdvanceTogether) {
  const auto cases = expand(R"(suites:
  - suite: collectives
    params:
      collective: [allreduce, allgather, broadcast]
      algorithm: [ring, recursive_doubling, binomial_tree]
      bytes: [8, 16]
    zip: [[collective, algorithm]]
)");
  EXPECT_EQ(names_of(cases), (std::vector<std::string>{
                                 collectives_case("allreduce", "8B", "ring"),
                                 collectives_case("allreduce", "16B", "ring"),
                                 collectives_case("allgather", "8B", "recursive_doubling"),
                                 collectives_case("allgather", "16B", "recursive_doubling"),
                                 collectives_case("broadcast", "8B", "binomial_tree"),
                                 collectives_case("broadcast", "16B", "binomial_tree"),
                             }));
}

TEST(ExpandCases, ZipGroupOfNonAdjacentParameters) {
  const auto cases = expand(R"(suites:
  - suite: collectives
    params:
      collective: [allreduce, allgather]
      dtype: [float32, float64, int32]
      bytes: [4KiB, 8KiB]
    zip: [[bytes, collective]]
)");
  ASSERT_EQ(cases.size(), 6u);  // 2 (zipped) x 3 dtypes
  for (const CaseSpec& c : cases) {
    const bool first = c.params.text("collective") == "allreduce";
    EXPECT_EQ(c.params.integer("bytes"), first ? 4096 : 8192) << c.name;
  }
  // The group sits where its first-declared member sits, so it turns slower than dtype.
  EXPECT_EQ(cases[0].params.text("dtype"), "float32");
  EXPECT_EQ(cases[1].params.text("dtype"), "float64");
  EXPECT_EQ(cases[2].params.text("dtype"), "int32");
  EXPECT_EQ(cases[3].params.text("collective"), "allgather");
}

TEST(ExpandCases, DefaultsFillUnsetParameters) {
  const auto cases = expand("suites:\n  - suite: collectives\n    params:\n      dtype: float64\n");
  ASSERT_EQ(cases.size(), 1u);
  const Params& params = cases[0].params;
  ASSERT_EQ(params.entries().size(), 6u);
  // In the suite's declaration order.
  EXPECT_EQ(params.entries()[0].name, "collective");
  EXPECT_EQ(params.entries()[5].name, "bytes");
  EXPECT_EQ(params.text("collective"), "allreduce");
  EXPECT_EQ(params.text("algorithm"), "mpi");
  EXPECT_EQ(params.text("dtype"), "float64");
  EXPECT_EQ(params.text("op"), "sum");
  EXPECT_FALSE(params.boolean("in_place"));
  EXPECT_EQ(params.integer("bytes"), 1 << 20);
  EXPECT_EQ(cases[0].name, "collectives/collective:allreduce/algorithm:mpi/dtype:float64/op:sum/in_place:false/bytes:1MiB");
  EXPECT_EQ(cases[0].suite, registry().find("collectives"));
}

TEST(ExpandCases, SweepWithoutParamsIsOneDefaultCase) {
  const auto cases = expand("suites:\n  - suite: selftest\n");
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].name, "selftest/action:empty/rank:1");
}

TEST(ExpandCases, CasesCarryTheirSweepsTiming) {
  const auto cases = expand(R"(timing:
  repetitions: 4
suites:
  - suite: selftest
  - suite: collectives
    timing: {repetitions: 9, min_time: 1s}
)");
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].timing.repetitions, 4);
  EXPECT_EQ(cases[1].timing.repetitions, 9);
  EXPECT_DOUBLE_EQ(cases[1].timing.min_time, 1.0);
}

TEST(ExpandCases, IsolatedTimingIsPartOfTheName) {
  const auto cases = expand(R"(suites:
  - suite: selftest
  - suite: selftest
    timing: {mode: isolated}
)");
  // The same parameters timed two ways are two distinct cases, not duplicates.
  EXPECT_EQ(names_of(cases), (std::vector<std::string>{"selftest/action:empty/rank:1",
                                                        "selftest/action:empty/rank:1/timing:isolated"}));
  EXPECT_EQ(cases[1].timing.mode, TimingMode::isolated);
}

TEST(ExpandCases, DuplicateCasesAcrossSweepsAreAnError) {
  try {
    expand(R"(suites:
  - suite: collectives
    params: {bytes: [8, 16]}
  - suite: collectives
    params: {bytes: [16, 32]}
)");
    FAIL() << "overlapping sweeps were accepted";
  } catch (const ConfigError& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_NE(error.problems()[0].find("sweep.yaml"), std::string::npos) << error.what();
    EXPECT_NE(error.problems()[0].find(collectives_case("allreduce", "16B")), std::string::npos) << error.what();
  }
}

TEST(ExpandCases, ExplicitDefaultEqualsImplicitDefault) {
  // Setting a parameter to its default yields the same case as leaving it unset.
  EXPECT_THROW(expand(R"(suites:
  - suite: collectives
  - suite: collectives
    params: {dtype: float32}
)"),
               ConfigError);
}

std::vector<CaseSpec> mixed_cases() {
  return expand(R"(suites:
  - suite: collectives
    params:
      collective: [allreduce, allgather, alltoall]
      bytes: [8, 1KiB]
  - suite: selftest
)");
}

TEST(SelectCases, RegexIsSearchedAnywhereInTheName) {
  const auto all = mixed_cases();
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(names_of(select_cases(all, "allgather", std::nullopt)),
            (std::vector<std::string>{collectives_case("allgather", "8B"), collectives_case("allgather", "1KiB")}));
  EXPECT_EQ(select_cases(all, "bytes:1KiB$", std::nullopt).size(), 3u);
  EXPECT_EQ(select_cases(all, "all(reduce|to)", std::nullopt).size(), 4u);
  EXPECT_TRUE(select_cases(all, "nothing-matches", std::nullopt).empty());
}

TEST(SelectCases, EmptyRegexKeepsEverythingInOrder) {
  const auto all = mixed_cases();
  EXPECT_EQ(names_of(select_cases(all, "", std::nullopt)), names_of(all));
}

TEST(SelectCases, SuiteFilter) {
  const auto all = mixed_cases();
  EXPECT_EQ(names_of(select_cases(all, "", std::string("selftest"))),
            (std::vector<std::string>{"selftest/action:empty/rank:1"}));
  EXPECT_EQ(select_cases(all, "", std::string("collectives")).size(), 6u);
  // Both filters apply together.
  EXPECT_TRUE(select_cases(all, "allreduce", std::string("selftest")).empty());
  EXPECT_EQ(select_cases(all, "8B", std::string("collectives")).size(), 3u);
  EXPECT_TRUE(select_cases(all, "", std::string("nosuchsuite")).empty());
}

TEST(SelectCases, InvalidRegexThrowsInvalidArgument) {
  const auto all = mixed_cases();
  EXPECT_THROW(select_cases(all, "(", std::nullopt), std::invalid_argument);
  EXPECT_THROW(select_cases(all, "bytes:[8", std::nullopt), std::invalid_argument);
  try {
    select_cases(all, "a**(", std::nullopt);
    FAIL() << "invalid regex accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("a**("), std::string::npos) << error.what();
  }
}

}  // namespace
TEST(CaseNames, SizesThatDoNotRoundTripAreNamedInBytes) {
  EXPECT_EQ(format_param(ParamKind::size, ParamValue(std::int64_t{2000})), "2000B");
  EXPECT_EQ(format_param(ParamKind::size, ParamValue(std::int64_t{2001})), "2001B");
  EXPECT_EQ(format_param(ParamKind::size, ParamValue(std::int64_t{1536})), "1.5KiB");
  EXPECT_EQ(format_param(ParamKind::size, ParamValue(std::int64_t{64} << 20)), "64MiB");
}

}  // namespace sciperf
