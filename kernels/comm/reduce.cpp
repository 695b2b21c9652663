// The reduction kernels: one loop template per (storage format, operator, operand order),
// written so the compiler vectorizes it (no calls, no branches beyond selects).
#include "kernels/comm/reduce.h"

#include "kernels/comm/half_precision.h"

#include <cstdint>
#include <type_traits>

namespace sciperf::comm {
namespace {

// How a type is stored and in which type it is reduced: the 16-bit floats reduce in float
// and round back once per element, as MPI user ops for them usually do.
template <class T>
struct Native {
  using Storage = T;
  static T load(T value) { return value; }
  static T store(T value) { return value; }
};

struct BFloat16 {
  using Storage = std::uint16_t;
  static float load(std::uint16_t bits) { return half::bfloat16_to_float(bits); }
  static std::uint16_t store(float value) { return half::float_to_bfloat16(value); }
};

struct Float16 {
  using Storage = std::uint16_t;
  static float load(std::uint16_t bits) { return half::float16_to_float(bits); }
  static std::uint16_t store(float value) { return half::float_to_float16(value); }
};

// Integer sum and product wrap around, as MPI libraries do, instead of overflowing into
// undefined behaviour.
template <class T>
T wrapping_add(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return a + b;
  }
}

template <class T>
T wrapping_multiply(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
  } else {
    return a * b;
  }
}

struct Sum {
  template <class T>
  T operator()(T a, T b) const { return wrapping_add(a, b); }
};
struct Prod {
  template <class T>
  T operator()(T a, T b) const { return wrapping_multiply(a, b); }
};
// Written as the selects x86 min/max instructions implement, so they vectorize without
// -ffast-math.
struct Min {
  template <class T>
  T operator()(T a, T b) const { return a < b ? a : b; }
};
struct Max {
  template <class T>
  T operator()(T a, T b) const { return a > b ? a : b; }
};

template <class Format, class Op, Operands Order>
void reduce_loop(const void* in_bytes, void* inout_bytes, std::size_t count) {
  using Storage = typename Format::Storage;
  const auto* in = static_cast<const Storage*>(in_bytes);
  auto* inout = static_cast<Storage*>(inout_bytes);
  const Op op;
  for (std::size_t i = 0; i < count; ++i) {
    const auto left = Format::load(Order == Operands::inout_first ? inout[i] : in[i]);
    const auto right = Format::load(Order == Operands::inout_first ? in[i] : inout[i]);
    inout[i] = Format::store(op(left, right));
  }
}

template <class Format, Operands Order>
void reduce_format(ReduceOp op, const void* in, void* inout, std::size_t count) {
  switch (op) {
    case ReduceOp::sum: return reduce_loop<Format, Sum, Order>(in, inout, count);
    case ReduceOp::prod: return reduce_loop<Format, Prod, Order>(in, inout, count);
    case ReduceOp::min: return reduce_loop<Format, Min, Order>(in, inout, count);
    case ReduceOp::max: return reduce_loop<Format, Max, Order>(in, inout, count);
  }
}

template <Operands Order>
void reduce_type(DataType type, ReduceOp op, const void* in, void* inout, std::size_t count) {
  switch (type) {
    case DataType::float32: return reduce_format<Native<float>, Order>(op, in, inout, count);
    case DataType::float64: return reduce_format<Native<double>, Order>(op, in, inout, count);
    case DataType::int32: return reduce_format<Native<std::int32_t>, Order>(op, in, inout, count);
    case DataType::bfloat16: return reduce_format<BFloat16, Order>(op, in, inout, count);
    case DataType::float16: return reduce_format<Float16, Order>(op, in, inout, count);
  }
}

}  // namespace

void reduce_ordered(DataType type, ReduceOp op, const void* in, void* inout, std::size_t count, Operands order) {
  if (order == Operands::inout_first) {
    reduce_type<Operands::inout_first>(type, op, in, inout, count);
  } else {
    reduce_type<Operands::in_first>(type, op, in, inout, count);
  }
}

void reduce_local(DataType type, ReduceOp op, const void* in, void* inout, std::size_t count) {
  reduce_ordered(type, op, in, inout, count, Operands::inout_first);
}

}  // namespace sciperf::comm
