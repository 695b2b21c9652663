// MLLOG lines as MLPerf's tools read them: ":::MLLOG " then one JSON object with the key,
// value, event type, epoch milliseconds and metadata; appended to a file beside the bundle.
#include "suites/training/mllog.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace sciperf::suites::training {
namespace {

nlohmann::json payload(const std::string& line) {
  const std::string prefix = ":::MLLOG ";
  EXPECT_EQ(line.rfind(prefix, 0), 0u) << line;
  return nlohmann::json::parse(line.substr(prefix.size()));
}

TEST(MlLog, LinesCarryKeyValueEventTimeAndMetadata) {
  MlLog log;
  log.add("run_start", nullptr, MllogEvent::interval_start);
  log.add("eval_accuracy", 0.97, MllogEvent::point_in_time, {{"step_num", 100}});
  log.add("run_stop", nullptr, MllogEvent::interval_end, {{"status", "success"}});
  ASSERT_EQ(log.lines().size(), 3u);
  const nlohmann::json start = payload(log.lines()[0]);
  EXPECT_EQ(start["key"], "run_start");
  EXPECT_EQ(start["event_type"], "INTERVAL_START");
  EXPECT_TRUE(start["value"].is_null());
  EXPECT_GT(start["time_ms"].get<std::int64_t>(), 1'600'000'000'000);  // epoch milliseconds
  const nlohmann::json eval = payload(log.lines()[1]);
  EXPECT_EQ(eval["event_type"], "POINT_IN_TIME");
  EXPECT_DOUBLE_EQ(eval["value"].get<double>(), 0.97);
  EXPECT_EQ(eval["metadata"]["step_num"], 100);
  const nlohmann::json stop = payload(log.lines()[2]);
  EXPECT_EQ(stop["event_type"], "INTERVAL_END");
  EXPECT_EQ(stop["metadata"]["status"], "success");
}

TEST(MlLog, AppendsToAFileInAFolderItCreates) {
  testing::TempDir dir;
  const auto file = dir.path() / "mllog" / "case.log";
  MlLog first, second;
  first.add("run_start", nullptr, MllogEvent::interval_start);
  second.add("run_stop", nullptr, MllogEvent::interval_end);
  first.append_to(file);
  second.append_to(file);
  std::ifstream in(file);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    payload(line);
    ++lines;
  }
  EXPECT_EQ(lines, 2);
}

}  // namespace
}  // namespace sciperf::suites::training
