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

// Written cell by cell into one string, without copying the table: a comparison of
// 100,000 cases is a table of 200,000 rows. Escaping keeps lengths, so the widths are
// those of the cells as given.
std::string render_text(const Table& table) {
  std::vector<std::size_t> widths(table.header.size());
  const auto measure = [&](const std::vector<std::string>& row) {
    if (widths.size() < row.size()) widths.resize(row.size());
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  };
  measure(table.header);
  for (const auto& row : table.rows) measure(row);

  std::size_t line_width = 0;
  for (std::size_t width : widths) line_width += width + 2;
  std::string out;
  out.reserve((table.rows.size() + 2) * line_width);
  const auto write = [&](const std::vector<std::string>& row) {
    const std::size_t start = out.size();
    for (std::size_t c = 0; c < widths.size(); ++c) {
      if (c) out += "  ";
      const std::string_view cell = c < row.size() ? std::string_view(row[c]) : std::string_view();
      append_terminal(out, cell);
      out.append(widths[c] - cell.size(), ' ');
    }
    while (out.size() > start && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  write(table.header);
  out += std::string(line_width > 2 ? line_width - 2 : 0, '-') + "\n";
  for (const auto& row : table.rows) write(row);
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
