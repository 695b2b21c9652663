// The ordered form of reduce_local that the algorithms use internally.
#pragma once

#include "kernels/comm/datatypes.h"

#include <cstddef>

namespace sciperf::comm {

// Which operand of a reduction comes first. Floating-point min/max (on signed zeros) and
// sum/prod (on NaN payloads) are not bitwise commutative, so when two ranks combine the
// same pair of contributions they must agree on the order.
enum class Operands { inout_first, in_first };

// inout[i] = inout[i] (op) in[i] for inout_first, in[i] (op) inout[i] for in_first.
// `in` and `inout` must not overlap.
void reduce_ordered(DataType type, ReduceOp op, const void* in, void* inout, std::size_t count, Operands order);

}  // namespace sciperf::comm
