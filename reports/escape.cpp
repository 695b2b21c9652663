#include "reports/escape.h"

namespace sciperf::reports {
namespace {

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

}  // namespace

std::string escape_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      // Emphasis, code, links, tables, strikethrough and (on GitHub) math.
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~': case '$':
        out += '\\';
        out += c;
        break;
      default: out += is_control(c) ? ' ' : c;
    }
  }
  return out;
}

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': case '\n': case '\r': out += c; break;
      default:
        if (is_control(c)) out += "\xEF\xBF\xBD";  // U+FFFD, the replacement character, in UTF-8
        else out += c;
    }
  }
  return out;
}

std::string escape_csv(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

void append_terminal(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out += text;
  for (std::size_t i = start; i < out.size(); ++i)
    if (is_control(out[i])) out[i] = '?';
}

std::string escape_terminal(std::string_view text) {
  std::string out;
  append_terminal(out, text);
  return out;
}

}  // namespace sciperf::reports
