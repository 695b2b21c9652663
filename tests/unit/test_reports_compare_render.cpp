#include "reports/compare_render.h"

#include "reports_support.h"

#include <gtest/gtest.h>

namespace sciperf::reports {
namespace {

using nlohmann::json;
using testing::contains;
using testing::expect_golden;
using testing::fixture;

class CompareRender : public ::testing::Test {
 protected:
  Bundle baseline = fixture("baseline");
  Bundle candidate = fixture("candidate");
  Comparison comparison() const { return compare_bundles(baseline, candidate, {}); }
};

TEST_F(CompareRender, TableGolden) { expect_golden(render_comparison(comparison(), CompareFormat::table), "compare.txt"); }
TEST_F(CompareRender, MarkdownGolden) {
  expect_golden(render_comparison(comparison(), CompareFormat::markdown), "compare.md");
}
TEST_F(CompareRender, JsonGolden) { expect_golden(render_comparison(comparison(), CompareFormat::json), "compare.json"); }
TEST_F(CompareRender, JunitGolden) { expect_golden(render_junit(comparison()), "compare.junit.xml"); }

TEST_F(CompareRender, JsonHoldsEveryMetricStatusAndUnmatchedCase) {
  const json document = json::parse(render_comparison(comparison(), CompareFormat::json));
  EXPECT_EQ(document["exit_code"], kExitRegression);
  EXPECT_EQ(document["summary"]["regression"], 3);
  EXPECT_EQ(document["statuses"].size(), 2u);
  EXPECT_EQ(document["unmatched"]["baseline_only"].size(), 1u);
  EXPECT_EQ(document["unmatched"]["candidate_only"].size(), 1u);
  const json& first = document["metrics"][0];
  EXPECT_EQ(first["verdict"], "regression");
  EXPECT_EQ(first["ratio_interval"].size(), 2u);
  EXPECT_EQ(first["baseline_samples"], 10);
}

TEST_F(CompareRender, JunitCountsFailuresAndSkips) {
  const std::string xml = render_junit(comparison());
  // 11 case × metric comparisons, 2 status verdicts, 2 unmatched, 1 check that the bundles compare.
  EXPECT_TRUE(contains(xml, "<testsuites name=\"sciperf compare\" tests=\"16\" failures=\"3\" errors=\"0\" skipped=\"4\">"));
  EXPECT_TRUE(contains(xml, "<skipped message=\"only in the baseline\"/>"));
}

TEST_F(CompareRender, UnitMismatchIsAJunitError) {
  candidate.cases[0].metrics.at("busbw").unit = "MB/s";
  const std::string xml = render_junit(comparison());
  EXPECT_TRUE(contains(xml, "<error message=\"unit differs: GB/s in the baseline, MB/s in the candidate\"/>"));
  EXPECT_TRUE(contains(xml, "name=\"bundles comparable\">\n      <error message=\"" + candidate.file +
                                ": sciperf.cases[0].metrics.busbw.unit: &quot;MB/s&quot;, but the baseline "));
  const std::string markdown = render_comparison(comparison(), CompareFormat::markdown);
  EXPECT_TRUE(contains(markdown, "### Errors"));
}

TEST_F(CompareRender, NothingMatchedSaysWhy) {
  for (CaseResult& record : candidate.cases) record.name += "/renamed";
  const Comparison c = comparison();
  EXPECT_TRUE(contains(render_comparison(c, CompareFormat::table), "could not compare: no case appears in both bundles"));
  EXPECT_TRUE(contains(render_comparison(c, CompareFormat::markdown), "**Could not compare:** no case appears"));
  EXPECT_EQ(json::parse(render_comparison(c, CompareFormat::json))["exit_code"], kExitCouldNotCompare);
}

TEST_F(CompareRender, NamesAreEscapedInMarkdownAndJunit) {
  const std::string name = "<script>alert(1)</script>|x&y";
  baseline.cases[8].name = name;  // selftest: one case, so its name is shown
  candidate.cases[8].name = name;
  baseline.cases[4].name = "a|b<i>";  // now only in the baseline
  baseline.cases[0].params["algorithm"] = "ri|ng<b>";
  const Comparison c = comparison();

  const std::string markdown = render_comparison(c, CompareFormat::markdown);
  EXPECT_FALSE(contains(markdown, "<script>"));
  EXPECT_FALSE(contains(markdown, "<i>"));
  EXPECT_FALSE(contains(markdown, "<b>"));
  EXPECT_TRUE(contains(markdown, "| &lt;script&gt;alert(1)&lt;/script&gt;\\|x&amp;y | time\\_avg |"));
  EXPECT_TRUE(contains(markdown, "- only in the baseline: a\\|b&lt;i&gt;"));
  EXPECT_TRUE(contains(markdown, "| ri\\|ng&lt;b&gt; |"));

  const std::string xml = render_junit(c);
  EXPECT_FALSE(contains(xml, "<script>"));
  EXPECT_TRUE(contains(xml, "name=\"&lt;script&gt;alert(1)&lt;/script&gt;|x&amp;y [time_avg]\""));
  EXPECT_TRUE(contains(xml, "name=\"a|b&lt;i&gt;\""));
}

}  // namespace
}  // namespace sciperf::reports
