// The element types: names, conversions of the 16-bit floats (round to nearest even, checked
// against known bit patterns and an independent reference), reduce_local, and the MPI handles.
#include "kernels/comm/datatypes.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace sciperf::comm {
namespace {

constexpr DataType kTypes[] = {DataType::float32, DataType::float64, DataType::int32, DataType::bfloat16,
                               DataType::float16};
constexpr ReduceOp kOps[] = {ReduceOp::sum, ReduceOp::prod, ReduceOp::min, ReduceOp::max};
constexpr DataType kHalfTypes[] = {DataType::bfloat16, DataType::float16};

std::uint16_t stored_bits(DataType type, double value) {
  std::uint16_t bits = 0;
  store_element(type, &bits, 0, value);
  return bits;
}

double loaded(DataType type, std::uint16_t bits) { return load_element(type, &bits, 0); }

TEST(CommDatatypes, NamesRoundTrip) {
  for (DataType type : kTypes) {
    EXPECT_EQ(parse_data_type(to_string(type)), type);
  }
  for (ReduceOp op : kOps) {
    EXPECT_EQ(parse_reduce_op(to_string(op)), op);
  }
  EXPECT_EQ(parse_data_type("float"), std::nullopt);
  EXPECT_EQ(parse_reduce_op("avg"), std::nullopt);
}

TEST(CommDatatypes, SizesAndRoundoff) {
  EXPECT_EQ(size_of(DataType::float64), 8u);
  EXPECT_EQ(size_of(DataType::int32), 4u);
  EXPECT_EQ(size_of(DataType::bfloat16), 2u);
  EXPECT_FALSE(is_floating(DataType::int32));
  EXPECT_TRUE(is_floating(DataType::float16));
  EXPECT_EQ(unit_roundoff(DataType::float32), std::ldexp(1.0, -24));
  EXPECT_EQ(unit_roundoff(DataType::bfloat16), std::ldexp(1.0, -8));
  EXPECT_EQ(unit_roundoff(DataType::float16), std::ldexp(1.0, -11));
  EXPECT_EQ(unit_roundoff(DataType::int32), 0.0);
}

TEST(CommDatatypes, BFloat16KnownPatterns) {
  const DataType bf16 = DataType::bfloat16;
  EXPECT_EQ(stored_bits(bf16, 1.0), 0x3f80);
  EXPECT_EQ(stored_bits(bf16, -2.0), 0xc000);
  EXPECT_EQ(stored_bits(bf16, -0.0), 0x8000);
  EXPECT_EQ(stored_bits(bf16, 1.0 + 0x1p-8), 0x3f80);      // tie: down to even
  EXPECT_EQ(stored_bits(bf16, 1.0 + 3 * 0x1p-8), 0x3f82);  // tie: up to even
  EXPECT_EQ(stored_bits(bf16, 1.0 + 0x1p-8 + 0x1p-40), 0x3f81);  // above the tie, below float's precision
  EXPECT_EQ(stored_bits(bf16, 0x1p-133), 0x0001);                // smallest subnormal
  EXPECT_EQ(stored_bits(bf16, 0x1.fep127), 0x7f7f);              // largest finite
  EXPECT_EQ(stored_bits(bf16, std::numeric_limits<float>::max()), 0x7f80);  // rounds up to infinity
  EXPECT_EQ(stored_bits(bf16, 1e300), 0x7f80);
  EXPECT_EQ(stored_bits(bf16, -std::numeric_limits<double>::infinity()), 0xff80);
  const std::uint16_t nan = stored_bits(bf16, std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(nan & 0x7fc0, 0x7fc0) << std::hex << nan;  // a quiet NaN, not an infinity

  EXPECT_EQ(loaded(bf16, 0x3f80), 1.0);
  EXPECT_EQ(loaded(bf16, 0x0001), 0x1p-133);
  EXPECT_TRUE(std::isinf(loaded(bf16, 0xff80)));
  EXPECT_TRUE(std::isnan(loaded(bf16, 0x7fc1)));
}

TEST(CommDatatypes, Float16KnownPatterns) {
  const DataType fp16 = DataType::float16;
  EXPECT_EQ(stored_bits(fp16, 1.0), 0x3c00);
  EXPECT_EQ(stored_bits(fp16, -2.0), 0xc000);
  EXPECT_EQ(stored_bits(fp16, -0.0), 0x8000);
  EXPECT_EQ(stored_bits(fp16, 1.0 + 0x1p-11), 0x3c00);      // tie: down to even
  EXPECT_EQ(stored_bits(fp16, 1.0 + 3 * 0x1p-11), 0x3c02);  // tie: up to even
  EXPECT_EQ(stored_bits(fp16, 1.0 + 0x1p-11 + 0x1p-40), 0x3c01);
  EXPECT_EQ(stored_bits(fp16, 0x1p-14), 0x0400);      // smallest normal
  EXPECT_EQ(stored_bits(fp16, 0x1p-24), 0x0001);      // smallest subnormal
  EXPECT_EQ(stored_bits(fp16, 0x1p-25), 0x0000);      // tie between 0 and it: to even
  EXPECT_EQ(stored_bits(fp16, 3 * 0x1p-25), 0x0002);  // tie between 1 and 2 ulps: to even
  EXPECT_EQ(stored_bits(fp16, 65504.0), 0x7bff);      // largest finite
  EXPECT_EQ(stored_bits(fp16, 65519.0), 0x7bff);
  EXPECT_EQ(stored_bits(fp16, 65520.0), 0x7c00);  // tie between 65504 and 2^16: overflows
  EXPECT_EQ(stored_bits(fp16, -1e10), 0xfc00);
  EXPECT_EQ(stored_bits(fp16, std::numeric_limits<double>::infinity()), 0x7c00);
  const std::uint16_t nan = stored_bits(fp16, std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(nan & 0x7e00, 0x7e00) << std::hex << nan;

  EXPECT_EQ(loaded(fp16, 0x3c00), 1.0);
  EXPECT_EQ(loaded(fp16, 0x03ff), 1023 * 0x1p-24);
  EXPECT_EQ(loaded(fp16, 0x7bff), 65504.0);
  EXPECT_TRUE(std::signbit(loaded(fp16, 0x8000)));
  EXPECT_EQ(loaded(fp16, 0xfc00), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(loaded(fp16, 0x7c01)));
}

TEST(CommDatatypes, EveryHalfPatternRoundTrips) {
  for (DataType type : kHalfTypes) {
    for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
      const auto pattern = static_cast<std::uint16_t>(bits);
      const double value = loaded(type, pattern);
      const std::uint16_t again = stored_bits(type, value);
      if (std::isnan(value)) {
        EXPECT_TRUE(std::isnan(loaded(type, again))) << to_string(type) << std::hex << " " << bits;
      } else {
        EXPECT_EQ(again, pattern) << to_string(type) << std::hex << " " << bits;
      }
    }
  }
}

// The value of a non-negative finite bit pattern, decoded by formula rather than by the code
// under test. The infinity pattern decodes to where the next binade would start, which makes
// round-to-nearest-even overflow correctly (IEEE 754 rounds as if the exponent were unbounded).
double reference_value(DataType type, std::uint16_t bits) {
  if (type == DataType::bfloat16) {
    return bits == 0x7f80 ? 0x1p128 : static_cast<double>(std::bit_cast<float>(std::uint32_t{bits} << 16));
  }
  const int exponent = bits >> 10;
  const int mantissa = bits & 0x3ff;
  return exponent == 0 ? std::ldexp(mantissa, -24) : std::ldexp(1024 + mantissa, exponent - 25);
}

// Round to nearest even by search: the patterns of non-negative values grow with the value.
std::uint16_t reference_bits(DataType type, double value) {
  const std::uint16_t infinity = type == DataType::bfloat16 ? 0x7f80 : 0x7c00;
  const double magnitude = std::fabs(value);
  std::uint16_t low = 0;  // largest pattern whose value is <= magnitude
  std::uint16_t high = infinity;
  while (high - low > 1) {
    const auto middle = static_cast<std::uint16_t>((low + high) / 2);
    (reference_value(type, middle) <= magnitude ? low : high) = middle;
  }
  if (reference_value(type, high) <= magnitude) {
    low = high;
  }
  std::uint16_t nearest = low;
  if (low != infinity) {
    const double below = magnitude - reference_value(type, low);
    const double above = reference_value(type, static_cast<std::uint16_t>(low + 1)) - magnitude;
    if (above < below || (above == below && low % 2 == 1)) {
      nearest = static_cast<std::uint16_t>(low + 1);
    }
  }
  return static_cast<std::uint16_t>(nearest | (std::signbit(value) ? 0x8000 : 0));
}

TEST(CommDatatypes, HalfRoundingMatchesReference) {
  for (DataType type : kHalfTypes) {
    int failures = 0;
    // Floats spread over the whole range, and each nudged just off a float so that a double
    // rounding through float would show.
    for (std::uint64_t step = 0; step < 60000 && failures < 5; ++step) {
      const float base = std::bit_cast<float>(static_cast<std::uint32_t>(step * 71563u));
      if (!std::isfinite(base)) {
        continue;
      }
      for (double value : {double{base}, base * (1 + 0x1p-35), base * (1 - 0x1p-35)}) {
        const std::uint16_t got = stored_bits(type, value);
        const std::uint16_t want = reference_bits(type, value);
        if (got != want) {
          ++failures;
          ADD_FAILURE() << to_string(type) << ": " << value << " stored as " << std::hex << got << ", want " << want;
        }
      }
    }
  }
}

// Values exact in every type, with fractions, so products need rounding in the 16-bit types.
double operand(int which, std::size_t index) {
  return static_cast<double>((static_cast<long>(index) * 37 + which * 11) % 101 - 50) / 8.0;
}

// inout (op) in, element by element, for lengths that cover vector bodies and their tails.
TEST(CommDatatypes, ReduceLocalMatchesElementwise) {
  for (DataType type : kTypes) {
    for (ReduceOp op : kOps) {
      for (std::size_t count : {0, 1, 5, 37, 300}) {
        std::vector<std::byte> in(count * size_of(type));
        std::vector<std::byte> inout(count * size_of(type));
        std::vector<std::byte> want(count * size_of(type));
        for (std::size_t i = 0; i < count; ++i) {
          store_element(type, in.data(), i, operand(0, i));
          store_element(type, inout.data(), i, operand(1, i));
          store_element(type, want.data(), i,
                        reduce_reference(op, load_element(type, inout.data(), i), load_element(type, in.data(), i)));
        }
        reduce_local(type, op, in.data(), inout.data(), count);
        EXPECT_EQ(inout, want) << to_string(type) << " " << to_string(op) << " count " << count;
      }
    }
  }
}

TEST(CommDatatypes, ReduceLocalRoundsHalfResultsToNearestEven) {
  std::uint16_t in = stored_bits(DataType::bfloat16, 0x1p-8);
  std::uint16_t inout = stored_bits(DataType::bfloat16, 1.0);
  reduce_local(DataType::bfloat16, ReduceOp::sum, &in, &inout, 1);
  EXPECT_EQ(inout, 0x3f80);  // 1 + 2^-8 is a tie: down to even

  in = stored_bits(DataType::float16, 3 * 0x1p-11);
  inout = stored_bits(DataType::float16, 1.0);
  reduce_local(DataType::float16, ReduceOp::sum, &in, &inout, 1);
  EXPECT_EQ(inout, 0x3c02);  // 1 + 3 * 2^-11 is a tie: up to even

  in = stored_bits(DataType::float16, 256.0);
  inout = stored_bits(DataType::float16, 256.0);
  reduce_local(DataType::float16, ReduceOp::prod, &in, &inout, 1);
  EXPECT_EQ(inout, 0x7c00);  // overflow to infinity
}

TEST(CommDatatypes, ReduceLocalInt32Wraps) {
  std::int32_t in[] = {1, 65536};
  std::int32_t inout[] = {std::numeric_limits<std::int32_t>::max(), 65536};
  reduce_local(DataType::int32, ReduceOp::sum, in, inout, 1);
  EXPECT_EQ(inout[0], std::numeric_limits<std::int32_t>::min());
  reduce_local(DataType::int32, ReduceOp::prod, in + 1, inout + 1, 1);
  EXPECT_EQ(inout[1], 0);
}

TEST(CommDatatypes, MpiHandles) {
  EXPECT_EQ(mpi_datatype(DataType::float64), MPI_DOUBLE);
  EXPECT_EQ(mpi_op(DataType::float32, ReduceOp::max), MPI_MAX);
  for (DataType type : kHalfTypes) {
    int bytes = 0;
    MPI_Type_size(mpi_datatype(type), &bytes);
    EXPECT_EQ(bytes, 2);
    EXPECT_EQ(mpi_datatype(type), mpi_datatype(type));  // created once
  }
  EXPECT_NE(mpi_datatype(DataType::bfloat16), mpi_datatype(DataType::float16));
}

// MPI's user-op contract is inout = in (op) inout: the library path and reduce_local agree
// once the operands are swapped.
TEST(CommDatatypes, HalfUserOpsMatchReduceLocal) {
  const std::size_t count = 50;
  for (DataType type : kHalfTypes) {
    for (ReduceOp op : kOps) {
      std::vector<std::uint16_t> a(count);
      std::vector<std::uint16_t> b(count);
      for (std::size_t i = 0; i < count; ++i) {
        a[i] = stored_bits(type, operand(0, i));
        b[i] = stored_bits(type, operand(1, i));
      }
      std::vector<std::uint16_t> library = b;
      MPI_Reduce_local(a.data(), library.data(), static_cast<int>(count), mpi_datatype(type), mpi_op(type, op));
      std::vector<std::uint16_t> ours = a;
      reduce_local(type, op, b.data(), ours.data(), count);
      EXPECT_EQ(library, ours) << to_string(type) << " " << to_string(op);
    }
  }
}

}  // namespace
}  // namespace sciperf::comm
