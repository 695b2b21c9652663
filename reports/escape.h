// Names and values from a bundle made safe for each output. A bundle is input: a case may
// be named anything, `<script>`, `a|b` or a line break included, and must read as text.
#pragma once

#include <string>
#include <string_view>

namespace sciperf::reports {

// Inline Markdown (GitHub's, table cells included): HTML-significant characters become
// entities, Markdown-significant ones are backslash-escaped, line breaks become spaces.
std::string escape_markdown(std::string_view text);
// XML (and HTML) text and attribute values; control characters XML 1.0 forbids become U+FFFD.
std::string escape_xml(std::string_view text);
// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break.
std::string escape_csv(std::string_view text);
// For a terminal: control characters (escape sequences included) become '?'.
std::string escape_terminal(std::string_view text);
// The same, appended to `out` (no string of its own: tables of a million cells).
void append_terminal(std::string& out, std::string_view text);

}  // namespace sciperf::reports
