// Our own collective algorithms over MPI point-to-point, so a buyer can see whether the
// vendor MPI picks the right algorithm per message size. Every function is collective over
// `comm` and works for any number of ranks (including 1 and non-powers of two).
// Buffers are host memory; counts are in elements of `type`.
#pragma once

#include "kernels/comm/datatypes.h"

namespace sciperf::comm {

// All-reduce, in place: on return every rank's `buffer` holds the reduction over ranks.
void allreduce_ring(void* buffer, std::size_t count, DataType type, ReduceOp op, MPI_Comm comm);
void allreduce_recursive_doubling(void* buffer, std::size_t count, DataType type, ReduceOp op, MPI_Comm comm);
// Reduce-scatter by recursive halving, then all-gather by recursive doubling.
void allreduce_rabenseifner(void* buffer, std::size_t count, DataType type, ReduceOp op, MPI_Comm comm);
// Reduce up a binary tree rooted at rank 0, then broadcast down the same tree.
void allreduce_binary_tree(void* buffer, std::size_t count, DataType type, ReduceOp op, MPI_Comm comm);

// Reduce-scatter: `send` holds recv_count * size elements; rank r receives block r reduced.
void reduce_scatter_ring(const void* send, void* recv, std::size_t recv_count, DataType type, ReduceOp op,
                         MPI_Comm comm);

// All-gather: `recv` holds send_count * size elements; block r comes from rank r.
// `send == nullptr` means in place: rank r's block already sits in `recv`.
void allgather_ring(const void* send, void* recv, std::size_t send_count, DataType type, MPI_Comm comm);
void allgather_recursive_doubling(const void* send, void* recv, std::size_t send_count, DataType type,
                                  MPI_Comm comm);

// Broadcast from `root` along a binomial tree.
void broadcast_binomial_tree(void* buffer, std::size_t count, DataType type, int root, MPI_Comm comm);

// All-to-all with pairwise exchange: block j of `send` goes to rank j, block i of `recv`
// comes from rank i; blocks are `block_count` elements.
void alltoall_pairwise(const void* send, void* recv, std::size_t block_count, DataType type, MPI_Comm comm);

}  // namespace sciperf::comm
