#include "reports/table.h"

#include "reports/escape.h"

#include <fmt/format.h>

#include <algorithm>

namespace sciperf::reports {
namespace {

// Every row as long as the header, so that each layout has the same number of cells a line.
std::vector<std::vector<std::string>> padded_rows(const Table& table) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(table.rows.size() + 1);
  rows.push_back(table.header);
  for (const auto& row : table.rows) {
    rows.push_back(row);
    rows.back().resize(std::max(row.size(), table.header.size()));
  }
  return rows;
}

std::string joined(const std::vector<std::string>& cells, std::string_view separator, std::string (*escape)(std::string_view)) {
  std::string line;
  for (std::size_t c = 0; c < cells.size(); ++c) line += fmt::format("{}{}", c ? separator : "", escape(cells[c]));
  return line;
}

}  // namespace

std::string render_text(const Table& table) {
  auto rows = padded_rows(table);
  std::vector<std::size_t> widths;
  for (auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      row[c] = escape_terminal(row[c]);
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], row[c].size());
    }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (std::size_t c = 0; c < rows[r].size(); ++c) line += fmt::format("{}{:<{}}", c ? "  " : "", rows[r][c], widths[c]);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
    if (r == 0) {
      std::size_t total = 0;
      for (std::size_t width : widths) total += width + 2;
      out += std::string(total - 2, '-') + "\n";
    }
  }
  return out;
}

std::string render_markdown(const Table& table) {
  const auto rows = padded_rows(table);
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out += "| " + joined(rows[r], " | ", escape_markdown) + " |\n";
    if (r == 0) {
      for (std::size_t c = 0; c < rows[r].size(); ++c) out += "|---";
      out += "|\n";
    }
  }
  return out;
}

std::string render_csv(const Table& table) {
  std::string out;
  for (const auto& row : padded_rows(table)) out += joined(row, ",", escape_csv) + "\r\n";
  return out;
}

}  // namespace sciperf::reports
