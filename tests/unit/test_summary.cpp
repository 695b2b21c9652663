#include "harness/summary.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace sciperf {
namespace {

using nlohmann::json;

json metric(double value, const std::string& unit, const std::string& direction = "lower_is_better") {
  return {{"value", value}, {"unit", unit}, {"direction", direction}};
}

// A case record shaped like the runner's.
json collectives_record(const std::string& collective, std::int64_t bytes, const std::string& status,
                        const std::string& reason = "", double time = 1e-5, double busbw = 12.5) {
  json record = {{"name", "collectives/collective:" + collective + "/bytes:" + std::to_string(bytes)},
                 {"suite", "collectives"},
                 {"params", {{"collective", collective}, {"dtype", "float32"}, {"in_place", false}, {"bytes", bytes}}},
                 {"param_kinds", {{"collective", "string"}, {"dtype", "string"}, {"in_place", "boolean"}, {"bytes", "size"}}},
                 {"status", status},
                 {"headline", {"time_avg", "busbw"}},
                 {"metrics", json::object()}};
  if (!reason.empty()) record["reason"] = reason;
  if (status == "ok")
    record["metrics"] = {{"time_avg", metric(time, "s")},
                         {"busbw", metric(busbw, "GB/s", "higher_is_better")},
                         {"algbw", metric(busbw / 2, "GB/s", "higher_is_better")}};
  return record;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The line that starts with `prefix`, or "" when none does.
std::string line_starting(const std::string& text, const std::string& prefix) {
  for (const std::string& line : lines_of(text))
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

// A table's header: the line above its rule of dashes.
std::string header_of(const std::string& text) {
  const auto lines = lines_of(text);
  for (std::size_t i = 1; i < lines.size(); ++i)
    if (!lines[i].empty() && lines[i].find_first_not_of('-') == std::string::npos) return lines[i - 1];
  return "";
}

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

TEST(FormatMetric, SecondsReadAsDurations) {
  EXPECT_EQ(format_metric(1.5e-6, "s"), "1.50 us");
  EXPECT_EQ(format_metric(0.0123, "s"), "12.30 ms");
  EXPECT_EQ(format_metric(3.0, "s"), "3.00 s");
}

TEST(FormatMetric, OtherUnitsHaveFourSignificantDigits) {
  EXPECT_EQ(format_metric(45.6, "GB/s"), "45.6 GB/s");
  EXPECT_EQ(format_metric(123.456, "GB/s"), "123.5 GB/s");
  EXPECT_EQ(format_metric(0.5, "GB/s"), "0.5 GB/s");
  EXPECT_EQ(format_metric(7, ""), "7");
}

TEST(HeadlineText, ListsTheHeadlineMetricsInOrder) {
  const json record = collectives_record("allreduce", 1024, "ok", "", 1.5e-6, 4.56);
  EXPECT_EQ(headline_text(record), "time_avg 1.50 us  busbw 4.56 GB/s");
}

TEST(HeadlineText, SkipsMissingAndNullMetrics) {
  json record = collectives_record("allreduce", 1024, "ok", "", 2e-3, 4.56);
  record["metrics"]["busbw"]["value"] = nullptr;  // NaN in the bundle reads back as null
  EXPECT_EQ(headline_text(record), "time_avg 2.00 ms");
  record["metrics"].erase("time_avg");
  EXPECT_EQ(headline_text(record), "");
}

TEST(RenderSummary, ShowsOnlyVaryingParametersAsColumns) {
  const json records = {collectives_record("allreduce", 1024, "ok", "", 1e-5, 10.0),
                        collectives_record("allreduce", 2048, "ok", "", 2e-5, 20.0),
                        collectives_record("allgather", 1024, "ok", "", 3e-5, 30.0)};
  const std::string summary = render_summary(records);
  const std::string header = header_of(summary);
  ASSERT_FALSE(header.empty()) << summary;
  EXPECT_TRUE(contains(header, "collective")) << header;
  EXPECT_TRUE(contains(header, "bytes")) << header;
  EXPECT_TRUE(contains(header, "status")) << header;
  EXPECT_TRUE(contains(header, "time_avg")) << header;
  EXPECT_TRUE(contains(header, "busbw")) << header;
  EXPECT_FALSE(contains(header, "dtype")) << header;     // the same in every case
  EXPECT_FALSE(contains(header, "in_place")) << header;  // the same in every case
  EXPECT_FALSE(contains(header, "algbw")) << header;     // not a headline metric
  EXPECT_LT(header.find("collective"), header.find("status"));
  EXPECT_LT(header.find("bytes"), header.find("status"));
  EXPECT_LT(header.find("status"), header.find("time_avg"));
  EXPECT_LT(header.find("time_avg"), header.find("busbw"));
  EXPECT_TRUE(contains(summary, "collectives (3 ok)")) << summary;
}

TEST(RenderSummary, RowsHoldFormattedSizesAndMetrics) {
  const json records = {collectives_record("allreduce", 1024, "ok", "", 1.5e-6, 10.0),
                        collectives_record("allreduce", 64 << 20, "ok", "", 2e-3, 20.5)};
  const std::string summary = render_summary(records);
  const std::string first = line_starting(summary, "1KiB");
  const std::string second = line_starting(summary, "64MiB");
  ASSERT_FALSE(first.empty()) << summary;
  ASSERT_FALSE(second.empty()) << summary;
  EXPECT_TRUE(contains(first, "ok")) << first;
  EXPECT_TRUE(contains(first, "1.50 us")) << first;
  EXPECT_TRUE(contains(first, "10 GB/s")) << first;
  EXPECT_TRUE(contains(second, "2.00 ms")) << second;
  EXPECT_TRUE(contains(second, "20.5 GB/s")) << second;
  EXPECT_FALSE(contains(summary, "1048576")) << summary;
  EXPECT_FALSE(contains(summary, "1024 ")) << summary;
}

TEST(RenderSummary, ColumnsAreAligned) {
  const json records = {collectives_record("allreduce", 8, "ok", "", 1e-6, 1.0),
                        collectives_record("reduce_scatter", 64 << 20, "ok", "", 1e-3, 100.0)};
  const std::string summary = render_summary(records);
  const std::string header = header_of(summary);
  const std::string row = line_starting(summary, "64MiB");
  const std::string short_row = line_starting(summary, "8B");
  ASSERT_FALSE(header.empty() || row.empty() || short_row.empty()) << summary;
  EXPECT_EQ(header.find("collective"), row.find("reduce_scatter"));
  EXPECT_EQ(header.find("collective"), short_row.find("allreduce"));
  EXPECT_EQ(header.find("status"), row.find("ok"));
  EXPECT_EQ(header.find("status"), short_row.find("ok"));
  EXPECT_EQ(header.find("busbw"), row.find("100 GB/s"));
}

TEST(RenderSummary, SkippedCasesAreCollapsedByReason) {
  const json records = {
      collectives_record("allreduce", 1024, "ok"),
      collectives_record("allreduce", 2048, "ok"),
      collectives_record("broadcast", 1024, "skipped", "broadcast does not reduce"),
      collectives_record("broadcast", 2048, "skipped", "broadcast does not reduce"),
      collectives_record("alltoall", 8, "skipped", "8 B holds fewer float32 elements than the 4 ranks need"),
  };
  const std::string summary = render_summary(records);
  EXPECT_TRUE(contains(summary, "skipped x2: broadcast does not reduce")) << summary;
  EXPECT_TRUE(contains(summary, "skipped x1: 8 B holds fewer float32 elements than the 4 ranks need")) << summary;
  EXPECT_TRUE(contains(summary, "collectives (2 ok, 3 skipped)")) << summary;
  // Skipped cases get no rows, and do not make their parameters look varying.
  EXPECT_TRUE(line_starting(summary, "broadcast").empty()) << summary;
  const std::string header = header_of(summary);
  ASSERT_FALSE(header.empty()) << summary;
  EXPECT_FALSE(contains(header, "collective")) << header;
  EXPECT_TRUE(contains(header, "bytes")) << header;
}

TEST(RenderSummary, FailedCasesShowTheirReason) {
  const json records = {collectives_record("allreduce", 1024, "ok"),
                        collectives_record("allreduce", 2048, "failed", "validation failed: 3 of 512 elements differ")};
  const std::string summary = render_summary(records);
  const std::string row = line_starting(summary, "2KiB");
  ASSERT_FALSE(row.empty()) << summary;
  EXPECT_TRUE(contains(row, "failed")) << row;
  EXPECT_TRUE(contains(row, "validation failed: 3 of 512 elements differ")) << row;
  EXPECT_TRUE(contains(row, "-")) << row;  // no metrics were measured
  EXPECT_FALSE(contains(line_starting(summary, "1KiB"), "validation")) << summary;
  EXPECT_TRUE(contains(summary, "collectives (1 failed, 1 ok)")) << summary;
}

TEST(RenderSummary, NoVaryingParametersShowsCaseNames) {
  const json records = {collectives_record("allreduce", 1024, "ok")};
  const std::string summary = render_summary(records);
  const std::string header = header_of(summary);
  ASSERT_EQ(header.rfind("case", 0), 0u) << summary;
  EXPECT_TRUE(contains(header, "status")) << header;
  EXPECT_FALSE(line_starting(summary, "collectives/collective:allreduce/bytes:1024").empty()) << summary;
}

TEST(RenderSummary, OneTablePerSuite) {
  json selftest = {{"name", "selftest/action:empty/rank:1"},
                   {"suite", "selftest"},
                   {"params", {{"action", "empty"}, {"rank", 1}}},
                   {"param_kinds", {{"action", "string"}, {"rank", "integer"}}},
                   {"status", "ok"},
                   {"headline", {"time_avg"}},
                   {"metrics", {{"time_avg", metric(2e-8, "s")}}}};
  const json records = {collectives_record("allreduce", 1024, "ok"), selftest,
                        collectives_record("allreduce", 2048, "ok")};
  const std::string summary = render_summary(records);
  const auto collectives = summary.find("collectives (2 ok)");
  const auto self = summary.find("selftest (1 ok)");
  ASSERT_NE(collectives, std::string::npos) << summary;
  ASSERT_NE(self, std::string::npos) << summary;
  EXPECT_TRUE(contains(summary.substr(self), "20.0 ns")) << summary;
  EXPECT_FALSE(contains(summary.substr(self), "busbw")) << summary;
}

TEST(RenderSummary, AllSkippedSuiteHasNoTable) {
  const json records = {collectives_record("broadcast", 1024, "skipped", "no"),
                        collectives_record("broadcast", 2048, "skipped", "no")};
  const std::string summary = render_summary(records);
  EXPECT_TRUE(contains(summary, "collectives (2 skipped)")) << summary;
  EXPECT_TRUE(contains(summary, "skipped x2: no")) << summary;
  EXPECT_FALSE(contains(summary, "status")) << summary;
}

TEST(RenderSummary, EmptyInputIsEmpty) { EXPECT_EQ(render_summary(json::array()), ""); }

}  // namespace
}  // namespace sciperf
