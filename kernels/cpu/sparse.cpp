// Sparse formats (CSR, 2:4), their builders, and the dispatch of the sparse x dense kernels.
#include "kernels/cpu/sparse.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "kernels/cpu/detail/lcg.h"
#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu {
namespace {

[[noreturn]] void bad(const char* kernel, const char* what, const std::string& value, const std::string& rule) {
  throw std::invalid_argument(std::string(kernel) + ": " + what + "=" + value + " " + rule);
}

std::string str(double x) {
  std::string s = std::to_string(x);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

void check_sparsity(const char* kernel, double sparsity) {
  if (!(sparsity > 0.0 && sparsity < 1.0)) bad(kernel, "sparsity", str(sparsity), "must be in (0, 1)");
}

void check_dims(const char* kernel, std::int64_t rows, std::int64_t cols, std::int64_t lda, const float* A) {
  if (rows < 0) bad(kernel, "rows", std::to_string(rows), "must be >= 0");
  if (cols < 0) bad(kernel, "cols", std::to_string(cols), "must be >= 0");
  if (rows > 0 && lda < cols) bad(kernel, "lda", std::to_string(lda), "must be >= cols=" + std::to_string(cols));
  if (rows > 0 && cols > 0 && A == nullptr) throw std::invalid_argument(std::string(kernel) + ": A is null");
}

void check_dense_operands(const char* kernel, std::int64_t K, std::int64_t M, std::int64_t N, const float* B,
                          std::int64_t ldb, const float* C, std::int64_t ldc) {
  if (N < 0) bad(kernel, "N", std::to_string(N), "must be >= 0");
  if (K > 0 && ldb < N) bad(kernel, "ldb", std::to_string(ldb), "must be >= N=" + std::to_string(N));
  if (M > 0 && ldc < N) bad(kernel, "ldc", std::to_string(ldc), "must be >= N=" + std::to_string(N));
  if (K > 0 && N > 0 && B == nullptr) throw std::invalid_argument(std::string(kernel) + ": B is null");
  if (M > 0 && N > 0 && C == nullptr) throw std::invalid_argument(std::string(kernel) + ": C is null");
}

CsrMatrix empty_csr(std::int64_t rows, std::int64_t cols) {
  CsrMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.row_ptr.assign(static_cast<std::size_t>(rows + 1), 0);
  return m;
}

}  // namespace

double CsrMatrix::sparsity() const {
  const double total = static_cast<double>(rows) * static_cast<double>(cols);
  return total > 0 ? 1.0 - static_cast<double>(nnz()) / total : 0.0;
}

CsrMatrix random_csr(std::int64_t rows, std::int64_t cols, double sparsity, std::uint64_t seed) {
  if (rows < 0) bad("random_csr", "rows", std::to_string(rows), "must be >= 0");
  if (cols < 0) bad("random_csr", "cols", std::to_string(cols), "must be >= 0");
  check_sparsity("random_csr", sparsity);
  if (cols > std::numeric_limits<std::int32_t>::max()) bad("random_csr", "cols", std::to_string(cols), "exceeds int32");
  CsrMatrix m = empty_csr(rows, cols);
  detail::Lcg rng(seed);
  const double density = 1.0 - sparsity;
  m.values.reserve(
      static_cast<std::size_t>(density * static_cast<double>(rows) * static_cast<double>(cols) * 1.01 + 16));
  m.col_idx.reserve(m.values.capacity());
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) {
      const std::uint64_t r = rng.next();
      if (static_cast<double>(r >> 11) * 0x1p-53 >= density) continue;
      // magnitude in [0.5, 1), sign from the low bits: never zero
      const float magnitude = 0.5f + 0.5f * static_cast<float>(static_cast<double>((r >> 3) & 0xFFFFF) * 0x1p-20);
      m.col_idx.push_back(static_cast<std::int32_t>(j));
      m.values.push_back((r & 4u) != 0 ? -magnitude : magnitude);
    }
    m.row_ptr[static_cast<std::size_t>(i + 1)] = m.nnz();
  }
  return m;
}

CsrMatrix csr_from_dense(const float* A, std::int64_t rows, std::int64_t cols, std::int64_t lda) {
  check_dims("csr_from_dense", rows, cols, lda, A);
  CsrMatrix m = empty_csr(rows, cols);
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) {
      const float v = A[i * lda + j];
      if (v == 0.0f) continue;
      m.col_idx.push_back(static_cast<std::int32_t>(j));
      m.values.push_back(v);
    }
    m.row_ptr[static_cast<std::size_t>(i + 1)] = m.nnz();
  }
  return m;
}

