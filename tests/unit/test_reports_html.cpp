#include "reports/chart_spec.h"
#include "reports/commands.h"
#include "reports/contract_charts.h"
#include "reports/html.h"
#include "reports/render.h"
#include "reports/svg_chart.h"
#include "reports_support.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

namespace sciperf::reports {
namespace {

using nlohmann::json;
using testing::contains;
using testing::expect_golden;
using testing::fixture;

// sweep-a and sweep-b (data/reports/sweep-a/README.md): two systems, three sizes, a straggler,
// percentiles, a suite the reports have no code for, and a case named <script>.
std::vector<Bundle> sweeps() { return {fixture("sweep-a"), fixture("sweep-b")}; }

std::size_t occurrences(const std::string& text, const std::string& fragment) {
  std::size_t count = 0;
  for (auto at = text.find(fragment); at != std::string::npos; at = text.find(fragment, at + fragment.size())) ++count;
  return count;
}

// Each <svg>...</svg> of a page, in order.
std::vector<std::string> svg_elements(const std::string& page) {
  std::vector<std::string> svgs;
  for (auto start = page.find("<svg"); start != std::string::npos; start = page.find("<svg", start + 1)) {
    const auto end = page.find("</svg>", start);
    if (end == std::string::npos) break;
    svgs.push_back(page.substr(start, end + 6 - start));
  }
  return svgs;
}

// The text of every match of `pattern`'s first group, in order.
std::vector<std::string> captures(const std::string& text, const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex regex(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), regex); it != std::sregex_iterator(); ++it)
    found.push_back((*it)[1].str());
  return found;
}

std::vector<std::string> legend_labels(const std::string& svg) {
  return captures(svg, R"re(<g class="legend-entry">.*?<text [^>]*>([^<]*)</text></g>)re");
}

// Whether `text` is well-formed XML as far as the report needs: every element closed in order
// (void HTML elements written as <x/>), attribute values quoted, and '&' only in entities.
// Empty when it is; else the first problem and where.
std::string xml_problem(std::string_view text) {
  static const std::regex kEntity(R"re(^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)re");
  static const std::regex kTag(R"re(^<(/?)([A-Za-z][-A-Za-z0-9:]*)((\s+[-A-Za-z0-9:]+="[^"<]*")*)\s*(/?)>)re");
  if (text.starts_with("<!DOCTYPE html>")) text.remove_prefix(15);
  std::vector<std::string> open;
  for (std::size_t at = 0; at < text.size();) {
    const std::string rest(text.substr(at, 400));
    std::smatch match;
    if (text[at] == '&') {
      if (!std::regex_search(rest, match, kEntity)) return "a bare & at: " + rest.substr(0, 60);
    } else if (text[at] == '<') {
      if (!std::regex_search(rest, match, kTag)) return "not a tag: " + rest.substr(0, 60);
      const std::string name = match[2];
      if (match[1] == "/") {
        if (open.empty() || open.back() != name) return "</" + name + "> closes " + (open.empty() ? "nothing" : "<" + open.back() + ">");
        open.pop_back();
      } else if (match[5] != "/") {
        open.push_back(name);
      }
      const std::string attributes = match[3];
      for (auto amp = attributes.find('&'); amp != std::string::npos; amp = attributes.find('&', amp + 1))
        if (!std::regex_search(attributes.substr(amp), kEntity)) return "a bare & in the attributes of <" + name + ">";
    } else {
      ++at;
      continue;
    }
    at += static_cast<std::size_t>(match.length(0));
  }
  return open.empty() ? "" : "<" + open.back() + "> is never closed";
}

TEST(HtmlReportGolden, TwoBundles) {
  expect_golden(render_report({fixture("baseline"), fixture("candidate")}, ReportFormat::html), "report-two.html");
}

TEST(HtmlReport, IsWellFormedXml) {
  EXPECT_EQ(xml_problem(render_html(sweeps())), "");
  EXPECT_EQ(xml_problem(render_html({fixture("baseline"), fixture("candidate")})), "");
  EXPECT_EQ(xml_problem("<p>a & b</p>"), "a bare & at: & b</p>");
  EXPECT_EQ(xml_problem("<p><b>x</p></b>"), "</p> closes <b>");
  EXPECT_EQ(xml_problem("<svg><g>"), "<g> is never closed");
}

