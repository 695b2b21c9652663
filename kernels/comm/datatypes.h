// Element types and reduction operators shared by the MPI library path and our own
// collective algorithms. bfloat16 and float16 have no MPI builtin in MPICH 4.0, so they get
// a committed contiguous type and user-defined MPI_Ops that reduce in float.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sciperf::comm {

enum class DataType { float32, float64, int32, bfloat16, float16 };
enum class ReduceOp { sum, prod, min, max };

std::string_view to_string(DataType type);
std::string_view to_string(ReduceOp op);
std::optional<DataType> parse_data_type(std::string_view name);
std::optional<ReduceOp> parse_reduce_op(std::string_view name);

std::size_t size_of(DataType type);
bool is_floating(DataType type);

// Unit roundoff of the type (2^-24 for float32, 2^-53 float64, 2^-8 bfloat16, 2^-11 float16,
// 0 for int32): tolerances are stated in multiples of it.
double unit_roundoff(DataType type);

// The MPI handles for a type and op. Valid between MPI_Init and MPI_Finalize; created
// lazily on first use and freed by an MPI_Finalize hook.
MPI_Datatype mpi_datatype(DataType type);
MPI_Op mpi_op(DataType type, ReduceOp op);

// inout[i] = inout[i] (op) in[i] for i < count. The reduction our algorithms apply.
void reduce_local(DataType type, ReduceOp op, const void* in, void* inout, std::size_t count);

// a (op) b in double: the reference the checks of every reduction compare against.
double reduce_reference(ReduceOp op, double a, double b);

// Element access through double, so validation code can be written once for every type.
// Conversions to bfloat16/float16 round to nearest even.
double load_element(DataType type, const void* buffer, std::size_t index);
void store_element(DataType type, void* buffer, std::size_t index, double value);

}  // namespace sciperf::comm
