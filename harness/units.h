// Readable quantities in configs: sizes ("64MiB", "1.5GB", "8"), durations ("10s", "250ms").
// Decimal prefixes are powers of 1000, binary ones (KiB, MiB, ...) powers of 1024.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sciperf {

// Bytes; a bare number is bytes. Fractions are allowed where they resolve to whole bytes.
std::optional<std::uint64_t> parse_size(std::string_view text);
// Seconds; a bare number is seconds. Units: ns, us, ms, s, min, h.
std::optional<double> parse_duration(std::string_view text);

// "64 MiB", "1.5 KiB", "8 B": the shortest exact binary form, else one decimal.
std::string format_size(std::uint64_t bytes);
// "1.23 us", "4.5 ms", "2.00 s".
std::string format_duration(double seconds);

}  // namespace sciperf