CsrMatrix prune_magnitude(const float* A, std::int64_t rows, std::int64_t cols, std::int64_t lda, double sparsity) {
  check_dims("prune_magnitude", rows, cols, lda, A);
  check_sparsity("prune_magnitude", sparsity);
  const std::int64_t total = rows * cols;
  const auto keep = static_cast<std::int64_t>(std::llround((1.0 - sparsity) * static_cast<double>(total)));
  std::vector<std::int64_t> order(static_cast<std::size_t>(total));
  std::iota(order.begin(), order.end(), std::int64_t{0});
  auto at = [&](std::int64_t flat) { return std::fabs(A[(flat / cols) * lda + flat % cols]); };
  // Largest magnitude first, ties by position, so the result does not depend on the sort.
  auto larger = [&](std::int64_t x, std::int64_t y) {
    const float ax = at(x), ay = at(y);
    return ax != ay ? ax > ay : x < y;
  };
  if (keep < total) std::nth_element(order.begin(), order.begin() + keep, order.end(), larger);
  std::vector<char> kept(static_cast<std::size_t>(total), 0);
  for (std::int64_t e = 0; e < keep; ++e) kept[static_cast<std::size_t>(order[static_cast<std::size_t>(e)])] = 1;
  CsrMatrix m = empty_csr(rows, cols);
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) {
      const float v = A[i * lda + j];
      if (!kept[static_cast<std::size_t>(i * cols + j)] || v == 0.0f) continue;
      m.col_idx.push_back(static_cast<std::int32_t>(j));
      m.values.push_back(v);
    }
    m.row_ptr[static_cast<std::size_t>(i + 1)] = m.nnz();
  }
  return m;
}

std::vector<float> to_dense(const CsrMatrix& A) {
  validate(A);
  std::vector<float> dense(static_cast<std::size_t>(A.rows * A.cols), 0.0f);
  for (std::int64_t i = 0; i < A.rows; ++i)
    for (std::int64_t e = A.row_ptr[static_cast<std::size_t>(i)]; e < A.row_ptr[static_cast<std::size_t>(i + 1)]; ++e)
      dense[static_cast<std::size_t>(i * A.cols + A.col_idx[static_cast<std::size_t>(e)])] =
          A.values[static_cast<std::size_t>(e)];
  return dense;
}

void validate(const CsrMatrix& A) {
  if (A.rows < 0) bad("csr", "rows", std::to_string(A.rows), "must be >= 0");
  if (A.cols < 0) bad("csr", "cols", std::to_string(A.cols), "must be >= 0");
  if (A.row_ptr.size() != static_cast<std::size_t>(A.rows + 1))
    bad("csr", "row_ptr.size()", std::to_string(A.row_ptr.size()), "must be rows+1=" + std::to_string(A.rows + 1));
  if (A.col_idx.size() != A.values.size())
    bad("csr", "col_idx.size()", std::to_string(A.col_idx.size()),
        "must equal values.size()=" + std::to_string(A.values.size()));
  if (A.row_ptr.front() != 0) bad("csr", "row_ptr[0]", std::to_string(A.row_ptr.front()), "must be 0");
  if (A.row_ptr.back() != A.nnz())
    bad("csr", "row_ptr[rows]", std::to_string(A.row_ptr.back()), "must be nnz=" + std::to_string(A.nnz()));
  for (std::size_t i = 0; i + 1 < A.row_ptr.size(); ++i)
    if (A.row_ptr[i + 1] < A.row_ptr[i])
      bad("csr", ("row_ptr[" + std::to_string(i + 1) + "]").c_str(), std::to_string(A.row_ptr[i + 1]), "decreases");
  for (std::size_t e = 0; e < A.col_idx.size(); ++e)
    if (A.col_idx[e] < 0 || A.col_idx[e] >= A.cols)
      bad("csr", ("col_idx[" + std::to_string(e) + "]").c_str(), std::to_string(A.col_idx[e]),
          "outside [0, cols=" + std::to_string(A.cols) + ")");
}

Isa spmm_csr(const CsrMatrix& A, std::int64_t N, const float* B, std::int64_t ldb, float* C, std::int64_t ldc,
             Isa path) {
  // Shape checks only (O(rows)); validate() checks every index.
  if (A.row_ptr.size() != static_cast<std::size_t>(A.rows + 1) || A.col_idx.size() != A.values.size() ||
      A.row_ptr.back() != A.nnz())
    validate(A);  // throws with the reason
  check_dense_operands("spmm_csr", A.cols, A.rows, N, B, ldb, C, ldc);
  const Isa isa = resolve_path(Kernel::spmm_csr, path);
  if (A.rows == 0 || N == 0) return isa;
  const detail::SpmmArgs p{A.rows, N, A.row_ptr.data(), A.col_idx.data(), A.values.data(), B, ldb, C, ldc};
  switch (isa) {
    case Isa::avx512:
      detail::spmm_csr_avx512(p);
      break;
    case Isa::avx2:
      detail::spmm_csr_avx2(p);
      break;
    default:
      detail::spmm_csr_scalar(p);
      break;
  }
  return isa;
}

