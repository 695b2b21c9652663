#include "harness/units.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

namespace sciperf {
namespace {

TEST(ParseSize, BareNumberIsBytes) {
  EXPECT_EQ(parse_size("8"), std::optional<std::uint64_t>(8));
  EXPECT_EQ(parse_size("0"), std::optional<std::uint64_t>(0));
  EXPECT_EQ(parse_size("8.0"), std::optional<std::uint64_t>(8));
}

TEST(ParseSize, BinaryPrefixesArePowersOf1024) {
  EXPECT_EQ(parse_size("64KiB"), std::optional<std::uint64_t>(64 * 1024));
  EXPECT_EQ(parse_size("1MiB"), std::optional<std::uint64_t>(1024 * 1024));
  EXPECT_EQ(parse_size("2GiB"), std::optional<std::uint64_t>(2ULL << 30));
  EXPECT_EQ(parse_size("1TiB"), std::optional<std::uint64_t>(1ULL << 40));
  EXPECT_EQ(parse_size("0.5KiB"), std::optional<std::uint64_t>(512));
}

TEST(ParseSize, DecimalPrefixesArePowersOf1000) {
  EXPECT_EQ(parse_size("1.5GB"), std::optional<std::uint64_t>(1'500'000'000));
  EXPECT_EQ(parse_size("3KB"), std::optional<std::uint64_t>(3000));
  EXPECT_EQ(parse_size("2MB"), std::optional<std::uint64_t>(2'000'000));
  EXPECT_EQ(parse_size("1TB"), std::optional<std::uint64_t>(1'000'000'000'000));
  EXPECT_EQ(parse_size("16B"), std::optional<std::uint64_t>(16));
}

TEST(ParseSize, DecimalFractionsThatAreWholeBytesAreAccepted) {
  // 4.1 * 1e6 is 4099999.9999999995 in doubles; the size is still exactly 4,100,000 bytes.
  EXPECT_EQ(parse_size("4.1MB"), std::optional<std::uint64_t>(4'100'000));
  EXPECT_EQ(parse_size("2.01KB"), std::optional<std::uint64_t>(2010));
  EXPECT_EQ(parse_size("16.1GB"), std::optional<std::uint64_t>(16'100'000'000));
  EXPECT_EQ(parse_size("8.3TB"), std::optional<std::uint64_t>(8'300'000'000'000));
  EXPECT_EQ(parse_size("1.25MiB"), std::optional<std::uint64_t>(1'310'720));
}

TEST(ParseSize, AllowsSpaceBetweenNumberAndUnitAndAround) {
  EXPECT_EQ(parse_size("64 KiB"), std::optional<std::uint64_t>(65536));
  EXPECT_EQ(parse_size("  8  "), std::optional<std::uint64_t>(8));
}

TEST(ParseSize, RejectsMalformedText) {
  EXPECT_EQ(parse_size("abc"), std::nullopt);
  EXPECT_EQ(parse_size(""), std::nullopt);
  EXPECT_EQ(parse_size("   "), std::nullopt);
  EXPECT_EQ(parse_size("KiB"), std::nullopt);
  EXPECT_EQ(parse_size("10 XB"), std::nullopt);
  EXPECT_EQ(parse_size("10kib"), std::nullopt);  // units are case-sensitive
  EXPECT_EQ(parse_size("8 KiB extra"), std::nullopt);
}

TEST(ParseSize, RejectsNegativeNonFiniteAndHugeSizes) {
  EXPECT_EQ(parse_size("-1"), std::nullopt);
  EXPECT_EQ(parse_size("-1KiB"), std::nullopt);
  EXPECT_EQ(parse_size("inf"), std::nullopt);
  EXPECT_EQ(parse_size("nan"), std::nullopt);
  EXPECT_EQ(parse_size("100000000TB"), std::nullopt);  // 1e20 does not fit 64 bits
}

TEST(ParseSize, RejectsFractionalBytes) {
  EXPECT_EQ(parse_size("1.3B"), std::nullopt);
  EXPECT_EQ(parse_size("1.5"), std::nullopt);
  EXPECT_EQ(parse_size("0.1KiB"), std::nullopt);  // 102.4 bytes
  EXPECT_EQ(parse_size("0.4"), std::nullopt);
  EXPECT_EQ(parse_size("0.5"), std::nullopt);
  EXPECT_EQ(parse_size("1.0001KB"), std::nullopt);  // 1000.1 bytes
  EXPECT_EQ(parse_size("1e-300"), std::nullopt);
}

TEST(ParseDuration, UnitsScaleToSeconds) {
  EXPECT_DOUBLE_EQ(parse_duration("10s").value(), 10.0);
  EXPECT_DOUBLE_EQ(parse_duration("250ms").value(), 0.25);
  EXPECT_DOUBLE_EQ(parse_duration("1.5us").value(), 1.5e-6);
  EXPECT_DOUBLE_EQ(parse_duration("20ns").value(), 20e-9);
  EXPECT_DOUBLE_EQ(parse_duration("2min").value(), 120.0);
  EXPECT_DOUBLE_EQ(parse_duration("1h").value(), 3600.0);
  EXPECT_DOUBLE_EQ(parse_duration("5 ms").value(), 0.005);
}

TEST(ParseDuration, BareNumberIsSeconds) {
  ASSERT_TRUE(parse_duration("3").has_value());
  EXPECT_DOUBLE_EQ(*parse_duration("3"), 3.0);
  EXPECT_DOUBLE_EQ(*parse_duration("0.5"), 0.5);
}

TEST(ParseDuration, RejectsUnknownUnitsNegativesAndGarbage) {
  EXPECT_EQ(parse_duration("5 parsecs"), std::nullopt);
  EXPECT_EQ(parse_duration("-1s"), std::nullopt);
  EXPECT_EQ(parse_duration(""), std::nullopt);
  EXPECT_EQ(parse_duration("s"), std::nullopt);
  EXPECT_EQ(parse_duration("10 S"), std::nullopt);
  EXPECT_EQ(parse_duration("10m"), std::nullopt);  // minutes are "min"; "m" is ambiguous
  EXPECT_EQ(parse_duration("infs"), std::nullopt);
}

TEST(FormatSize, ExactBinaryFormsAreWhole) {
  EXPECT_EQ(format_size(0), "0 B");
  EXPECT_EQ(format_size(8), "8 B");
  EXPECT_EQ(format_size(1023), "1023 B");
  EXPECT_EQ(format_size(1024), "1 KiB");
  EXPECT_EQ(format_size(64ULL << 20), "64 MiB");
  EXPECT_EQ(format_size(3ULL << 30), "3 GiB");
  EXPECT_EQ(format_size(2ULL << 40), "2 TiB");
}

TEST(FormatSize, InexactFormsHaveOneDecimal) {
  EXPECT_EQ(format_size(1536), "1.5 KiB");
  EXPECT_EQ(format_size(1000), "1000 B");
  EXPECT_EQ(format_size(1'500'000'000), "1.4 GiB");
  // Beyond TiB there is no larger unit: the value stays in TiB.
  EXPECT_EQ(format_size(2048ULL << 40), "2048 TiB");
}

TEST(FormatSize, RoundTripsThroughParseSize) {
  for (std::uint64_t bytes : {8ULL, 1024ULL, 1536ULL, 64ULL << 20, 5ULL << 30}) {
    std::string text = format_size(bytes);
    EXPECT_EQ(parse_size(text), std::optional<std::uint64_t>(bytes)) << text;
  }
}

TEST(FormatDuration, PicksUnitByMagnitude) {
  EXPECT_EQ(format_duration(5e-9), "5.0 ns");
  EXPECT_EQ(format_duration(1.23e-6), "1.23 us");
  EXPECT_EQ(format_duration(4.5e-3), "4.50 ms");
  EXPECT_EQ(format_duration(0.25), "250.00 ms");
  EXPECT_EQ(format_duration(2.0), "2.00 s");
  EXPECT_EQ(format_duration(90.0), "90.00 s");
  EXPECT_EQ(format_duration(0.0), "0.0 ns");
}

TEST(FormatDuration, NonFiniteIsADash) {
  EXPECT_EQ(format_duration(std::numeric_limits<double>::quiet_NaN()), "-");
  EXPECT_EQ(format_duration(std::numeric_limits<double>::infinity()), "-");
}

}  // namespace
}  // namespace sciperf
