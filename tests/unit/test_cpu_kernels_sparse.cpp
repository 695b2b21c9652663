// CPU kernels: CSR SpMM and 2:4 structured-sparse GEMM against the float64 reference on
// every available path; the sparse builders achieve what they promise; bad input is named.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "kernels/cpu/reference.h"
#include "kernels/cpu/sparse.h"

namespace sciperf::kernels::cpu {
namespace {

template <class Call>
std::string invalid_argument_message(Call call) {
  try {
    call();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}

TEST(CpuCsr, RandomMatrixAchievesTheRequestedSparsity) {
  for (double sparsity : {0.05, 0.5, 0.75, 0.9, 0.99}) {
    const CsrMatrix A = random_csr(200, 300, sparsity, 11);
    EXPECT_NO_THROW(validate(A));
    // 60000 independent entries: the standard deviation of the achieved sparsity is < 0.0021.
    EXPECT_NEAR(A.sparsity(), sparsity, 0.01) << sparsity;
    for (float v : A.values) EXPECT_GE(std::fabs(v), 0.5f);
    for (std::int64_t i = 0; i < A.rows; ++i)
      for (std::int64_t e = A.row_ptr[i] + 1; e < A.row_ptr[i + 1]; ++e) ASSERT_LT(A.col_idx[e - 1], A.col_idx[e]);
  }
}

TEST(CpuCsr, MagnitudePruningKeepsExactlyTheLargest) {
  const std::int64_t rows = 37, cols = 53;
  std::vector<float> dense(static_cast<std::size_t>(rows * cols));
  fill_uniform(dense.data(), dense.size(), -1.0f, 1.0f, 12);
  for (double sparsity : {0.5, 0.75, 0.9, 0.95}) {
    const CsrMatrix A = prune_magnitude(dense.data(), rows, cols, cols, sparsity);
    EXPECT_EQ(A.nnz(), std::llround((1 - sparsity) * rows * cols)) << sparsity;
    const std::vector<float> kept = to_dense(A);
    float smallest_kept = INFINITY, largest_dropped = 0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (kept[i] != 0.0f) {
        EXPECT_EQ(kept[i], dense[i]);
        smallest_kept = std::min(smallest_kept, std::fabs(kept[i]));
      } else {
        largest_dropped = std::max(largest_dropped, std::fabs(dense[i]));
      }
    }
    EXPECT_GE(smallest_kept, largest_dropped) << sparsity;
  }
}

TEST(CpuCsr, DenseRoundTrip) {
  std::vector<float> dense = {0, 1.5f, 0, 0, -2, 0, 0, 0, 0, 3, 0, 0};
  const CsrMatrix A = csr_from_dense(dense.data(), 3, 4, 4);
  EXPECT_EQ(A.nnz(), 3);
  EXPECT_EQ(to_dense(A), dense);
  EXPECT_DOUBLE_EQ(A.sparsity(), 0.75);
}

TEST(CpuCsr, SparsityOutsideZeroOneIsRefused) {
  std::vector<float> dense(12, 1.0f);
  for (double bad : {0.0, 1.0, -0.25, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_NE(invalid_argument_message([&] { random_csr(3, 4, bad, 1); }).find("sparsity="), std::string::npos) << bad;
    EXPECT_NE(invalid_argument_message([&] { prune_magnitude(dense.data(), 3, 4, 4, bad); }).find("sparsity="),
              std::string::npos);
  }
  EXPECT_NE(invalid_argument_message([&] { random_csr(3, 4, 1.5, 1); }).find("sparsity=1.5"), std::string::npos);
}

TEST(CpuCsr, InvalidStructureIsNamed) {
  CsrMatrix A = random_csr(4, 5, 0.5, 13);
  A.col_idx.push_back(7);
  A.values.push_back(1.0f);
  A.row_ptr.back() += 1;
  EXPECT_NE(invalid_argument_message([&] { validate(A); }).find("col_idx["), std::string::npos);
  CsrMatrix B = random_csr(4, 5, 0.5, 13);
  B.row_ptr.pop_back();
  std::vector<float> x(100), y(100);
  EXPECT_NE(invalid_argument_message([&] { spmm_csr(B, 3, x.data(), 3, y.data(), 3); }).find("row_ptr.size()"),
            std::string::npos);
}

TEST(CpuSpmmCsr, MatchesTheFloat64ReferenceOnEveryPath) {
  struct Case {
    std::int64_t m, k, n;
    double sparsity;
  };
  // N around the vector widths (8, 16) and the 64/128-column register blocks; very sparse
  // matrices have empty rows.
  const Case cases[] = {{1, 1, 1, 0.5},     {7, 9, 15, 0.5},   {10, 20, 16, 0.3},  {13, 11, 17, 0.9},
                        {30, 40, 63, 0.75}, {20, 30, 64, 0.5}, {21, 33, 129, 0.6}, {40, 50, 130, 0.95},
                        {5, 300, 257, 0.5}, {64, 64, 1, 0.99}};
  for (Isa isa : available_paths(Kernel::spmm_csr)) {
    for (const Case& c : cases) {
      const CsrMatrix A = random_csr(c.m, c.k, c.sparsity, 14);
      const std::int64_t ldb = c.n + 2, ldc = c.n + 1;
      std::vector<float> B(static_cast<std::size_t>(c.k * ldb)), C(static_cast<std::size_t>(c.m * ldc), -7.0f);
      fill_uniform(B.data(), B.size(), -1.0f, 1.0f, 15);
      ASSERT_EQ(spmm_csr(A, c.n, B.data(), ldb, C.data(), ldc, isa), isa);
      const CheckResult check = check_gemm(C.data(), ldc, reference_spmm(A, c.n, B.data(), ldb));
      EXPECT_TRUE(check.passed) << isa_name(isa) << " " << c.m << "x" << c.k << "x" << c.n << ": " << check.detail;
      for (std::int64_t i = 0; i < c.m; ++i) ASSERT_EQ(C[static_cast<std::size_t>(i * ldc + c.n)], -7.0f);
    }
  }
}

TEST(CpuSparse24, PruningKeepsTheTwoLargestOfEveryFour) {
  const std::int64_t rows = 9, cols = 20;  // 5 groups per row: an odd count, half a metadata byte
  std::vector<float> dense(static_cast<std::size_t>(rows * cols));
  fill_uniform(dense.data(), dense.size(), -1.0f, 1.0f, 16);
  const Sparse24Matrix A = prune_2_4(dense.data(), rows, cols, cols);
  EXPECT_EQ(A.values.size(), static_cast<std::size_t>(rows * cols / 2));
  EXPECT_EQ(A.meta.size(), static_cast<std::size_t>(rows * 3));
  const std::vector<float> kept = to_dense(A);
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t g = 0; g < cols / 4; ++g) {
      int nonzeros = 0;
      float smallest_kept = INFINITY, largest_dropped = 0;
      for (int o = 0; o < 4; ++o) {
        const std::size_t at = static_cast<std::size_t>(i * cols + 4 * g + o);
        if (kept[at] != 0.0f) {
          ++nonzeros;
          EXPECT_EQ(kept[at], dense[at]);
          smallest_kept = std::min(smallest_kept, std::fabs(kept[at]));
        } else {
          largest_dropped = std::max(largest_dropped, std::fabs(dense[at]));
        }
      }
      EXPECT_EQ(nonzeros, 2);
      EXPECT_GE(smallest_kept, largest_dropped);
    }
}

TEST(CpuSparse24, KNotAMultipleOfFourIsRefused) {
  std::vector<float> dense(24, 1.0f);
  EXPECT_NE(invalid_argument_message([&] { prune_2_4(dense.data(), 4, 6, 6); }).find("K=6"), std::string::npos);
  Sparse24Matrix A;
  A.rows = 1;
  A.cols = 6;
  EXPECT_NE(invalid_argument_message([&] { gemm_sparse24(A, 2, dense.data(), 2, dense.data(), 2); }).find("K=6"),
            std::string::npos);
}

TEST(CpuSparse24, MatchesTheFloat64ReferenceOnEveryPath) {
  struct Case {
    std::int64_t m, k, n;
  };
  const Case cases[] = {{1, 4, 1}, {3, 8, 15}, {5, 12, 17}, {17, 36, 64}, {9, 100, 129}, {33, 64, 200}};
  for (Isa isa : available_paths(Kernel::gemm_sparse24)) {
    for (const Case& c : cases) {
      std::vector<float> dense(static_cast<std::size_t>(c.m * c.k));
      fill_uniform(dense.data(), dense.size(), -1.0f, 1.0f, 17);
      const Sparse24Matrix A = prune_2_4(dense.data(), c.m, c.k, c.k);
      const std::int64_t ldb = c.n + 3, ldc = c.n + 2;
      std::vector<float> B(static_cast<std::size_t>(c.k * ldb)), C(static_cast<std::size_t>(c.m * ldc), -7.0f);
      fill_uniform(B.data(), B.size(), -1.0f, 1.0f, 18);
      ASSERT_EQ(gemm_sparse24(A, c.n, B.data(), ldb, C.data(), ldc, isa), isa);
      const CheckResult check = check_gemm(C.data(), ldc, reference_gemm(A, c.n, B.data(), ldb));
      EXPECT_TRUE(check.passed) << isa_name(isa) << " " << c.m << "x" << c.k << "x" << c.n << ": " << check.detail;
      for (std::int64_t i = 0; i < c.m; ++i) ASSERT_EQ(C[static_cast<std::size_t>(i * ldc + c.n)], -7.0f);
    }
  }
}

}  // namespace
}  // namespace sciperf::kernels::cpu
