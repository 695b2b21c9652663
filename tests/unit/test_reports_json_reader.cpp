#include "reports/json_reader.h"

#include "reports_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sciperf::reports {
namespace {

using nlohmann::json;
using testing::contains;

json read(const std::string& text) {
  JsonReader reader(text);
  json value = reader.read_value();
  reader.expect_end();
  return value;
}

std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const JsonSyntaxError& error) {
    return error.what();
  }
  return "";
}

// Skipping must accept and refuse what reading does.
std::string skip_error_of(const std::string& text) {
  try {
    JsonReader reader(text);
    reader.skip();
    reader.expect_end();
  } catch (const JsonSyntaxError& error) {
    return error.what();
  }
  return "";
}

TEST(JsonReader, ReadsWhatNlohmannReadsTheSameWay) {
  for (const std::string text : {
           R"({"a": [1, -2, 3.5, 1e3, -0, 0.25e-2, 18446744073709551615, 18446744073709551616, -9223372036854775808]})",
           R"([true, false, null, "", {}, [], [[]], {"": {"x": []}}])",
           R"("tab\tquote\"slash\/back\\ unicode \u00e9 \u20AC \ud83d\ude00 raw é €")",
           " \n\t {\"k\" : \"v\" , \"n\" :1}\r\n ",
           R"({"dup": 1, "dup": 2})",
           "[1e-400, -1e-400, 0.001e-322, 1000e-327]",  // below the smallest double: zero of its sign, as strtod reads it
       }) {
    const json ours = read(text);
    const json theirs = json::parse(text);
    EXPECT_EQ(ours, theirs) << text;
    EXPECT_EQ(ours.dump(), theirs.dump()) << text;  // the same types: unsigned, signed, float
    EXPECT_EQ(skip_error_of(text), "") << text;
  }
}

TEST(JsonReader, RefusesWhatIsNotJsonSayingWhere) {
  EXPECT_EQ(error_of("[1, 2,]"), "parse error at line 1, column 7: unexpected ']'; expected a value");
  EXPECT_EQ(error_of("{\"a\": 1,\n \"b\" 2}"), "parse error at line 2, column 6: unexpected character; expected ':'");
  EXPECT_EQ(error_of("[1, 2"), "parse error at line 1, column 6: unexpected end of input");
  const std::vector<std::string> not_json{"01", "1.", ".5", "+1", "1e", "-", "NaN", "Infinity", "tru", "nul", "[1 2]", "{1: 2}",
                                          "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\nb\"", "\"\xff\"",
                                          "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "[] []", "", "1e999",
                                          "[0.5e+0400]", "{\"a\": " + std::string(310, '9') + "}"};  // the last three: beyond a double
  for (const std::string& text : not_json) {
    EXPECT_NE(error_of(text), "") << text;
    EXPECT_THROW(json::parse(text), json::exception) << text;  // nlohmann refuses them too
    EXPECT_NE(skip_error_of(text), "") << text;
  }
}

TEST(JsonReader, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_TRUE(contains(error_of(deep), "nested deeper than 1000 levels"));
  EXPECT_TRUE(contains(skip_error_of(deep), "nested deeper than 1000 levels"));
  EXPECT_EQ(error_of(std::string(1000, '[') + std::string(1000, ']')), "");
}

TEST(JsonReader, ObjectsAndArraysMemberByMember) {
  const std::string text = R"({"name": "x", "values": [1, null, 2.5], "ignored": {"deep": [1, {"a": "}"}]}, "n": 7})";
  JsonReader reader(text);
  std::vector<std::string> keys;
  std::vector<double> values;
  reader.read_object([&](std::string_view key) {
    keys.emplace_back(key);
    if (key == "values") {
      reader.read_array([&](std::size_t) {
        if (reader.peek() == JsonKind::null) reader.read_null();
        else values.push_back(reader.read_number());
      });
    } else if (key == "name") {
      EXPECT_EQ(reader.read_string(), "x");
    } else {
      reader.skip();
    }
  });
  reader.expect_end();
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "values", "ignored", "n"}));
  EXPECT_EQ(values, (std::vector<double>{1, 2.5}));
}

// A caller that gives up inside a value (its reading threw) goes on after it.
TEST(JsonReader, SkipsTheRestOfAValueGivenUpOn) {
  const std::string text = R"([{"a": {"b": [1, "]}"]}, "c": 2}, 5, {"x": 1}, 6])";
  for (int give_up_after : {0, 1, 2}) {
    JsonReader reader(text);
    std::vector<double> numbers;
    reader.read_array([&](std::size_t index) {
      const int depth = reader.depth();
      const std::size_t start = reader.offset();
      try {
        if (index != 0 && index != 2) {
          numbers.push_back(reader.read_number());
          return;
        }
        int seen = 0;
        reader.read_object([&](std::string_view) {
          if (seen++ == give_up_after) throw std::runtime_error("not this");
          reader.skip();
        });
      } catch (const std::runtime_error&) {
        reader.skip_rest(depth, start);
      }
    });
    reader.expect_end();
    EXPECT_EQ(numbers, (std::vector<double>{5, 6})) << give_up_after;
  }
}

}  // namespace
}  // namespace sciperf::reports
