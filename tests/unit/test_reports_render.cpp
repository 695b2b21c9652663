#include "reports/render.h"

#include "reports/escape.h"
#include "reports/format.h"
#include "reports/table.h"
#include "reports_support.h"

#include <gtest/gtest.h>

namespace sciperf::reports {
namespace {

using nlohmann::json;
using testing::contains;
using testing::expect_golden;
using testing::fixture;

std::vector<Bundle> both() { return {fixture("baseline"), fixture("candidate")}; }

TEST(ReportGolden, OneBundleAsATable) { expect_golden(render_report({fixture("baseline")}, ReportFormat::table), "report-one.txt"); }
TEST(ReportGolden, TwoBundlesAsATable) { expect_golden(render_report(both(), ReportFormat::table), "report-two.txt"); }
TEST(ReportGolden, Markdown) { expect_golden(render_report(both(), ReportFormat::markdown), "report-two.md"); }
TEST(ReportGolden, Csv) { expect_golden(render_report(both(), ReportFormat::csv), "report-two.csv"); }
TEST(ReportGolden, Json) { expect_golden(render_report(both(), ReportFormat::json), "report-two.json"); }

TEST(Report, JsonRowsAreFlatWithEveryMetric) {
  const json rows = json::parse(render_report({fixture("baseline")}, ReportFormat::json));
  ASSERT_TRUE(rows.is_array());
  // 8 ok cases with 3 metrics each, except selftest with 1, and one row for the skipped case.
  EXPECT_EQ(rows.size(), 7u * 3 + 1 + 1);
  const json& first = rows[0];
  for (const char* key : {"bundle", "system", "case", "suite", "params", "status", "metric", "value", "unit", "direction"})
    EXPECT_TRUE(first.contains(key)) << key;
  EXPECT_EQ(first["bundle"], "baseline");
  EXPECT_EQ(first["system"], "node-a");
  EXPECT_EQ(first["params"]["bytes"], 1024);
}

TEST(Report, CasesMissingFromABundleShowADash) {
  const std::string table = render_report(both(), ReportFormat::table);
  // reduce_scatter is only in the baseline, rabenseifner only in the candidate.
  EXPECT_TRUE(contains(table, "ok/-")) << table;
  EXPECT_TRUE(contains(table, "-/ok")) << table;
}

TEST(ReportsEscaping, MarkdownShowsMarkupAsText) {
  EXPECT_EQ(escape_markdown("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(escape_markdown("a|b"), "a\\|b");
  EXPECT_EQ(escape_markdown("reduce_scatter *x* [l](u) `c` ~s~ $m$ \\ &amp;"),
            "reduce\\_scatter \\*x\\* \\[l\\](u) \\`c\\` \\~s\\~ \\$m\\$ \\\\ &amp;amp;");
  EXPECT_EQ(escape_markdown("two\nlines"), "two lines");
}

TEST(ReportsEscaping, Xml) {
  EXPECT_EQ(escape_xml("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
  EXPECT_EQ(escape_xml(std::string("bell\x07")), "bell\xEF\xBF\xBD");
  EXPECT_EQ(escape_xml("tab\tok"), "tab\tok");
}

TEST(ReportsEscaping, CsvFollowsRfc4180) {
  EXPECT_EQ(escape_csv("plain"), "plain");
  EXPECT_EQ(escape_csv("a,b"), "\"a,b\"");
  EXPECT_EQ(escape_csv("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(escape_csv("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(render_csv({{"a", "b"}, {{"1", "x,y"}}}), "a,b\r\n1,\"x,y\"\r\n");
}

TEST(ReportsEscaping, TerminalLosesControlCharacters) {
  EXPECT_EQ(escape_terminal("\x1b[31mred\x1b[0m"), "?[31mred?[0m");
}

TEST(ReportsEscaping, ACaseNamedScriptRendersAsText) {
  Bundle bundle = fixture("baseline");
  bundle.cases[8].name = "<script>alert('x')</script>|y";
  bundle.cases[8].params["action"] = "a|<b>";
  const std::string markdown = render_report({bundle}, ReportFormat::markdown);
  EXPECT_FALSE(contains(markdown, "<script>"));
  EXPECT_FALSE(contains(markdown, "<b>"));
  EXPECT_TRUE(contains(markdown, "&lt;script&gt;alert('x')&lt;/script&gt;\\|y"));
  const std::string csv = render_report({bundle}, ReportFormat::csv);
  EXPECT_TRUE(contains(csv, "<script>alert('x')</script>|y"));  // CSV holds text as it is
  const json rows = json::parse(render_report({bundle}, ReportFormat::json));
  EXPECT_EQ(rows.back()["case"], "<script>alert('x')</script>|y");
}

TEST(ReportsFormat, Values) {
  EXPECT_EQ(format_value(3.14265e-7, "s"), "314 ns");
  EXPECT_EQ(format_value(1.5e-6, "s"), "1.5 us");
  EXPECT_EQ(format_value(0.01234, "s"), "12.3 ms");
  EXPECT_EQ(format_value(2.0, "s"), "2 s");
  EXPECT_EQ(format_value(0.0, "s"), "0 s");
  EXPECT_EQ(format_value(12.345, "GB/s"), "12.35 GB/s");
  EXPECT_EQ(format_value(123456.0, "samples/s"), "123456 samples/s");
  EXPECT_EQ(format_value(7.0, ""), "7");
}

TEST(ReportsFormat, Params) {
  EXPECT_EQ(format_param(1024, "size"), "1KiB");
  EXPECT_EQ(format_param(1536, "size"), "1.5KiB");
  EXPECT_EQ(format_param(8, "size"), "8B");
  EXPECT_EQ(format_param(0.25, "duration"), "250 ms");
  EXPECT_EQ(format_param("ring", "string"), "ring");
  EXPECT_EQ(format_param(false, "boolean"), "false");
  EXPECT_EQ(format_param(3, "integer"), "3");
  EXPECT_EQ(format_percent(0.1234), "+12.3%");
  EXPECT_EQ(format_percent(-0.05), "-5.0%");
}

}  // namespace
}  // namespace sciperf::reports
