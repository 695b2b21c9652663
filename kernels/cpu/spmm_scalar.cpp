// Portable sparse x dense paths (CSR and 2:4): the row walk with plain loops over N.
#include "kernels/cpu/detail/sparse_rows.h"

namespace sciperf::kernels::cpu::detail {
namespace {

struct UpdateRow {
  template <class Row>
  void operator()(const Row& row, const float* B, std::int64_t ldb, std::int64_t n, float* c) const {
    for (std::int64_t j = 0; j < n; ++j) c[j] = 0.0f;
    for (std::int64_t e = 0; e < row.count(); ++e) {
      const float v = row.value(e);
      const float* b = B + row.col(e) * ldb;
      for (std::int64_t j = 0; j < n; ++j) c[j] += v * b[j];
    }
  }
};

}  // namespace

void spmm_csr_scalar(const SpmmArgs& p) { spmm_rows(p, UpdateRow{}); }
void gemm_sparse24_scalar(const Sparse24Args& p) { sparse24_rows(p, UpdateRow{}); }

}  // namespace sciperf::kernels::cpu::detail