double spmm_ops(const CsrMatrix& A, std::int64_t N) {
  return 2.0 * static_cast<double>(A.nnz()) * static_cast<double>(N);
}

Sparse24Matrix prune_2_4(const float* A, std::int64_t rows, std::int64_t cols, std::int64_t lda) {
  check_dims("prune_2_4", rows, cols, lda, A);
  if (cols % 4 != 0) bad("prune_2_4", "K", std::to_string(cols), "must be a multiple of 4 for 2:4 sparsity");
  Sparse24Matrix m;
  m.rows = rows;
  m.cols = cols;
  m.values.assign(static_cast<std::size_t>(rows * cols / 2), 0.0f);
  m.meta.assign(static_cast<std::size_t>(rows * m.meta_stride()), 0);
  for (std::int64_t i = 0; i < rows; ++i) {
    const float* row = A + i * lda;
    float* values = m.values.data() + i * (cols / 2);
    std::uint8_t* meta = m.meta.data() + i * m.meta_stride();
    for (std::int64_t g = 0; g < cols / 4; ++g) {
      const float* x = row + 4 * g;
      // the two largest magnitudes, lower offset first on ties
      int first = 0;
      for (int o = 1; o < 4; ++o)
        if (std::fabs(x[o]) > std::fabs(x[first])) first = o;
      int second = first == 0 ? 1 : 0;
      for (int o = 0; o < 4; ++o)
        if (o != first && std::fabs(x[o]) > std::fabs(x[second])) second = o;
      const int lo = std::min(first, second), hi = std::max(first, second);
      values[2 * g] = x[lo];
      values[2 * g + 1] = x[hi];
      meta[g / 2] = static_cast<std::uint8_t>(meta[g / 2] | ((lo | (hi << 2)) << (4 * (g % 2))));
    }
  }
  return m;
}

std::vector<float> to_dense(const Sparse24Matrix& A) {
  std::vector<float> dense(static_cast<std::size_t>(A.rows * A.cols), 0.0f);
  for (std::int64_t i = 0; i < A.rows; ++i)
    for (std::int64_t g = 0; g < A.cols / 4; ++g) {
      const unsigned nibble = (A.meta[static_cast<std::size_t>(i * A.meta_stride() + g / 2)] >> (4 * (g % 2))) & 0xFu;
      for (int h = 0; h < 2; ++h) {
        const std::int64_t col = 4 * g + ((nibble >> (2 * h)) & 3u);
        dense[static_cast<std::size_t>(i * A.cols + col)] +=
            A.values[static_cast<std::size_t>(i * (A.cols / 2) + 2 * g + h)];
      }
    }
  return dense;
}

Isa gemm_sparse24(const Sparse24Matrix& A, std::int64_t N, const float* B, std::int64_t ldb, float* C, std::int64_t ldc,
                  Isa path) {
  if (A.rows < 0) bad("gemm_sparse24", "rows", std::to_string(A.rows), "must be >= 0");
  if (A.cols < 0 || A.cols % 4 != 0)
    bad("gemm_sparse24", "K", std::to_string(A.cols), "must be a non-negative multiple of 4 for 2:4 sparsity");
  if (A.values.size() != static_cast<std::size_t>(A.rows * A.cols / 2))
    bad("gemm_sparse24", "values.size()", std::to_string(A.values.size()),
        "must be rows*K/2=" + std::to_string(A.rows * A.cols / 2));
  if (A.meta.size() != static_cast<std::size_t>(A.rows * A.meta_stride()))
    bad("gemm_sparse24", "meta.size()", std::to_string(A.meta.size()),
        "must be rows*ceil(K/8)=" + std::to_string(A.rows * A.meta_stride()));
  check_dense_operands("gemm_sparse24", A.cols, A.rows, N, B, ldb, C, ldc);
  const Isa isa = resolve_path(Kernel::gemm_sparse24, path);
  if (A.rows == 0 || N == 0) return isa;
  const detail::Sparse24Args p{A.rows, A.cols, N, A.values.data(), A.meta.data(), B, ldb, C, ldc};
  switch (isa) {
    case Isa::avx512:
      detail::gemm_sparse24_avx512(p);
      break;
    case Isa::avx2:
      detail::gemm_sparse24_avx2(p);
      break;
    default:
      detail::gemm_sparse24_scalar(p);
      break;
  }
  return isa;
}

double sparse24_ops(const Sparse24Matrix& A, std::int64_t N) {
  return 2.0 * static_cast<double>(A.rows) * static_cast<double>(A.cols / 2) * static_cast<double>(N);
}

}  // namespace sciperf::kernels::cpu
