// libFuzzer target: the reports' own JSON reader (reports/json_reader.h) and the bundle reader
// built on it (reports/bundle_reader.h, reports/case_reader.h), then what `sciperf report` and
// `sciperf compare` do with a bundle they read.
//
// nlohmann::json::parse is the oracle, since the streaming reader replaced it for bundles and
// must not change what a bundle says:
// - JsonReader::read_value accepts what nlohmann accepts, as the same document, and refuses
//   the rest with a JsonSyntaxError; the one difference allowed is nesting deeper than its
//   1000 levels, which it refuses on purpose. skip() accepts whatever read_value accepts.
// - parse_bundle returns a Bundle or throws a BundleError starting with the file's name. It
//   refuses what nlohmann refuses, and otherwise reads the text as it reads nlohmann's document
//   of it reprinted (keys sorted, each once: the last of equal keys; numbers in nlohmann's
//   format): both refused, or both read the same, as every report format and the bundle's
//   scorecard against itself show. One difference is allowed: where an object gives a key
//   twice, the text may be refused for the first value, which the document does not keep.
//   Compared with itself under its own compare: section (which may only be refused with a
//   CompareConfigError) a bundle has neither a regression nor an improvement.
#include "reports/bundle_reader.h"
#include "reports/compare.h"
#include "reports/compare_config.h"
#include "reports/compare_render.h"
#include "reports/json_reader.h"
#include "reports/render.h"
#include "reports/scorecard.h"
#include "reports/scorecard_render.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace {

using nlohmann::json;
using namespace sciperf::reports;

constexpr const char* kFile = "fuzz/results.json";

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_reports: %s: %s\n", what, detail.c_str());
  std::abort();
}

bool too_deep(const JsonSyntaxError& error) {
  return std::string_view(error.what()).find("nested deeper than") != std::string_view::npos;
}

// The document nlohmann reads, or nullopt where it refuses the text. A NUL byte is never JSON
// (not even in a string, unescaped), but nlohmann's lexer takes one between tokens for the
// end of the input, as in a C string, and reads what came before.
std::optional<json> nlohmann_document(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  try {
    return json::parse(text);
  } catch (const json::exception&) {  // parse_error, or out_of_range for a number beyond a double
    return std::nullopt;
  }
}

// nlohmann's document (nullopt where it refuses the text), with JsonReader checked against it.
std::optional<json> check_json_reader(std::string_view text) {
  const std::optional<json> theirs = nlohmann_document(text);
  try {
    JsonReader reader(text);
    const json ours = reader.read_value();
    reader.expect_end();
    if (!theirs) fail("JsonReader accepts what nlohmann refuses", ours.dump());
    if (ours != *theirs || ours.dump() != theirs->dump()) fail("JsonReader reads another document", ours.dump());
  } catch (const JsonSyntaxError& error) {
    if (theirs && !too_deep(error)) fail("JsonReader refuses what nlohmann accepts", error.what());
    return theirs;
  }
  try {
    JsonReader reader(text);
    reader.skip();
    reader.expect_end();
  } catch (const JsonSyntaxError& error) {
    fail("skip() refuses what read_value() accepts", error.what());
  }
  return theirs;
}

// The members of the objects in the text, and in its document: fewer in the document when an
// object gives a key twice (nlohmann keeps the last).
std::size_t members_in_text(JsonReader& reader) {
  std::size_t count = 0;
  if (reader.peek() == JsonKind::object)
    reader.read_object([&](std::string_view) { count += 1 + members_in_text(reader); });
  else if (reader.peek() == JsonKind::array)
    reader.read_array([&](std::size_t) { count += members_in_text(reader); });
  else
    reader.skip();
  return count;
}

std::size_t members_in(const json& value) {
  std::size_t count = value.is_object() ? value.size() : 0;
  if (value.is_structured())
    for (const json& child : value) count += members_in(child);
  return count;
}

bool repeats_a_key(std::string_view text, const json& document) {
  JsonReader reader(text);
  return members_in_text(reader) != members_in(document);
}

std::optional<Bundle> parse_checked(std::string_view text) {
  try {
    return parse_bundle(text, kFile);
  } catch (const BundleError& error) {
    if (!std::string_view(error.what()).starts_with(std::string(kFile) + ": ")) fail("error without the file", error.what());
    return std::nullopt;
  }
}

// Every report format of the bundle, and its scorecard against itself (energy counters and
// timings show in its per-watt scores), in one string: what the bundle says, as users see it.
std::string all_reports(const Bundle& bundle) {
  std::string out;
  for (const ReportFormat format :
       {ReportFormat::table, ReportFormat::markdown, ReportFormat::csv, ReportFormat::json, ReportFormat::html})
    out += render_report({bundle}, format);
  ScorecardSettings settings;
  settings.resamples = 20;  // the intervals' arithmetic is the same with fewer; the fuzzer wants speed
  return out + render_scorecard(build_scorecard(bundle, std::span(&bundle, 1), settings), ScorecardFormat::json);
}

// `sciperf compare B B`: nothing can have changed. A compare: section it refuses ends the
// command there (could not compare).
void compare_with_itself(const Bundle& bundle) {
  CompareSettings settings;
  try {
    if (const auto config = bundle_compare_config(bundle)) apply_compare_config(*config, settings);
  } catch (const CompareConfigError&) {
    return;
  }
  const Comparison comparison = compare_bundles(bundle, bundle, settings);
  if (comparison.count(Verdict::regression) != 0 || comparison.count(Verdict::improvement) != 0)
    fail("a bundle differs from itself", comparison.tally());
  for (const CompareFormat format : {CompareFormat::table, CompareFormat::markdown, CompareFormat::json})
    (void)render_comparison(comparison, format);
  (void)render_junit(comparison);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<json> document = check_json_reader(text);
  const std::optional<Bundle> bundle = parse_checked(text);
  if (!document) {
    if (bundle) fail("parse_bundle accepts what nlohmann refuses", std::string(text.substr(0, 200)));
    return 0;
  }
  // The same document reprinted by nlohmann: keys sorted, each once, numbers in its format.
  const std::optional<Bundle> from_document = parse_checked(document->dump());
  if (bundle && !from_document) fail("nlohmann's document of an accepted bundle is refused", std::string(text.substr(0, 200)));
  // A value the case reader checks is checked where it comes, also when the same key comes
  // again later in its object, which nlohmann's document keeps instead.
  if (!bundle && from_document && !repeats_a_key(text, *document))
    fail("a bundle is refused that nlohmann's document is not", std::string(text.substr(0, 200)));
  if (!bundle || !from_document) return 0;
  if (all_reports(*bundle) != all_reports(*from_document))
    fail("nlohmann's document reads as another bundle", std::string(text.substr(0, 200)));
  compare_with_itself(*bundle);
  return 0;
}
