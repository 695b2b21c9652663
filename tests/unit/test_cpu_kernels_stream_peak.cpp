// CPU kernels: STREAM against its float64 definition, and the peak multiply-add loops, on
// every available path.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernels/cpu/peak.h"
#include "kernels/cpu/reference.h"
#include "kernels/cpu/stream.h"

namespace sciperf::kernels::cpu {
namespace {

TEST(CpuStream, EveryKernelOnEveryPathMatchesItsDefinition) {
  const double q = 3.0;
  // Lengths around the vector widths and the two-vector unroll, and an unaligned start.
  for (std::size_t n : {0u, 1u, 7u, 8u, 15u, 16u, 17u, 33u, 1000u, 1027u}) {
    for (Isa isa : available_paths(Kernel::stream)) {
      std::vector<double> a0(n + 1), b0(n + 1), c0(n + 1);
      fill_uniform(a0.data(), a0.size(), -1.0, 1.0, 1);
      fill_uniform(b0.data(), b0.size(), -1.0, 1.0, 2);
      fill_uniform(c0.data(), c0.size(), -1.0, 1.0, 3);
      std::vector<double> a = a0, b = b0, c = c0;
      double* pa = a.data() + 1;  // 8-byte aligned only
      double* pb = b.data() + 1;
      double* pc = c.data() + 1;

      EXPECT_EQ(stream_copy(pa, pc, n, isa), isa);
      CheckResult check = check_stream(StreamKernel::copy, pc, pa, nullptr, q, n);
      EXPECT_TRUE(check.passed) << isa_name(isa) << " copy n=" << n << ": " << check.detail;
      EXPECT_EQ(check.max_error, 0.0);

      EXPECT_EQ(stream_scale(pb, pc, q, n, isa), isa);
      check = check_stream(StreamKernel::scale, pb, pc, nullptr, q, n);
      EXPECT_TRUE(check.passed) << isa_name(isa) << " scale n=" << n << ": " << check.detail;

      EXPECT_EQ(stream_add(pa, pb, pc, n, isa), isa);
      check = check_stream(StreamKernel::add, pc, pa, pb, q, n);
      EXPECT_TRUE(check.passed) << isa_name(isa) << " add n=" << n << ": " << check.detail;

      const std::vector<double> before = a;
      EXPECT_EQ(stream_triad(pa, pb, pc, q, n, isa), isa);
      check = check_stream(StreamKernel::triad, pa, pb, pc, q, n);
      EXPECT_TRUE(check.passed) << isa_name(isa) << " triad n=" << n << ": " << check.detail;
      EXPECT_EQ(a[0], before[0]);  // nothing written before the start
    }
  }
}

TEST(CpuStream, BytesCountedAsStreamDoes) {
  EXPECT_EQ(stream_bytes(StreamKernel::copy, 10), 160.0);
  EXPECT_EQ(stream_bytes(StreamKernel::scale, 10), 160.0);
  EXPECT_EQ(stream_bytes(StreamKernel::add, 10), 240.0);
  EXPECT_EQ(stream_bytes(StreamKernel::triad, 10), 240.0);
  EXPECT_THROW(stream_triad(nullptr, nullptr, nullptr, 1.0, 5), std::invalid_argument);
}

TEST(CpuPeak, EveryAvailablePathRunsAndCountsItsOperations) {
  for (Precision precision : {Precision::fp32, Precision::fp64, Precision::bf16, Precision::int8}) {
    for (Isa isa : available_paths(peak_kernel(precision))) {
      const PeakRun one = peak_fma(precision, 1000, isa);
      const PeakRun two = peak_fma(precision, 2000, isa);
      EXPECT_EQ(one.path, isa);
      EXPECT_GT(one.ops, 0.0) << precision_name(precision) << " " << isa_name(isa);
      EXPECT_DOUBLE_EQ(two.ops, 2 * one.ops);
      EXPECT_TRUE(std::isfinite(one.checksum)) << precision_name(precision) << " " << isa_name(isa);
    }
  }
  // Operations per round follow from the vector width: fp32 on AVX-512 does 16 lanes x 2.
  if (!missing_features(Isa::avx512).empty()) GTEST_SKIP() << "no AVX-512";
  EXPECT_EQ(static_cast<long long>(peak_fma(Precision::fp32, 1, Isa::avx512).ops) % 32, 0);
}

TEST(CpuPeak, ZeroIterationsIsRefused) { EXPECT_THROW(peak_fma(Precision::fp32, 0), std::invalid_argument); }

}  // namespace
}  // namespace sciperf::kernels::cpu
