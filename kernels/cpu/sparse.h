// Sparse times dense on one core, fp32: C (M x N) = A (M x K, sparse) · B (K x N, dense, row
// major, ldb >= N); C is overwritten, ldc >= N.
//
// CSR SpMM for unstructured sparsity: each row of C is built in vector registers, N in
// chunks, from the row's nonzeros times rows of B.
// 2:4 structured sparsity (at most two nonzeros in every four consecutive columns of a row):
// values compressed to K/2 per row plus 2-bit column offsets, then the same row walk with
// no index loads from memory beyond the metadata nibble.
//
// Bad input (sparsity outside (0, 1), K % 4 != 0 for 2:4, shapes that do not fit, a matrix
// that is not valid CSR) throws std::invalid_argument naming the parameter and value.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/cpu/isa.h"

namespace sciperf::kernels::cpu {

struct CsrMatrix {
  std::int64_t rows = 0, cols = 0;
  std::vector<std::int64_t> row_ptr;  // rows + 1
  std::vector<std::int32_t> col_idx;  // nnz, ascending within a row
  std::vector<float> values;          // nnz
  std::int64_t nnz() const { return static_cast<std::int64_t>(values.size()); }
  double sparsity() const;  // fraction of zeros
};

// Each entry nonzero with probability 1 - sparsity, independently (values uniform in
// ±[0.5, 1], never zero), so the achieved sparsity is `sparsity` up to sampling noise.
CsrMatrix random_csr(std::int64_t rows, std::int64_t cols, double sparsity, std::uint64_t seed);
// The nonzeros of a dense row-major matrix.
CsrMatrix csr_from_dense(const float* A, std::int64_t rows, std::int64_t cols, std::int64_t lda);
// Unstructured magnitude pruning: keeps the round((1 - sparsity) rows cols) entries of largest
// magnitude (ties broken by position), drops the rest.
CsrMatrix prune_magnitude(const float* A, std::int64_t rows, std::int64_t cols, std::int64_t lda, double sparsity);
std::vector<float> to_dense(const CsrMatrix& A);
// Throws std::invalid_argument when row_ptr / col_idx do not describe a rows x cols matrix.
void validate(const CsrMatrix& A);

Isa spmm_csr(const CsrMatrix& A, std::int64_t N, const float* B, std::int64_t ldb, float* C, std::int64_t ldc,
             Isa path = Isa::automatic);
// 2 * nnz * N
double spmm_ops(const CsrMatrix& A, std::int64_t N);

struct Sparse24Matrix {
  std::int64_t rows = 0, cols = 0;  // cols % 4 == 0
  std::vector<float> values;        // rows x cols/2: the two kept values of each group
  std::vector<std::uint8_t> meta;   // rows x meta_stride(): a nibble per group, low first;
                                    // bits 0-1 and 2-3 the two offsets (first < second)
  std::int64_t meta_stride() const { return (cols / 4 + 1) / 2; }
};

// Keeps the two largest magnitudes of every group of four along each row (2:4 pruning);
// cols % 4 must be 0.
Sparse24Matrix prune_2_4(const float* A, std::int64_t rows, std::int64_t cols, std::int64_t lda);
std::vector<float> to_dense(const Sparse24Matrix& A);

Isa gemm_sparse24(const Sparse24Matrix& A, std::int64_t N, const float* B, std::int64_t ldb, float* C, std::int64_t ldc,
                  Isa path = Isa::automatic);
// Operations done: 2 * rows * cols/2 * N (half of the dense GEMM's).
double sparse24_ops(const Sparse24Matrix& A, std::int64_t N);

}  // namespace sciperf::kernels::cpu
