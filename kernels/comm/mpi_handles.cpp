// MPI handles for the element types and operators. The 16-bit floats have no MPI builtin
// in MPICH 4.0: they get a committed 2-byte contiguous type each and user ops that reduce
// in float, created on first use and freed when MPI_Finalize deletes MPI_COMM_SELF's
// attributes (the standard runs those delete callbacks first thing in MPI_Finalize).
#include "kernels/comm/datatypes.h"

#include "kernels/comm/reduce.h"

#include <array>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

namespace sciperf::comm {
namespace {

constexpr std::size_t kNumOps = 4;

struct HalfHandles {
  MPI_Datatype bfloat16 = MPI_DATATYPE_NULL;
  MPI_Datatype float16 = MPI_DATATYPE_NULL;
  std::array<MPI_Op, kNumOps> bfloat16_ops{};
  std::array<MPI_Op, kNumOps> float16_ops{};
};

std::mutex handles_mutex;
std::optional<HalfHandles> half_handles;  // guarded by handles_mutex

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) {
    throw std::runtime_error(std::string("sciperf::comm: ") + what + " failed");
  }
}

// MPI's user-op contract is inout = in (op) inout.
template <DataType Type, ReduceOp Op>
void user_op(void* in, void* inout, int* len, MPI_Datatype*) {
  reduce_ordered(Type, Op, in, inout, static_cast<std::size_t>(*len), Operands::in_first);
}

template <DataType Type>
std::array<MPI_Op, kNumOps> create_ops() {
  constexpr std::array<MPI_User_function*, kNumOps> functions = {
      &user_op<Type, ReduceOp::sum>, &user_op<Type, ReduceOp::prod>, &user_op<Type, ReduceOp::min>,
      &user_op<Type, ReduceOp::max>};
  std::array<MPI_Op, kNumOps> ops{};
  for (std::size_t i = 0; i < kNumOps; ++i) {
    check(MPI_Op_create(functions[i], /*commute=*/1, &ops[i]), "MPI_Op_create");
  }
  return ops;
}

MPI_Datatype create_half_type() {
  MPI_Datatype type = MPI_DATATYPE_NULL;
  check(MPI_Type_contiguous(2, MPI_BYTE, &type), "MPI_Type_contiguous");
  check(MPI_Type_commit(&type), "MPI_Type_commit");
  return type;
}

int free_half_handles(MPI_Comm, int, void*, void*) {
  std::lock_guard lock(handles_mutex);
  for (MPI_Datatype* type : {&half_handles->bfloat16, &half_handles->float16}) {
    MPI_Type_free(type);
  }
  for (auto* ops : {&half_handles->bfloat16_ops, &half_handles->float16_ops}) {
    for (MPI_Op& op : *ops) {
      MPI_Op_free(&op);
    }
  }
  half_handles.reset();
  return MPI_SUCCESS;
}

void free_at_finalize() {
  int keyval = MPI_KEYVAL_INVALID;
  check(MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, &free_half_handles, &keyval, nullptr),
        "MPI_Comm_create_keyval");
  check(MPI_Comm_set_attr(MPI_COMM_SELF, keyval, nullptr), "MPI_Comm_set_attr");
  // The attribute keeps the key alive until MPI_Finalize deletes it.
  check(MPI_Comm_free_keyval(&keyval), "MPI_Comm_free_keyval");
}

// Returned by value: the handles stay valid until MPI_Finalize, the lock only guards creation.
HalfHandles get_half_handles() {
  std::lock_guard lock(handles_mutex);
  if (!half_handles) {
    half_handles = HalfHandles{create_half_type(), create_half_type(), create_ops<DataType::bfloat16>(),
                               create_ops<DataType::float16>()};
    free_at_finalize();
  }
  return *half_handles;
}

// Indexes the op arrays, which create_ops fills in ReduceOp's declaration order.
std::size_t op_index(ReduceOp op) { return static_cast<std::size_t>(op); }

MPI_Op builtin_op(ReduceOp op) {
  switch (op) {
    case ReduceOp::sum: return MPI_SUM;
    case ReduceOp::prod: return MPI_PROD;
    case ReduceOp::min: return MPI_MIN;
    case ReduceOp::max: return MPI_MAX;
  }
  return MPI_OP_NULL;
}

}  // namespace

MPI_Datatype mpi_datatype(DataType type) {
  switch (type) {
    case DataType::float32: return MPI_FLOAT;
    case DataType::float64: return MPI_DOUBLE;
    case DataType::int32: return MPI_INT32_T;
    case DataType::bfloat16: return get_half_handles().bfloat16;
    case DataType::float16: return get_half_handles().float16;
  }
  return MPI_DATATYPE_NULL;
}

MPI_Op mpi_op(DataType type, ReduceOp op) {
  switch (type) {
    case DataType::bfloat16: return get_half_handles().bfloat16_ops[op_index(op)];
    case DataType::float16: return get_half_handles().float16_ops[op_index(op)];
    default: return builtin_op(op);
  }
}

}  // namespace sciperf::comm
