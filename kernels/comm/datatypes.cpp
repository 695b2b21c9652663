// Names, sizes and element access for the element types.
#include "kernels/comm/datatypes.h"

#include "kernels/comm/half_precision.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace sciperf::comm {
namespace {

constexpr std::array kDataTypes = {DataType::float32, DataType::float64, DataType::int32, DataType::bfloat16,
                                   DataType::float16};
constexpr std::array kReduceOps = {ReduceOp::sum, ReduceOp::prod, ReduceOp::min, ReduceOp::max};

template <class T>
T load(const void* buffer, std::size_t index) {
  T value;
  std::memcpy(&value, static_cast<const std::byte*>(buffer) + index * sizeof(T), sizeof(T));
  return value;
}

template <class T>
void store(void* buffer, std::size_t index, T value) {
  std::memcpy(static_cast<std::byte*>(buffer) + index * sizeof(T), &value, sizeof(T));
}

// Rounding double -> float -> 16 bits rounds twice and can land on the wrong side of a tie
// (1 + 2^-8 + 2^-40 would become bfloat16 1.0). Rounding the first step to odd instead
// (truncate, then set the last bit if anything was lost) makes the second rounding exact,
// because float keeps more than two extra bits over either 16-bit format.
float narrow_to_odd(double value) {
  const float nearest = static_cast<float>(value);
  if (std::isnan(value) || static_cast<double>(nearest) == value) {
    return nearest;
  }
  auto bits = std::bit_cast<std::uint32_t>(nearest);
  if (std::fabs(static_cast<double>(nearest)) > std::fabs(value)) {
    --bits;  // one ulp towards zero: the truncated value (float's max instead of infinity)
  }
  return std::bit_cast<float>(bits | 1u);
}

// Validation values are integral; round the rest to nearest, saturate, and send NaN to 0
// rather than into undefined behaviour.
std::int32_t to_int32(double value) {
  if (std::isnan(value)) {
    return 0;
  }
  const double limited = std::clamp(std::nearbyint(value), double{std::numeric_limits<std::int32_t>::min()},
                                    double{std::numeric_limits<std::int32_t>::max()});
  return static_cast<std::int32_t>(limited);
}

}  // namespace

std::string_view to_string(DataType type) {
  switch (type) {
    case DataType::float32: return "float32";
    case DataType::float64: return "float64";
    case DataType::int32: return "int32";
    case DataType::bfloat16: return "bfloat16";
    case DataType::float16: return "float16";
  }
  return "unknown";
}

std::string_view to_string(ReduceOp op) {
  switch (op) {
    case ReduceOp::sum: return "sum";
    case ReduceOp::prod: return "prod";
    case ReduceOp::min: return "min";
    case ReduceOp::max: return "max";
  }
  return "unknown";
}

std::optional<DataType> parse_data_type(std::string_view name) {
  for (DataType type : kDataTypes) {
    if (to_string(type) == name) {
      return type;
    }
  }
  return std::nullopt;
}

std::optional<ReduceOp> parse_reduce_op(std::string_view name) {
  for (ReduceOp op : kReduceOps) {
    if (to_string(op) == name) {
      return op;
    }
  }
  return std::nullopt;
}

std::size_t size_of(DataType type) {
  switch (type) {
    case DataType::float32: return 4;
    case DataType::float64: return 8;
    case DataType::int32: return 4;
    case DataType::bfloat16: return 2;
    case DataType::float16: return 2;
  }
  return 0;
}

bool is_floating(DataType type) { return type != DataType::int32; }

double unit_roundoff(DataType type) {
  switch (type) {
    case DataType::float32: return 0x1.0p-24;
    case DataType::float64: return 0x1.0p-53;
    case DataType::int32: return 0.0;
    case DataType::bfloat16: return 0x1.0p-8;
    case DataType::float16: return 0x1.0p-11;
  }
  return 0.0;
}

double load_element(DataType type, const void* buffer, std::size_t index) {
  switch (type) {
    case DataType::float32: return load<float>(buffer, index);
    case DataType::float64: return load<double>(buffer, index);
    case DataType::int32: return load<std::int32_t>(buffer, index);
    case DataType::bfloat16: return half::bfloat16_to_float(load<std::uint16_t>(buffer, index));
    case DataType::float16: return half::float16_to_float(load<std::uint16_t>(buffer, index));
  }
  return 0.0;
}

void store_element(DataType type, void* buffer, std::size_t index, double value) {
  switch (type) {
    case DataType::float32: return store(buffer, index, static_cast<float>(value));
    case DataType::float64: return store(buffer, index, value);
    case DataType::int32: return store(buffer, index, to_int32(value));
    case DataType::bfloat16: return store(buffer, index, half::float_to_bfloat16(narrow_to_odd(value)));
    case DataType::float16: return store(buffer, index, half::float_to_float16(narrow_to_odd(value)));
  }
}

double reduce_reference(ReduceOp op, double a, double b) {
  switch (op) {
    case ReduceOp::sum: return a + b;
    case ReduceOp::prod: return a * b;
    case ReduceOp::min: return std::min(a, b);
    case ReduceOp::max: return std::max(a, b);
  }
  return 0;
}

}  // namespace sciperf::comm
