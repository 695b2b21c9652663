#include "reports/json_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

namespace sciperf::reports {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The bytes a string may hold as they are, with nothing to check: printable ASCII but the
// quote and the backslash.
constexpr std::array<bool, 256> kPlainStringBytes = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

std::string_view describe(char c) {
  switch (c) {
    case '{': return "'{'";
    case '}': return "'}'";
    case '[': return "'['";
    case ']': return "']'";
    case ',': return "','";
    case ':': return "':'";
    case '"': return "'\"'";
    default: return "character";
  }
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// Past the bytes from `i` that a string holds as they are: eight at a time while none of
// them is a quote, a backslash, a control character or part of a multi-byte sequence (the
// tests below are exact for "any byte of the eight"), then one at a time.
std::size_t plain_run_end(std::string_view text, std::size_t i) {
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
  const auto has_zero = [](std::uint64_t w) { return (w - kOnes) & ~w & kHighs; };
  while (i + 8 <= text.size()) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    const std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighs;
    if ((word & kHighs) | below_space | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) break;
    i += 8;
  }
  while (i < text.size() && kPlainStringBytes[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

// The value of a number that std::from_chars finds out of a double's range (text as JSON's
// grammar has it): below half the smallest denormal it is zero of its sign, as strtod (and so
// nlohmann's parser) reads it; beyond the largest double it has none. Which of the two is told
// by the power of ten of its leading digit, plus its exponent: far below 0 or far above.
std::optional<double> underflow_value(std::string_view text) {
  const bool negative = text.front() == '-';
  if (negative) text.remove_prefix(1);
  const std::size_t exponent_at = std::min(text.find_first_of("eE"), text.size());
  const std::string_view mantissa = text.substr(0, exponent_at);
  const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
  const std::size_t leading = mantissa.find_first_of("123456789");
  if (leading == std::string_view::npos) return negative ? -0.0 : 0.0;
  // 10^power ≤ |mantissa| < 10^(power + 1)
  std::int64_t power = leading < point ? static_cast<std::int64_t>(point - leading) - 1
                                       : -static_cast<std::int64_t>(leading - point);
  std::int64_t exponent = 0;
  std::string_view digits = text.substr(std::min(exponent_at + 1, text.size()));
  const bool negative_exponent = !digits.empty() && digits.front() == '-';
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
  for (const char c : digits) exponent = std::min<std::int64_t>(exponent * 10 + (c - '0'), 1'000'000'000);  // far past any double
  power += negative_exponent ? -exponent : exponent;
  if (power >= 0) return std::nullopt;
  return negative ? -0.0 : 0.0;
}

// Whether a number (JSON's grammar) may be beyond a double's range, for skip() to check only
// those: under 200 digits with an exponent of at most two digits it stays below 10^298.
bool might_overflow(std::string_view text) {
  if (text.size() >= 200) return true;
  const std::size_t exponent_at = text.find_last_of("eE");
  if (exponent_at == std::string_view::npos) return false;
  const std::string_view exponent = text.substr(exponent_at + 1);
  return exponent.size() - (exponent.front() == '-' || exponent.front() == '+') > 2;
}

}  // namespace

std::string_view to_string(JsonKind kind) {
  switch (kind) {
    case JsonKind::null: return "null";
    case JsonKind::boolean: return "boolean";
    case JsonKind::number: return "number";
    case JsonKind::string: return "string";
    case JsonKind::array: return "array";
    case JsonKind::object: return "object";
  }
  return "?";
}

void JsonReader::fail(std::string_view what) const {
  const std::size_t end = std::min(at_, text_.size());
  const std::size_t line_start = end == 0 ? std::string_view::npos : text_.rfind('\n', end - 1);
  const std::size_t column = line_start == std::string_view::npos ? end + 1 : end - line_start;
  const auto lines = std::count(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(end), '\n');
  throw JsonSyntaxError(fmt::format("parse error at line {}, column {}: {}", lines + 1, column, what));
}

void JsonReader::skip_whitespace() {
  while (at_ < text_.size()) {
    const char c = text_[at_];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
    ++at_;
  }
}

char JsonReader::next_char() {
  skip_whitespace();
  if (at_ >= text_.size()) fail("unexpected end of input");
  return text_[at_];
}

JsonKind JsonReader::peek() {
  const char c = next_char();
  switch (c) {
    case '{': return JsonKind::object;
    case '[': return JsonKind::array;
    case '"': return JsonKind::string;
    case 't':
    case 'f': return JsonKind::boolean;
    case 'n': return JsonKind::null;
    default:
      if (c == '-' || is_digit(c)) return JsonKind::number;
      fail(fmt::format("unexpected {}; expected a value", describe(c)));
  }
}

std::size_t JsonReader::offset() {
  skip_whitespace();
  return at_;
}

void JsonReader::open(char bracket, char close) {
  if (next_char() != bracket) fail(fmt::format("expected {}", describe(bracket)));
  if (++depth_ > kMaxDepth) fail(fmt::format("nested deeper than {} levels", kMaxDepth));
  ++at_;
  (void)close;
}

bool JsonReader::close_if(char bracket) {
  if (next_char() != bracket) return false;
  ++at_;
  --depth_;
  return true;
}

bool JsonReader::next_or_close(char close) {
  const char c = next_char();
  if (c == ',') {
    ++at_;
    return true;
  }
  if (c == close) {
    ++at_;
    --depth_;
    return false;
  }
  fail(fmt::format("unexpected {}; expected ',' or {}", describe(c), describe(close)));
}

std::string_view JsonReader::read_key(std::string& scratch) {
  const std::string_view key = read_string(scratch);
  if (next_char() != ':') fail(fmt::format("unexpected {}; expected ':'", describe(text_[at_])));
  ++at_;
  return key;
}

// One UTF-8 sequence from its lead byte at `i` (not ASCII), checked as RFC 3629 has it: no
// overlong forms, no surrogates, nothing past U+10FFFF. `i` ends past it.
void JsonReader::check_utf8(std::size_t& i) const {
  const auto byte = [&](std::size_t k) { return k < text_.size() ? static_cast<unsigned char>(text_[k]) : 0u; };
  const unsigned lead = byte(i);
  unsigned low = 0x80, high = 0xBF;
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4;
  if (lead == 0xE0) low = 0xA0;
  if (lead == 0xED) high = 0x9F;
  if (lead == 0xF0) low = 0x90;
  if (lead == 0xF4) high = 0x8F;
  bool valid = length != 0 && byte(i + 1) >= low && byte(i + 1) <= high;
  for (std::size_t k = 2; valid && k < length; ++k) valid = byte(i + k) >= 0x80 && byte(i + k) <= 0xBF;
  if (!valid) {
    JsonReader at_error(text_, i);
    at_error.fail("invalid string: ill-formed UTF-8 byte");
  }
  i += length;
}

// The escape at at_ ('\\' and what follows), appended unescaped; at_ ends past it.
void JsonReader::append_escape(std::string& out) {
  const auto hex4 = [&](std::size_t from) {
    std::uint32_t value = 0;
    if (from + 4 > text_.size()) fail("invalid string: '\\u' must be followed by 4 hex digits");
    for (std::size_t k = from; k < from + 4; ++k) {
      const char c = text_[k];
      const int digit = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (digit < 0) fail("invalid string: '\\u' must be followed by 4 hex digits");
      value = value * 16 + static_cast<std::uint32_t>(digit);
    }
    return value;
  };
  const char c = at_ + 1 < text_.size() ? text_[at_ + 1] : '\0';
  static constexpr std::string_view kPlain = "\"\\/bfnrt";
  static constexpr std::string_view kMeaning = "\"\\/\b\f\n\r\t";
  if (const auto plain = kPlain.find(c); c != '\0' && plain != std::string_view::npos) {
    out.push_back(kMeaning[plain]);
    at_ += 2;
    return;
  }
  if (c != 'u') fail("invalid string: forbidden character after backslash");
  std::uint32_t code_point = hex4(at_ + 2);
  at_ += 6;
  if (code_point >= 0xDC00 && code_point <= 0xDFFF) fail("invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF");
  if (code_point >= 0xD800 && code_point <= 0xDBFF) {
    if (text_.substr(at_, 2) != "\\u") fail("invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
    const std::uint32_t low = hex4(at_ + 2);
    if (low < 0xDC00 || low > 0xDFFF) fail("invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
    code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    at_ += 6;
  }
  append_utf8(out, code_point);
}

std::string_view JsonReader::read_string(std::string& scratch) {
  if (next_char() != '"') fail(fmt::format("unexpected {}; expected a string", describe(text_[at_])));
  const std::size_t start = at_ + 1;
  std::size_t i = start;
  bool escaped = false;
  for (;;) {
    if (!escaped) i = plain_run_end(text_, i);
    if (i >= text_.size()) {
      at_ = i;
      fail("unexpected end of input in a string");
    }
    const auto c = static_cast<unsigned char>(text_[i]);
    if (c == '"') break;
    if (c == '\\') {
      if (!escaped) scratch.assign(text_.substr(start, i - start));
      escaped = true;
      at_ = i;
      append_escape(scratch);
      i = at_;
    } else if (c < 0x20) {
      at_ = i;
      fail("invalid string: control character must be escaped");
    } else if (c >= 0x80) {
      const std::size_t from = i;
      check_utf8(i);
      if (escaped) scratch.append(text_.substr(from, i - from));
    } else {
      if (escaped) scratch.push_back(static_cast<char>(c));
      ++i;
    }
  }
  at_ = i + 1;
  return escaped ? std::string_view(scratch) : text_.substr(start, i - start);
}

std::string JsonReader::read_string() {
  std::string scratch;
  return std::string(read_string(scratch));
}

// The number at at_, checked against JSON's grammar; at_ ends past it.
std::string_view JsonReader::number_text() {
  skip_whitespace();
  const char* const begin = text_.data() + at_;
  const char* const end = text_.data() + text_.size();
  const char* p = begin;
  const auto digits = [&] {
    const char* const first = p;
    while (p != end && is_digit(*p)) ++p;
    if (p == first) {
      at_ = static_cast<std::size_t>(p - text_.data());
      fail("invalid number; expected a digit");
    }
  };
  if (p != end && *p == '-') ++p;
  if (p != end && *p == '0') ++p;
  else digits();
  if (p != end && *p == '.') {
    ++p;
    digits();
  }
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p != end && (*p == '+' || *p == '-')) ++p;
    digits();
  }
  at_ += static_cast<std::size_t>(p - begin);
  return {begin, static_cast<std::size_t>(p - begin)};
}

double JsonReader::read_number() {
  if (peek() != JsonKind::number) fail("expected a number");
  const std::size_t start = at_;
  return number_value(start, number_text());
}

// The value of the number `text`, read from `start`; a syntax error when no double holds it.
double JsonReader::number_value(std::size_t start, std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc() && end == text.data() + text.size()) return value;
  if (error == std::errc::result_out_of_range)
    if (const auto zero = underflow_value(text)) return *zero;
  at_ = start;
  fail(fmt::format("number overflow: {}", text));
}

void JsonReader::expect_word(std::string_view word) {
  if (text_.substr(at_, word.size()) != word) fail(fmt::format("invalid literal; expected '{}'", word));
  at_ += word.size();
}

bool JsonReader::read_boolean() {
  if (next_char() == 't') {
    expect_word("true");
    return true;
  }
  expect_word("false");
  return false;
}

void JsonReader::read_null() {
  next_char();
  expect_word("null");
}

void JsonReader::skip() {
  std::string scratch;
  std::vector<char> open_brackets;  // '{' or '[' for each container being skipped
  for (;;) {
    const JsonKind kind = peek();
    if (kind == JsonKind::object || kind == JsonKind::array) {
      const char bracket = kind == JsonKind::object ? '{' : '[';
      const char close = kind == JsonKind::object ? '}' : ']';
      open(bracket, close);
      if (!close_if(close)) {
        open_brackets.push_back(bracket);
        if (bracket == '{') read_key(scratch);
        continue;
      }
    } else if (kind == JsonKind::string) {
      read_string(scratch);
    } else if (kind == JsonKind::number) {
      const std::size_t start = at_;
      if (const std::string_view text = number_text(); might_overflow(text)) number_value(start, text);
    } else if (kind == JsonKind::boolean) {
      read_boolean();
    } else {
      read_null();
    }
    // A value is done: close the containers that end here, or go on to the next value.
    for (;;) {
      if (open_brackets.empty()) return;
      const bool object = open_brackets.back() == '{';
      if (next_or_close(object ? '}' : ']')) {
        if (object) read_key(scratch);
        break;
      }
      open_brackets.pop_back();
    }
  }
}

void JsonReader::skip_rest(int depth, std::size_t start) {
  if (depth_ == depth) {
    if (offset() == start) skip();  // given up before reading any of it
    return;
  }
  for (std::size_t i = at_; i < text_.size(); ++i) {
    const char c = text_[i];
    if (c == '"') {
      for (++i; i < text_.size() && text_[i] != '"'; ++i)
        if (text_[i] == '\\') ++i;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if ((c == '}' || c == ']') && --depth_ == depth) {
      at_ = i + 1;
      return;
    }
  }
  at_ = text_.size();
  fail("unexpected end of input");
}

nlohmann::json JsonReader::read_value() {
  switch (peek()) {
    case JsonKind::null: read_null(); return nullptr;
    case JsonKind::boolean: return read_boolean();
    case JsonKind::string: return read_string();
    case JsonKind::number: {
      const std::size_t start = at_;
      const std::string_view text = number_text();
      if (text.find_first_of(".eE") == std::string_view::npos) {
        const char* end = text.data() + text.size();
        if (text.front() != '-') {
          std::uint64_t value = 0;
          if (const auto r = std::from_chars(text.data(), end, value); r.ec == std::errc() && r.ptr == end) return value;
        } else {
          std::int64_t value = 0;
          if (const auto r = std::from_chars(text.data(), end, value); r.ec == std::errc() && r.ptr == end) return value;
        }
      }
      at_ = start;
      return read_number();  // as nlohmann does, an integer too large for 64 bits becomes a double
    }
    case JsonKind::array: {
      nlohmann::json array = nlohmann::json::array();
      read_array([&](std::size_t) { array.push_back(read_value()); });
      return array;
    }
    case JsonKind::object: {
      nlohmann::json object = nlohmann::json::object();
      read_object([&](std::string_view key) { object[std::string(key)] = read_value(); });
      return object;
    }
  }
  return nullptr;
}

void JsonReader::expect_end() {
  skip_whitespace();
  if (at_ < text_.size()) fail(fmt::format("unexpected {}; expected end of input", describe(text_[at_])));
}

}  // namespace sciperf::reports
