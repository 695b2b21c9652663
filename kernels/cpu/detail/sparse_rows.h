// The row walk shared by the sparse x dense paths: C[i, :] = sum over the row's entries e of
// value(e) * B[col(e), :]. An entry list gives count(), and col(e) / value(e) for e < count();
// CSR reads both from arrays, 2:4 decodes the column from its metadata nibble. Each path's
// translation unit supplies `update_row` (its vector width) and instantiates these in its
// own anonymous namespace (see gemm_blocked.h for why).
#pragma once

#include <cstdint>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu::detail {
namespace {

struct CsrRow {
  const std::int32_t* cols;
  const float* values;
  std::int64_t n;
  std::int64_t count() const { return n; }
  std::int64_t col(std::int64_t e) const { return cols[e]; }
  float value(std::int64_t e) const { return values[e]; }
};

struct Sparse24Row {
  const std::uint8_t* meta;
  const float* values;
  std::int64_t n;  // cols / 2
  std::int64_t count() const { return n; }
  std::int64_t col(std::int64_t e) const {
    const std::int64_t group = e >> 1;
    const unsigned nibble = (meta[group >> 1] >> (4 * (group & 1))) & 0xFu;
    return 4 * group + ((nibble >> (2 * (e & 1))) & 3u);
  }
  float value(std::int64_t e) const { return values[e]; }
};

// Row by row, all of N at once: the rows of B that a row's nonzeros pick are read from L2
// (or further) per nonzero, which bounds these kernels (about 19 cycles per nonzero and
// 128 columns at 1024 x 1024 x 512; taking the columns in L2-sized slabs did not help).
template <class UpdateRow>
void spmm_rows(const SpmmArgs& p, UpdateRow update_row) {
  for (std::int64_t i = 0; i < p.rows; ++i) {
    const std::int64_t begin = p.row_ptr[i];
    const CsrRow row{p.cols + begin, p.values + begin, p.row_ptr[i + 1] - begin};
    update_row(row, p.b, p.ldb, p.n, p.c + i * p.ldc);
  }
}

template <class UpdateRow>
void sparse24_rows(const Sparse24Args& p, UpdateRow update_row) {
  const std::int64_t half = p.cols / 2;
  const std::int64_t meta_stride = (p.cols / 4 + 1) / 2;
  for (std::int64_t i = 0; i < p.rows; ++i) {
    const Sparse24Row row{p.meta + i * meta_stride, p.values + i * half, half};
    update_row(row, p.b, p.ldb, p.n, p.c + i * p.ldc);
  }
}

}  // namespace
}  // namespace sciperf::kernels::cpu::detail
