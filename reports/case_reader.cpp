#include "reports/case_reader.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <optional>

namespace sciperf::reports {
namespace {

using nlohmann::json;

// The reader and the file, and how to complain about a place in the case.
class CaseReading {
 public:
  CaseReading(JsonReader& json, const std::string& file) : json_(json), file_(file) {}

  [[noreturn]] void fail(const Place& at, std::string_view what) const { fail_at(file_, at, what); }

  JsonReader& reader() { return json_; }

  // The next value must be a `kind` (`what` says it: "a string").
  void expect(const Place& at, JsonKind kind, std::string_view what) {
    const JsonKind found = json_.peek();
    if (found != kind) fail(at, fmt::format("expected {}, got {}", what, to_string(found)));
  }

  std::string string(const Place& at) {
    expect(at, JsonKind::string, "a string");
    return json_.read_string();
  }

  std::optional<double> nullable_number(const Place& at) {
    const JsonKind kind = json_.peek();
    if (kind == JsonKind::null) {
      json_.read_null();
      return std::nullopt;
    }
    if (kind != JsonKind::number) fail(at, fmt::format("expected a number or null, got {}", to_string(kind)));
    // + 0.0 makes -0 a plain 0: nlohmann reads "-0" as the integer 0 but "-0.0" as -0.0, and a
    // report should show neither as "-0".
    return json_.read_number() + 0.0;
  }

  // Tolerant of absence (the caller decides), not of anything but a non-negative integer.
  std::int64_t count(const Place& at) {
    const json value = json_.read_value();
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0)
      fail(at, fmt::format("expected a count, got {}", value.dump()));
    return value.get<std::int64_t>();
  }

  // `on_member(key, place)` reads or skips each member's value.
  template <typename OnMember>
  void object(const Place& at, OnMember&& on_member) {
    expect(at, JsonKind::object, "an object");
    json_.read_object([&](std::string_view key) { on_member(key, at.member(key)); });
  }

  // `on_element(place)` reads each element.
  template <typename OnElement>
  void array(const Place& at, OnElement&& on_element) {
    expect(at, JsonKind::array, "an array");
    json_.read_array([&](std::size_t index) { on_element(at.element(index)); });
  }

