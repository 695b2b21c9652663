// Load-generator settings: scenario names both ways, parsing from strings, and bad values
// rejected with a message that names the key and the value.
#include "suites/inference/loadgen/scenarios.h"
#include "suites/inference/loadgen/test_settings.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace sciperf::loadgen {
namespace {

// The message of the std::invalid_argument that f throws ("" when it throws nothing).
template <typename F>
std::string rejection(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(LoadgenSettings, ScenarioNamesRoundTripAndAcceptLoadGenSpelling) {
  for (Scenario s : {Scenario::single_stream, Scenario::multi_stream, Scenario::server, Scenario::offline}) {
    EXPECT_EQ(to_scenario(to_string(s)), s);
  }
  EXPECT_EQ(to_scenario("server"), Scenario::server);
  EXPECT_EQ(to_scenario("SingleStream"), Scenario::single_stream);
  EXPECT_EQ(to_scenario("multi-stream"), Scenario::multi_stream);
  EXPECT_EQ(to_scenario("OFFLINE"), Scenario::offline);
}

TEST(LoadgenSettings, UnknownScenarioNamesTheValue) {
  const std::string message = rejection([] { to_scenario("batch"); });
  EXPECT_NE(message.find("scenario"), std::string::npos) << message;
  EXPECT_NE(message.find("'batch'"), std::string::npos) << message;
  EXPECT_NE(message.find("single_stream"), std::string::npos) << message;
}

TEST(LoadgenSettings, ParsesEveryKindOfValue) {
  const TestSettings s = settings_from_strings({{"scenario", "Server"},
                                                {"target_qps", "2500.5"},
                                                {"latency_bound", "0.015"},
                                                {"samples_per_query", "4"},
                                                {"min_queries", "1000"},
                                                {"seed", "42"}});
  EXPECT_EQ(s.scenario, Scenario::server);
  EXPECT_DOUBLE_EQ(s.target_qps, 2500.5);
  EXPECT_DOUBLE_EQ(s.latency_bound, 0.015);
  EXPECT_EQ(s.samples_per_query, 4u);
  EXPECT_EQ(s.min_queries, 1000u);
  EXPECT_EQ(s.seed, 42u);
}

TEST(LoadgenSettings, BadValuesNameKeyAndValue) {
  std::string message = rejection([] { settings_from_strings({{"target_qps", "0"}}); });
  EXPECT_NE(message.find("target_qps"), std::string::npos) << message;
  EXPECT_NE(message.find("got 0"), std::string::npos) << message;

  message = rejection([] { settings_from_strings({{"target_qps", "-5"}}); });
  EXPECT_NE(message.find("target_qps"), std::string::npos) << message;
  EXPECT_NE(message.find("-5"), std::string::npos) << message;

  message = rejection([] { settings_from_strings({{"latency_bound", "-0.001"}}); });
  EXPECT_NE(message.find("latency_bound"), std::string::npos) << message;
  EXPECT_NE(message.find("-0.001"), std::string::npos) << message;

  message = rejection([] { settings_from_strings({{"target_qps", "fast"}}); });
  EXPECT_NE(message.find("target_qps"), std::string::npos) << message;
  EXPECT_NE(message.find("'fast'"), std::string::npos) << message;

  message = rejection([] { settings_from_strings({{"min_queries", "-1"}}); });
  EXPECT_NE(message.find("min_queries"), std::string::npos) << message;

  message = rejection([] { settings_from_strings({{"qps", "10"}}); });
  EXPECT_NE(message.find("'qps'"), std::string::npos) << message;
  EXPECT_NE(message.find("target_qps"), std::string::npos) << message;  // lists the known keys

  message = rejection([] { settings_from_strings({{"scenario", "streaming"}}); });
  EXPECT_NE(message.find("'streaming'"), std::string::npos) << message;

  message = rejection([] { settings_from_strings({{"min_duration", "5"}, {"max_duration", "1"}}); });
  EXPECT_NE(message.find("max_duration"), std::string::npos) << message;

  message = rejection([] { settings_from_strings({{"percentile", "99"}}); });
  EXPECT_NE(message.find("percentile"), std::string::npos) << message;
}

TEST(LoadgenSettings, ScenarioDefaultsResolve) {
  TestSettings s;
  s.scenario = Scenario::single_stream;
  EXPECT_DOUBLE_EQ(metric_percentile(s), 0.90);
  EXPECT_EQ(resolved_samples_per_query(s, 100), 1u);
  EXPECT_EQ(resolved_min_queries(s), 64u);
  s.scenario = Scenario::multi_stream;
  EXPECT_DOUBLE_EQ(metric_percentile(s), 0.99);
  EXPECT_EQ(resolved_samples_per_query(s, 100), 8u);
  EXPECT_EQ(resolved_min_queries(s), 662u);
  s.scenario = Scenario::server;
  EXPECT_DOUBLE_EQ(metric_percentile(s), 0.99);
  s.scenario = Scenario::offline;
  EXPECT_EQ(resolved_samples_per_query(s, 100), 100u);  // every loaded sample
  s.percentile = 0.999;
  s.scenario = Scenario::server;
  EXPECT_EQ(resolved_min_queries(s), 6636u);
  EXPECT_EQ(percentile_label(0.9), "p90");
  EXPECT_EQ(percentile_label(0.99), "p99");
  EXPECT_EQ(percentile_label(0.999), "p99.9");
}

}  // namespace
}  // namespace sciperf::loadgen