TEST(HtmlReport, OneSvgPerExpectedChart) {
  const std::string page = render_html(sweeps());
  std::vector<std::string> titles;
  for (const std::string& svg : svg_elements(page)) titles.push_back(captures(svg, R"re(<title id="[^"]*">([^<]*)</title>)re").at(0));
  EXPECT_EQ(titles, (std::vector<std::string>{
                        "collectives, collective=allreduce: time_avg vs bytes",
                        "collectives, collective=allreduce: busbw vs bytes",
                        "collectives, collective=alltoall: time_avg vs bytes",
                        "collectives, collective=alltoall: busbw vs bytes",
                        "collectives, collective=alltoall: time_median, time_p99 vs bytes",
                        "stream: bandwidth vs array_size",
                    }));
  EXPECT_EQ(occurrences(page, "<svg"), 6u);
  EXPECT_EQ(occurrences(page, "<figure>"), 6u);
}

TEST(HtmlReport, FetchesNothingAndRunsNothing) {
  const std::string page = render_html(sweeps());
  const auto references = captures(page, R"re((https?://[^"'\s<>]*))re");
  for (const std::string& reference : references) EXPECT_EQ(reference, "http://www.w3.org/2000/svg");
  EXPECT_EQ(references.size(), 6u);  // one namespace declaration per chart
  for (const char* absent : {"<script", "<link", "<img", "<iframe", "<object", "src=", "url(", "@import"})
    EXPECT_FALSE(contains(page, absent)) << absent;
  EXPECT_TRUE(captures(page, R"re( (on[a-z]+)=)re").empty()) << "no event handlers";
  for (const std::string& target : captures(page, R"re(href="([^"]*)")re")) EXPECT_TRUE(target.starts_with("#suite-")) << target;
  EXPECT_TRUE(contains(page, "content=\"default-src 'none'; style-src 'unsafe-inline'\""));
}

TEST(HtmlReport, ACaseNamedScriptRendersAsText) {
  const std::string page = render_html(sweeps());
  EXPECT_FALSE(contains(page, "<script"));
  EXPECT_FALSE(contains(page, "<b>"));
  EXPECT_TRUE(contains(page, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
  EXPECT_TRUE(contains(page, "rank 1 died: &lt;b&gt;signal 9&lt;/b&gt; &amp; more"));

  Bundle bundle = fixture("sweep-a");
  bundle.label = "<i>run</i>";
  bundle.system = "sys\"tem'";
  bundle.cases[0].params["algorithm"] = "<script>x</script>";
  const std::string renamed = render_html({bundle, fixture("sweep-b")});
  EXPECT_EQ(xml_problem(renamed), "");
  EXPECT_FALSE(contains(renamed, "<script"));
  EXPECT_FALSE(contains(renamed, "<i>"));
  EXPECT_TRUE(contains(renamed, "[1] &lt;i&gt;run&lt;/i&gt;"));
  EXPECT_TRUE(contains(renamed, "sys&quot;tem&apos;"));
}

TEST(HtmlReport, LegendHasAnEntryPerSeries) {
  const std::vector<std::string> svgs = svg_elements(render_html(sweeps()));
  ASSERT_EQ(svgs.size(), 6u);
  // Lines per (bundle, algorithm); the failed <script> algorithm has nothing to draw.
  EXPECT_EQ(legend_labels(svgs[0]), (std::vector<std::string>{"[1] lab-a · algorithm=ring", "[2] lab-b · algorithm=ring",
                                                              "[1] lab-a · algorithm=mpi", "[2] lab-b · algorithm=mpi"}));
  EXPECT_EQ(occurrences(svgs[0], "<polyline"), 4u);
  // One algorithm only: the runs tell the lines apart.
  EXPECT_EQ(legend_labels(svgs[3]), (std::vector<std::string>{"[1] lab-a", "[2] lab-b"}));
  EXPECT_EQ(legend_labels(svgs[4]), (std::vector<std::string>{"[1] lab-a · time_median", "[1] lab-a · time_p99",
                                                              "[2] lab-b · time_median", "[2] lab-b · time_p99"}));
  // A suite the reports have no code for: kernel makes the series.
  EXPECT_EQ(legend_labels(svgs[5]),
            (std::vector<std::string>{"[1] lab-a · kernel=copy", "[1] lab-a · kernel=triad", "[2] lab-b · kernel=triad"}));
}

TEST(HtmlReport, AxesHaveTicksAndUnits) {
  const std::vector<std::string> svgs = svg_elements(render_html(sweeps()));
  ASSERT_EQ(svgs.size(), 6u);
  const auto ticks = [](const std::string& svg) {
    return captures(svg, R"re(<text x="[^"]*" y="[^"]*" text-anchor="(?:middle|end)"(?: dominant-baseline="middle"| transform="[^"]*")?>([^<]*)</text>)re");
  };
  // log2 sizes, then log10 times in microseconds, then the axis labels.
  EXPECT_EQ(ticks(svgs[0]), (std::vector<std::string>{"1KiB", "4KiB", "16KiB", "64KiB", "256KiB", "1MiB", "1", "10", "100", "1000",
                                                      "bytes, log scale", "time_avg (us), log scale"}));
  // A linear axis starts at zero.
  EXPECT_EQ(ticks(svgs[1]), (std::vector<std::string>{"1KiB", "4KiB", "16KiB", "64KiB", "256KiB", "1MiB", "0", "5", "10", "15",
                                                      "bytes, log scale", "busbw (GB/s)"}));
  EXPECT_TRUE(contains(svgs[5], ">array_size, log scale<"));
  EXPECT_TRUE(contains(svgs[5], ">256MiB<"));
}

TEST(HtmlReport, ChartsAreAccessible) {
  for (const std::string& svg : svg_elements(render_html(sweeps()))) {
    const auto ids = captures(svg, R"re(aria-labelledby="([^"]*)")re");
    ASSERT_EQ(ids.size(), 1u) << svg.substr(0, 300);
    const std::string id = ids[0].substr(0, ids[0].find('-', 6));
    EXPECT_EQ(ids[0], id + "-title " + id + "-desc");
    EXPECT_TRUE(contains(svg, "role=\"img\""));
    EXPECT_TRUE(contains(svg, "<title id=\"" + id + "-title\">"));
    EXPECT_TRUE(contains(svg, "<desc id=\"" + id + "-desc\">"));
    // Every point says what it is when hovered (legend markers are only swatches).
    const std::string plot = svg.substr(0, svg.find("<g class=\"legend\">"));
    const std::size_t markers = captures(plot, R"re(fill="(#[0-9A-F]{6})">)re").size();
    EXPECT_GT(markers, 0u);
    EXPECT_EQ(captures(plot, R"re(fill="(#[0-9A-F]{6})"><title>)re").size(), markers);
  }
}

TEST(HtmlReport, AStragglerShowsAsABandAndIsNamed) {
  const std::vector<std::string> svgs = svg_elements(render_html(sweeps()));
  ASSERT_EQ(svgs.size(), 6u);
  EXPECT_EQ(occurrences(svgs[0], "class=\"band\""), 4u);  // time_avg: time_min to time_max
  EXPECT_EQ(occurrences(svgs[1], "class=\"band\""), 0u);  // busbw has none
  EXPECT_TRUE(contains(svgs[0], "Widest: [1] collectives/collective:allreduce/algorithm:ring/bytes:1MiB, time_max 3.15x time_avg."));
}

TEST(HtmlReport, HeaderPerBundle) {
  const std::string page = render_html(sweeps());
  for (const char* fact : {"<h3>[1] sweep-a</h3>", "<dt>system</dt><dd>lab-a</dd>", "<dt>CPU</dt><dd>Test CPU A</dd>",
                           "<dt>CPU</dt><dd>Test CPU B1; Test CPU B2</dd>", "<dt>nodes, ranks</dt><dd>2 nodes, 4 ranks</dd>",
                           "<dt>MPI</dt><dd>Open MPI 4.1.4</dd>", "<dt>sciperf</dt><dd>0.1.0 (abc1234)</dd>",
                           "<dt>status</dt><dd>complete</dd>", "<dt>date</dt><dd>2026-11-21T10:00:00Z to 2026-11-21T10:05:00Z</dd>",
                           "<dt>cases</dt><dd>17: 1 failed, 15 ok, 1 skipped</dd>"})
    EXPECT_TRUE(contains(page, fact)) << fact;

  Bundle interrupted = fixture("sweep-b");
  interrupted.run.status = "interrupted";
  interrupted.run.reason = "SIGTERM";
  interrupted.platform = {};
  const std::string partial = render_html({interrupted});
  EXPECT_TRUE(contains(partial, "<article class=\"run incomplete\">"));
  EXPECT_TRUE(contains(partial, "<dt>status</dt><dd>interrupted: SIGTERM</dd>"));
  EXPECT_TRUE(contains(partial, "<dt>nodes, ranks</dt><dd>-</dd>"));
}

TEST(HtmlReport, FailedAndSkippedCasesKeepTheirReasons) {
  const std::string page = render_html(sweeps());
  EXPECT_TRUE(contains(page, "<tr class=\"not-ok\"><td>alltoall</td><td>pairwise</td><td>8B</td><td>skipped/-</td>"));
  EXPECT_TRUE(contains(page, "<td class=\"notes\">[1] 8 B holds fewer float32 elements than the 4 ranks need</td>"));
}

TEST(HtmlReport, ValuesItCannotPlaceAreCounted) {
  Bundle bundle = fixture("sweep-a");
  bundle.cases[0].metrics["busbw"].unit = "MB/s";
  const std::vector<std::string> svgs = svg_elements(render_html({bundle}));
  EXPECT_TRUE(contains(svgs.at(1), "Not drawn: 1 value with no bytes or in a unit other than GB/s."));
}

TEST(HtmlReport, TheCommandWritesOnePage) {
  const std::filesystem::path out = std::filesystem::temp_directory_path() / "sciperf-test-report.html";
  ReportOptions options;
  options.bundles = {testing::data_path("sweep-a"), testing::data_path("sweep-b")};
  options.format = "html";
  options.output_file = out.string();
  EXPECT_EQ(report_command(options), 0);
  const std::string page = testing::read_file(out.string());
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_TRUE(page.ends_with("</html>\n"));
  std::filesystem::remove(out);
}

// Cases of a suite the reports were never told about.
CaseResult made_up_case(const std::string& pattern, std::int64_t message, double latency) {
  CaseResult record;
  record.suite = "pingpong";
  record.name = fmt::format("pingpong/pattern:{}/message:{}", pattern, message);
  record.params = {{"pattern", pattern}, {"message", message}, {"peer", 1}};
  record.param_kinds = {{"pattern", "string"}, {"message", "size"}, {"peer", "integer"}};
  record.status = "ok";
  record.headline = {"latency"};
  record.metrics["latency"] = {latency, "s", Direction::lower_is_better};
  return record;
}

SuiteRows suite_of(const Bundle& bundle) {
  SuiteRows suite{bundle.cases.front().suite, {}};
  for (const CaseResult& record : bundle.cases) suite.rows.push_back(CaseRow{{&record}});
  return suite;
}

TEST(ChartSpecs, ANewSuiteIsChartedFromItsParametersAlone) {
  Bundle bundle;
  bundle.system = "lab";
  for (const char* pattern : {"near", "far"})
    for (std::int64_t message : {64, 4096, 262144}) bundle.cases.push_back(made_up_case(pattern, message, 1e-6 * message));
  const SuiteRows suite = suite_of(bundle);
  const std::vector<ChartSpec> specs = chart_specs(suite);
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].x_param, "message");
  EXPECT_EQ(specs[0].metrics, std::vector<std::string>{"latency"});
  EXPECT_EQ(specs[0].series_params, std::vector<std::string>{"pattern"});
  EXPECT_EQ(specs[0].facet_param, "");
  EXPECT_EQ(specs[0].band_low, "");

  const auto chart = build_chart(specs[0], {bundle}, suite);
  ASSERT_TRUE(chart.has_value());
  EXPECT_EQ(chart->title, "pingpong: latency vs message");
  EXPECT_EQ(chart->x.scale, Scale::log2);
  EXPECT_EQ(chart->y.scale, Scale::log10);
  EXPECT_EQ(chart->y.label, "latency (ms), log scale");
  ASSERT_EQ(chart->series.size(), 2u);
  EXPECT_EQ(chart->series[0].label, "pattern=near");
  EXPECT_EQ(chart->series[1].colour, 1u);
  EXPECT_DOUBLE_EQ(chart->series[0].points[2].y, 262.144);  // in the axis's unit
  EXPECT_EQ(chart->x.tick_text(4096), "4KiB");
}

TEST(ChartSpecs, TheLeadingParameterSplitsChartsWhenTwoOthersVary) {
  const std::vector<Bundle> bundles = sweeps();
  const std::vector<SuiteRows> suites = rows_by_suite(bundles);
  ASSERT_EQ(suites.size(), 3u);
  const std::vector<ChartSpec> specs = chart_specs(suites[0]);
  ASSERT_EQ(specs.size(), 5u);
  EXPECT_EQ(specs[0].facet_param, "collective");
  EXPECT_EQ(specs[0].facet_value, "allreduce");
  EXPECT_EQ(specs[0].series_params, std::vector<std::string>{"algorithm"});
  EXPECT_EQ(specs[0].metrics, std::vector<std::string>{"time_avg"});
  EXPECT_EQ(specs[0].band_low, "time_min");
  EXPECT_EQ(specs[0].band_high, "time_max");
  EXPECT_EQ(specs[1].metrics, std::vector<std::string>{"busbw"});
  EXPECT_EQ(specs[2].facet_value, "alltoall");
  EXPECT_EQ(specs[4].metrics, (std::vector<std::string>{"time_median", "time_p99"}));
  EXPECT_TRUE(chart_specs(suites[2]).empty()) << "selftest has no size parameter";
}

TEST(ChartSpecs, SeriesAtOneSizeAreLeftOutAndSaidSo) {
  Bundle bundle;
  bundle.cases = {made_up_case("near", 64, 1e-6), made_up_case("near", 4096, 2e-6), made_up_case("far", 64, 3e-6)};
  const SuiteRows suite = suite_of(bundle);
  const auto chart = build_chart(chart_specs(suite).at(0), {bundle}, suite);
  ASSERT_TRUE(chart.has_value());
  ASSERT_EQ(chart->series.size(), 1u);
  EXPECT_EQ(chart->series[0].label, "latency");  // one line: nothing to tell apart
  EXPECT_TRUE(contains(chart->description, "Not drawn: 1 series with a value at one size only (see the table)."));

  bundle.cases.resize(1);
  const SuiteRows alone = suite_of(bundle);
  EXPECT_TRUE(chart_specs(alone).empty()) << "one size: no x axis";
}

LineChart two_point_chart(Scale y_scale) {
  LineChart chart;
  chart.title = "t";
  chart.x = {"size", Scale::log2, {}};
  chart.y = {"value", y_scale, {}};
  chart.series.push_back({"a", 0, 0, 0, {{1024, 2, std::pair(1.0, 3.0), "tip <1>"}, {8, 50, std::nullopt, "tip 2"}}});
  return chart;
}

TEST(SvgChart, DrawsLinesBandsAndTooltips) {
  const std::string svg = render_svg(two_point_chart(Scale::linear), "c");
  EXPECT_EQ(xml_problem(svg), "");
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"c\""));
  EXPECT_TRUE(contains(svg, "<title>tip &lt;1&gt;</title>"));
  // Joined by increasing x: 8 first.
  EXPECT_TRUE(contains(svg, "<polyline points=\"84.0,40.0 736.0,328.0\""));
  EXPECT_EQ(occurrences(svg, "class=\"band\""), 0u) << "a band needs two ranges; one point gets a whisker";
  EXPECT_EQ(occurrences(svg, "class=\"legend-entry\""), 1u);
}

TEST(SvgChart, LogAxesSkipWhatTheyCannotPlace) {
  LineChart chart = two_point_chart(Scale::log10);
  chart.series[0].points.push_back({0, 5, std::nullopt, "zero size"});
  chart.series[0].points.push_back({64, 0, std::nullopt, "zero value"});
  const std::string svg = render_svg(chart, "c");
  EXPECT_FALSE(contains(svg, "zero size"));
  EXPECT_FALSE(contains(svg, "zero value"));
  EXPECT_TRUE(contains(svg, ">8<"));
  EXPECT_TRUE(contains(svg, ">1024<"));
}

// The charts of reports/contract_charts.h, from cases as the training, compression and
// kernels suites record them (docs/results.md).

CaseResult ok_case(const std::string& suite, const std::string& name, nlohmann::json params) {
  CaseResult record;
  record.suite = suite;
  record.name = suite + "/" + name;
  record.params = std::move(params);
  record.status = "ok";
  return record;
}

CaseResult training_case(const std::string& model, std::vector<LossPoint> curve) {
  CaseResult record = ok_case("training", "model:" + model, {{"model", model}, {"ranks", 2}});
  record.headline = {"samples_per_s"};
  record.metrics["samples_per_s"] = {1000.0, "samples/s", Direction::higher_is_better};
  record.loss_curve = std::move(curve);
  return record;
}

TEST(ContractCharts, ALossCurvePerTrainingCase) {
  Bundle bundle;
  bundle.cases = {training_case("mlp", {{25, 2.0, 2.2, 0.1}, {50, 1.0, 1.1, 0.5}, {75, 0.5, 0.6, 0.9}}),
                  training_case("unet", {{25, 3.0, 3.5, 0.0}, {50, 2.5, 2.9, 0.2}})};
  const auto chart = loss_curve_chart({bundle}, suite_of(bundle));
  ASSERT_TRUE(chart.has_value());
  EXPECT_EQ(chart->title, "training: loss vs step");
  EXPECT_EQ(chart->x.scale, Scale::linear);
  EXPECT_EQ(chart->y.scale, Scale::linear) << "0.5 to 3.5: not wide enough for a log axis";
  ASSERT_EQ(chart->series.size(), 4u);
  EXPECT_EQ(chart->series[0].label, "model=mlp · training loss");
  EXPECT_EQ(chart->series[1].label, "model=mlp · held-out loss");
  EXPECT_EQ(chart->series[1].colour, 0u) << "a colour per case";
  EXPECT_EQ(chart->series[1].marker, 1u) << "a marker per loss";
  EXPECT_EQ(chart->series[2].colour, 1u);
  EXPECT_EQ(chart->series[1].points[2].x, 75);
  EXPECT_EQ(chart->series[1].points[2].y, 0.6);

  const std::vector<std::string> svgs = svg_elements(render_html({bundle}));
  ASSERT_EQ(svgs.size(), 1u) << "no size parameter: the loss curves are the training suite's only chart";
  EXPECT_EQ(xml_problem(svgs[0]), "");
  EXPECT_EQ(occurrences(svgs[0], "<polyline"), 4u);
  EXPECT_TRUE(contains(svgs[0], "<title>training/model:mlp: step 75, held-out loss 0.6</title>"));
  EXPECT_TRUE(contains(svgs[0], ">step<"));

  for (CaseResult& record : bundle.cases) record.loss_curve.clear();
  EXPECT_FALSE(loss_curve_chart({bundle}, suite_of(bundle)).has_value());
}

TEST(ContractCharts, TheParetoFrontIsWhatNothingBeatsInBoth) {
  // (1.5, -2) loses to (2, -1) in both; (0.5, -0.1) to (1, 0); equal points do not beat each other.
  const std::vector<Point> points{{1, 0}, {2, -1}, {1.5, -2}, {3, -5}, {3, -5}, {0.5, -0.1}, {1, -0.1}};
  EXPECT_EQ(pareto_front(points), (std::vector<std::size_t>{0, 1, 3, 4}));
  EXPECT_TRUE(pareto_front({}).empty());
  EXPECT_EQ(pareto_front({{2, 1}}), std::vector<std::size_t>{0});
}

CaseResult compressed(const std::string& variant, double speedup, double accuracy_delta) {
  CaseResult record = ok_case("compression", "model:mlp/variant:" + variant, {{"model", "mlp"}, {"variant", variant}});
  record.headline = {"speedup", "accuracy_delta"};
  record.metrics["speedup"] = {speedup, "x", Direction::higher_is_better};
  record.metrics["accuracy_delta"] = {accuracy_delta, "points", Direction::higher_is_better};
  return record;
}

TEST(ContractCharts, CompressedVariantsOnAParetoChart) {
  Bundle bundle;
  bundle.cases = {compressed("dense", 1.0, 0.0), compressed("int8", 2.5, -0.3), compressed("sparse-2:4", 1.6, -0.8),
                  compressed("int4", 3.8, -2.1), compressed("pruned-50", 1.2, -1.0)};
  const auto chart = pareto_chart({bundle}, suite_of(bundle));
  ASSERT_TRUE(chart.has_value());
  EXPECT_EQ(chart->title, "compression: accuracy_delta vs speedup");
  EXPECT_EQ(chart->x.label, "speedup (x)");
  EXPECT_EQ(chart->y.label, "accuracy_delta (points)");
  ASSERT_EQ(chart->series.size(), 2u);
  EXPECT_EQ(chart->series[0].label, "Pareto front");
  std::vector<std::string> front;
  for (const Point& point : chart->series[0].points) front.push_back(point.label);
  EXPECT_EQ(front, (std::vector<std::string>{"dense", "int8", "int4"}));
  EXPECT_EQ(chart->series[1].label, "dominated");
  EXPECT_EQ(chart->series[1].draw, Draw::markers);
  EXPECT_EQ(chart->series[1].points.size(), 2u);
  EXPECT_TRUE(contains(chart->description, "2 of 5 dominated."));

  const std::string svg = svg_elements(render_html({bundle})).at(0);
  EXPECT_EQ(xml_problem(svg), "");
  EXPECT_EQ(occurrences(svg, "<polyline"), 1u) << "the front is joined, the dominated points are not";
  for (const char* variant : {">dense<", ">int8<", ">sparse-2:4<", ">int4<", ">pruned-50<"}) EXPECT_TRUE(contains(svg, variant));
  EXPECT_TRUE(contains(svg, "<title>compression/model:mlp/variant:int4: speedup 3.8 x, accuracy_delta -2.1 points</title>"));
  EXPECT_EQ(legend_labels(svg), (std::vector<std::string>{"Pareto front", "dominated"}));
}

CaseResult kernel_case(const std::string& kernel, std::optional<RooflineCeiling> ceiling) {
  CaseResult record = ok_case("kernels", "kernel:" + kernel, {{"kernel", kernel}});
  record.roofline_ceiling = std::move(ceiling);
  return record;
}

CaseResult measured_kernel(const std::string& kernel, double intensity, double gflops) {
  CaseResult record = kernel_case(kernel, std::nullopt);
  record.metrics["arithmetic_intensity"] = {intensity, "FLOP/B", Direction::higher_is_better};
  record.metrics["gflops"] = {gflops, "GFLOP/s", Direction::higher_is_better};
  return record;
}

TEST(ContractCharts, TheRooflineBendsAtTheRidge) {
  using Kind = RooflineCeiling::Kind;
  EXPECT_DOUBLE_EQ(ridge_intensity(268, 38), 268.0 / 38);
  Bundle bundle;
  bundle.cases = {kernel_case("peak_fp32_avx2", RooflineCeiling{Kind::compute, "fp32", 134}),
                  kernel_case("peak_fp32", RooflineCeiling{Kind::compute, "fp32", 268}),
                  kernel_case("peak_bf16", RooflineCeiling{Kind::compute, "bf16", 536}),
                  kernel_case("stream_triad", RooflineCeiling{Kind::memory, "", 38}),
                  measured_kernel("triad", 1.0 / 12, 3.1),
                  measured_kernel("sgemm", 170, 240),
                  kernel_case("peak_int8", RooflineCeiling{Kind::compute, "int8", 1072})};
  bundle.cases[3].metrics = bundle.cases[4].metrics;  // a ceiling and a point in one case
  const auto chart = roofline_chart({bundle}, suite_of(bundle));
  ASSERT_TRUE(chart.has_value());
  EXPECT_EQ(chart->x.scale, Scale::log10);
  EXPECT_EQ(chart->y.scale, Scale::log10);
  ASSERT_EQ(chart->series.size(), 4u);
  // The highest ceiling of each kind: bf16 536 and fp32 268 (not 134) under 38 GB/s.
  EXPECT_EQ(chart->series[0].label, "bf16 roof: 536 GFLOP/s and 38 GB/s, ridge at 14.11 FLOP/B");
  const Series& fp32 = chart->series[1];
  EXPECT_EQ(fp32.label, "fp32 roof: 268 GFLOP/s and 38 GB/s, ridge at 7.053 FLOP/B");
  EXPECT_EQ(fp32.draw, Draw::line);
  ASSERT_EQ(fp32.points.size(), 3u);
  const double low = 1.0 / 12 / 2, high = 170.0 * 2;  // the intensities shown: the points', with room
  EXPECT_DOUBLE_EQ(fp32.points[0].x, low);
  EXPECT_DOUBLE_EQ(fp32.points[0].y, 38 * low) << "memory bound left of the ridge";
  EXPECT_DOUBLE_EQ(fp32.points[1].x, 268.0 / 38);
  EXPECT_DOUBLE_EQ(fp32.points[1].y, 268);
  EXPECT_DOUBLE_EQ(fp32.points[2].x, high);
  EXPECT_DOUBLE_EQ(fp32.points[2].y, 268) << "compute bound right of it";
  EXPECT_EQ(chart->series[2].label, "int8 roof: 1072 GOP/s and 38 GB/s, ridge at 28.21 OP/B");
  EXPECT_EQ(chart->series[3].label, "kernels");
  EXPECT_EQ(chart->series[3].draw, Draw::markers);
  EXPECT_EQ(chart->series[3].points.size(), 3u);

  const std::string svg = svg_elements(render_html({bundle})).at(0);
  EXPECT_EQ(xml_problem(svg), "");
  EXPECT_TRUE(contains(svg, ">kernels: roofline, gflops vs arithmetic_intensity<"));
  EXPECT_TRUE(contains(svg, "<title>kernels/kernel:sgemm: 170 FLOP/B, 240 GFLOP/s</title>"));
  EXPECT_EQ(occurrences(svg, "<polyline"), 3u) << "three roofs; the points are not joined";
  EXPECT_TRUE(contains(svg, ">arithmetic_intensity (FLOP/B), log scale<"));
  EXPECT_TRUE(contains(svg, ">gflops (GFLOP/s), log scale<"));

  bundle.cases[5].metrics["gflops"].unit = "TFLOP/s";  // GOP/s would do: an integer kernel's
  EXPECT_TRUE(contains(roofline_chart({bundle}, suite_of(bundle))->description,
                       "Not drawn: 1 case not in (FL)OP/B and G(FL)OP/s."));
  for (CaseResult& record : bundle.cases) record.roofline_ceiling.reset();
  const auto bare = roofline_chart({bundle}, suite_of(bundle));
  ASSERT_TRUE(bare.has_value()) << "points without roofs are still placed";
  EXPECT_EQ(bare->series.size(), 1u);
  EXPECT_TRUE(contains(bare->description, "No case measured a ceiling, so no roof is drawn."));
}

TEST(ContractCharts, EachRunHasItsOwnRoofsAndFront) {
  using Kind = RooflineCeiling::Kind;
  Bundle a, b;
  a.system = "lab-a";
  b.system = "lab-b";
  a.cases = {kernel_case("stream_triad", RooflineCeiling{Kind::memory, "", 38}), measured_kernel("sgemm", 170, 240),
             compressed("dense", 1.0, 0.0), compressed("int8", 2.5, -0.3)};
  b.cases = {kernel_case("stream_triad", RooflineCeiling{Kind::memory, "", 76}), measured_kernel("sgemm", 170, 400),
             compressed("dense", 1.0, 0.0), compressed("int8", 0.9, -0.5)};
  const std::vector<Bundle> bundles{a, b};
  const std::vector<SuiteRows> suites = rows_by_suite(bundles);
  ASSERT_EQ(suites.size(), 2u);
  const auto roofline = roofline_chart(bundles, suites[0]);
  ASSERT_TRUE(roofline.has_value());
  std::vector<std::string> labels;
  for (const Series& series : roofline->series) labels.push_back(series.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"[1] lab-a · memory roof: 38 GB/s", "[2] lab-b · memory roof: 76 GB/s",
                                              "[1] lab-a · kernels", "[2] lab-b · kernels"}));
  const auto pareto = pareto_chart(bundles, suites[1]);
  ASSERT_TRUE(pareto.has_value());
  labels.clear();
  for (const Series& series : pareto->series) labels.push_back(series.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"[1] lab-a · Pareto front", "[2] lab-b · Pareto front", "[2] lab-b · dominated"}));
}

}  // namespace
}  // namespace sciperf::reports