 private:
  JsonReader& json_;
  const std::string& file_;
};

Direction read_direction(CaseReading& in, const Place& at) {
  const std::string text = in.string(at);
  if (text == "higher_is_better") return Direction::higher_is_better;
  if (text == "lower_is_better") return Direction::lower_is_better;
  in.fail(at, fmt::format("\"{}\": expected higher_is_better or lower_is_better", text));
}

Metric read_metric(CaseReading& in, const Place& at) {
  std::optional<std::optional<double>> value;
  std::optional<std::string> unit;
  std::optional<Direction> direction;
  in.object(at, [&](std::string_view key, const Place& place) {
    if (key == "value") value = in.nullable_number(place);
    else if (key == "unit") unit = in.string(place);
    else if (key == "direction") direction = read_direction(in, place);
    else in.reader().skip();
  });
  if (!value) in.fail(at.member("value"), "missing");
  if (!unit) in.fail(at.member("unit"), "missing");
  if (!direction) in.fail(at.member("direction"), "missing");
  return {*value, std::move(*unit), *direction};
}

// Null samples (no finite value) are left out, since a rank test cannot order them. Read
// into `scratch` first, so that the samples take one allocation of the right size.
std::vector<double> read_samples(CaseReading& in, const Place& at, std::vector<double>& scratch) {
  scratch.clear();
  in.array(at, [&](const Place& place) {
    if (auto value = in.nullable_number(place)) scratch.push_back(*value);
  });
  return scratch;
}

json read_param(CaseReading& in, const Place& at) {
  const JsonKind kind = in.reader().peek();
  if (kind == JsonKind::object || kind == JsonKind::array || kind == JsonKind::null)
    in.fail(at, fmt::format("expected a string, number or boolean, got {}", to_string(kind)));
  return in.reader().read_value();
}

// The counters in joules, each summed over ranks; the others are only checked as JSON.
void read_energy(CaseReading& in, const Place& at, StringMap<double>& energy) {
  energy.clear();
  in.object(at, [&](std::string_view name, const Place& counter) {
    energy.erase(name);  // a counter given twice: the last one counts, as nlohmann reads it
    std::string unit;
    std::optional<json> sum;
    in.object(counter, [&](std::string_view key, const Place& place) {
      if (key == "unit" && in.reader().peek() == JsonKind::string) unit = in.string(place);
      else if (key == "sum") sum = in.reader().read_value();
      else in.reader().skip();
    });
    if (unit != "J") return;
    if (!sum) in.fail(counter.member("sum"), "missing");
    if (!sum->is_null() && !sum->is_number())
      in.fail(counter.member("sum"), fmt::format("expected a number or null, got {}", sum->type_name()));
    if (sum->is_number()) energy[name] = sum->get<double>();
  });
}

void read_timing(CaseReading& in, const Place& at, CaseResult& record) {
  record.iterations = record.repetitions = 0;  // a timing given twice: the last one, as nlohmann reads it
  in.object(at, [&](std::string_view key, const Place& place) {
    if (key == "iterations") record.iterations = in.count(place);
    else if (key == "repetitions") record.repetitions = in.count(place);
    else in.reader().skip();
  });
}

// Rows of [step, training loss, held-out loss, quality]; columns after these are a newer
// sciperf's and left out.
std::vector<LossPoint> read_loss_curve(CaseReading& in, const Place& at) {
  std::vector<LossPoint> curve;
  in.array(at, [&](const Place& row) {
    std::array<double, 4> values{};
    std::size_t count = 0;
    in.array(row, [&](const Place& place) {
      if (count < values.size()) values[count] = in.nullable_number(place).value_or(std::nan(""));
      else in.reader().skip();
      ++count;
    });
    if (count < values.size())
      in.fail(row, fmt::format("expected [step, training loss, held-out loss, quality], got {} values", count));
    curve.push_back({values[0], values[1], values[2], values[3]});
  });
  return curve;
}

RooflineCeiling read_ceiling(CaseReading& in, const Place& at) {
  std::optional<std::string> kind;
  std::string precision;
  std::optional<double> value;
  in.object(at, [&](std::string_view key, const Place& place) {
    if (key == "kind") kind = in.string(place);
    else if (key == "precision") precision = in.string(place);
    else if (key == "value") value = in.nullable_number(place).value_or(0);
    else in.reader().skip();
  });
  if (!kind) in.fail(at.member("kind"), "missing");
  if (*kind != "compute" && *kind != "memory") in.fail(at.member("kind"), fmt::format("\"{}\": expected compute or memory", *kind));
  if (!value) in.fail(at.member("value"), "missing");
  if (!(*value > 0)) in.fail(at.member("value"), "expected a positive number");
  return {*kind == "compute" ? RooflineCeiling::Kind::compute : RooflineCeiling::Kind::memory, std::move(precision), *value};
}

// What the charts read; the rest of a case's details is its suite's own, only checked as JSON.
void read_details(CaseReading& in, const Place& at, CaseResult& record) {
  record.loss_curve.clear();
  record.roofline_ceiling.reset();
  in.object(at, [&](std::string_view key, const Place& place) {
    if (key == "loss_curve") record.loss_curve = read_loss_curve(in, place);
    else if (key == "roofline_ceiling") record.roofline_ceiling = read_ceiling(in, place);
    else in.reader().skip();
  });
}

void read_status(CaseReading& in, const Place& at, CaseResult& record) {
  record.status = in.string(at);
  if (record.status != "ok" && record.status != "failed" && record.status != "skipped" && record.status != "timeout")
    in.fail(at, fmt::format("\"{}\": expected ok, failed, skipped or timeout", record.status));
}

// An object's members, each value as `read` reads it, in one allocation of the right size.
template <typename Value, typename Read>
StringMap<Value> read_map(CaseReading& in, const Place& place, Read read) {
  using Entry = typename StringMap<Value>::value_type;
  thread_local std::vector<Entry> scratch;
  scratch.clear();
  in.object(place, [&](std::string_view name, const Place& at) { scratch.emplace_back(std::string(name), read(at)); });
  return StringMap<Value>(std::vector<Entry>(std::make_move_iterator(scratch.begin()), std::make_move_iterator(scratch.end())));
}

// The members of a case record that reports read; the first ones are required.
enum class Member { name, suite, params, status, headline, metrics, param_kinds, reason, samples, timing, counters, details, unread };
constexpr std::size_t kRequiredMembers = 6;  // name to metrics (metrics: for ok cases)
constexpr std::array<std::string_view, 12> kMemberNames{"name",        "suite",  "params",  "status", "headline", "metrics",
                                                        "param_kinds", "reason", "samples", "timing", "counters", "details"};

Member member_of(std::string_view key) {
  for (std::size_t i = 0; i < kMemberNames.size(); ++i)
    if (kMemberNames[i] == key) return static_cast<Member>(i);
  return Member::unread;
}

void read_member(CaseReading& in, Member member, const Place& place, CaseResult& record) {
  switch (member) {
    case Member::name: record.name = in.string(place); break;
    case Member::suite: record.suite = in.string(place); break;
    case Member::status: read_status(in, place, record); break;
    case Member::reason: record.reason = in.string(place); break;
    case Member::params:
      record.params = json::object();
      in.object(place, [&](std::string_view name, const Place& at) { record.params[std::string(name)] = read_param(in, at); });
      break;
    case Member::param_kinds:
      record.param_kinds = read_map<std::string>(in, place, [&](const Place& at) { return in.string(at); });
      break;
    case Member::headline:
      record.headline.clear();
      in.array(place, [&](const Place& at) { record.headline.push_back(in.string(at)); });
      break;
    case Member::metrics:
      record.metrics = read_map<Metric>(in, place, [&](const Place& at) { return read_metric(in, at); });
      break;
    case Member::samples: {
      thread_local std::vector<double> scratch;
      record.samples = read_map<std::vector<double>>(in, place, [&](const Place& at) { return read_samples(in, at, scratch); });
      break;
    }
    case Member::timing: read_timing(in, place, record); break;
    case Member::counters: read_energy(in, place, record.energy); break;
    case Member::details: read_details(in, place, record); break;
    case Member::unread: in.reader().skip(); break;
  }
}

}  // namespace

CaseResult read_case(JsonReader& json, const Place& place, const std::string& file, std::size_t index) {
  CaseReading in(json, file);
  CaseResult record;
  record.index = index;
  unsigned present = 0;  // bit i: member i was there
  in.object(place, [&](std::string_view key, const Place& at) {
    const Member member = member_of(key);
    read_member(in, member, at, record);
    present |= 1u << static_cast<unsigned>(member);
  });
  const auto missing = [&](Member member) { return (present & (1u << static_cast<unsigned>(member))) == 0; };
  for (std::size_t i = 0; i + 1 < kRequiredMembers; ++i)
    if (missing(static_cast<Member>(i))) in.fail(place.member(kMemberNames[i]), "missing");
  // An ok case must carry its numbers: a report without them would look like a bug of ours.
  if (record.status == "ok" && missing(Member::metrics)) in.fail(place.member("metrics"), "missing");
  return record;
}

}  // namespace sciperf::reports
