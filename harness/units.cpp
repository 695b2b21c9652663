#include "harness/units.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace sciperf {
namespace {

struct Unit {
  std::string_view suffix;
  double scale;
};

constexpr std::array<Unit, 9> kSizeUnits{{{"B", 1.0},
                                           {"KB", 1e3},
                                           {"MB", 1e6},
                                           {"GB", 1e9},
                                           {"TB", 1e12},
                                           {"KiB", 1024.0},
                                           {"MiB", 1048576.0},
                                           {"GiB", 1073741824.0},
                                           {"TiB", 1099511627776.0}}};

constexpr std::array<Unit, 6> kTimeUnits{
    {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}, {"min", 60.0}, {"h", 3600.0}}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits "1.5 GiB" into 1.5 and "GiB"; nullopt when the number part is malformed.
std::optional<std::pair<double, std::string_view>> split_quantity(std::string_view text) {
  text = trim(text);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data() || !std::isfinite(value)) return std::nullopt;
  return std::pair{value, trim(std::string_view(end, text.data() + text.size() - end))};
}

template <std::size_t N>
std::optional<double> scaled(std::string_view text, const std::array<Unit, N>& units, double bare_scale) {
  auto quantity = split_quantity(text);
  if (!quantity) return std::nullopt;
  auto [value, suffix] = *quantity;
  if (suffix.empty()) return value * bare_scale;
  for (const Unit& unit : units)
    if (unit.suffix == suffix) return value * unit.scale;
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  auto bytes = scaled(text, kSizeUnits, 1.0);
  if (!bytes || *bytes < 0 || *bytes > 1.8e19) return std::nullopt;
  // "4.1MB" is 4099999.9999999995 in doubles: whole bytes up to rounding error count as whole.
  const double whole = std::round(*bytes);
  if (std::fabs(*bytes - whole) > 4 * std::numeric_limits<double>::epsilon() * whole) return std::nullopt;
  return static_cast<std::uint64_t>(whole);
}

std::optional<double> parse_duration(std::string_view text) {
  auto seconds = scaled(text, kTimeUnits, 1.0);
  if (!seconds || *seconds < 0) return std::nullopt;
  return seconds;
}

std::string format_size(std::uint64_t bytes) {
  static constexpr std::array<std::string_view, 5> kNames{"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t unit = 0;
  double value = static_cast<double>(bytes);
  while (unit + 1 < kNames.size() && value >= 1024.0) {
    value /= 1024.0;
    ++unit;
  }
  if (value == std::floor(value)) return fmt::format("{:.0f} {}", value, kNames[unit]);
  return fmt::format("{:.1f} {}", value, kNames[unit]);
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return "-";
  const double magnitude = std::fabs(seconds);
  if (magnitude < 1e-6) return fmt::format("{:.1f} ns", seconds * 1e9);
  if (magnitude < 1e-3) return fmt::format("{:.2f} us", seconds * 1e6);
  if (magnitude < 1.0) return fmt::format("{:.2f} ms", seconds * 1e3);
  return fmt::format("{:.2f} s", seconds);
}

}  // namespace sciperf
