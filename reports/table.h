// A table of plain-text cells and its three layouts. Cells hold text as it should read;
// each layout escapes it for its medium.
#pragma once

#include <string>
#include <vector>

namespace sciperf::reports {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // may be shorter than the header
};

// Aligned columns under a rule of dashes, for a terminal.
std::string render_text(const Table& table);
// A GitHub-flavoured Markdown table.
std::string render_markdown(const Table& table);
// RFC 4180: fields quoted where needed, lines ended by CRLF.
std::string render_csv(const Table& table);

}  // namespace sciperf::reports
