// A strict JSON reader that walks the text in order ("pull" parsing, as simdjson's On
// Demand API does): the caller asks for what it expects next and reads it straight into its
// own structures, so a 100,000-case bundle becomes report structures without a document of
// it in between (nlohmann::json's would take ten times the file's size). Values the caller
// does not want are skipped, still checked. Anything that is not JSON (RFC 8259: strict
// numbers, escapes and UTF-8, no trailing commas) is a JsonSyntaxError naming the line and
// column, as nlohmann's parser would.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sciperf::reports {

class JsonSyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;  // "parse error at line 3, column 7: what"
};

enum class JsonKind { null, boolean, number, string, array, object };
// As nlohmann::json::type_name() says it: "null", "boolean", "number", "string", "array", "object".
std::string_view to_string(JsonKind kind);

class JsonReader {
 public:
  // Reads `text` from `offset`, which must be where a value starts (or whitespace before it).
  explicit JsonReader(std::string_view text, std::size_t offset = 0) : text_(text), at_(offset) {}

  // The kind of the next value; a syntax error when no value can start here.
  JsonKind peek();
  // Where the next value starts (after whitespace), to come back to it with another reader.
  std::size_t offset();

  // Each member in turn: `on_member(key)` must read or skip the member's value.
  template <typename OnMember>
  void read_object(OnMember&& on_member) {
    open('{', '}');
    if (close_if('}')) return;
    std::string scratch;
    do {
      const std::string_view key = read_key(scratch);
      on_member(key);
    } while (next_or_close('}'));
  }
  // Each element in turn: `on_element(index)` must read or skip it.
  template <typename OnElement>
  void read_array(OnElement&& on_element) {
    open('[', ']');
    if (close_if(']')) return;
    std::size_t index = 0;
    do on_element(index++);
    while (next_or_close(']'));
  }

  // The string, unescaped: a view into the text when it has no escapes, else into `scratch`.
  std::string_view read_string(std::string& scratch);
  std::string read_string();
  double read_number();
  bool read_boolean();
  void read_null();
  // Any value, checked and thrown away.
  void skip();
  // After a caller gave up reading the value that started at `start` when depth() was
  // `depth` (it threw): moves past the rest of that value, not checking it.
  void skip_rest(int depth, std::size_t start);
  // How many arrays and objects are open.
  int depth() const { return depth_; }
  // Any value as a document: integers stay integers (unsigned when not negative), as
  // nlohmann::json::parse reads them.
  nlohmann::json read_value();
  // Only whitespace may follow.
  void expect_end();

  [[noreturn]] void fail(std::string_view what) const;

 private:
  static constexpr int kMaxDepth = 1000;

  void skip_whitespace();
  char next_char();  // after whitespace; a syntax error at the end of the input
  void open(char bracket, char close);
  bool close_if(char bracket);
  bool next_or_close(char close);
  std::string_view read_key(std::string& scratch);
  std::string_view number_text();
  double number_value(std::size_t start, std::string_view text);
  void expect_word(std::string_view word);
  void append_escape(std::string& out);
  void check_utf8(std::size_t& i) const;

  std::string_view text_;
  std::size_t at_ = 0;
  int depth_ = 0;
};

}  // namespace sciperf::reports
