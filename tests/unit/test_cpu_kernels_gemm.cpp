// CPU kernels: dense GEMM (fp32, bf16, int8) against the float64 / int64 references, every
// available instruction-set path forced, on edge and odd shapes.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/cpu/gemm.h"
#include "kernels/cpu/reference.h"

namespace sciperf::kernels::cpu {
namespace {

struct Shape {
  std::int64_t m, n, k;
};

std::string describe(const Shape& s, Isa isa) {
  return std::string(isa_name(isa)) + " " + std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.k);
}

// Edges (1x1x1, single rows and columns), primes, sizes just off the micro-tile and block
// sizes of every path (MR 4/6/14, NR 16/32, k-groups of 1/2/4, KC 256-2048 k, MC 84-256,
// NC 1024-2048), and a few random ones.
std::vector<Shape> shapes() {
  std::vector<Shape> s = {{1, 1, 1},     {1, 1, 7},      {1, 17, 1},    {9, 1, 3},    {2, 3, 5},    {13, 17, 19},
                          {14, 32, 16},  {15, 33, 17},   {6, 16, 4},    {7, 15, 3},   {29, 31, 37}, {3, 64, 258},
                          {17, 40, 513}, {61, 67, 1031}, {5, 19, 2053}, {350, 20, 9}, {4, 2100, 6}};
  std::mt19937 rng(42);
  std::uniform_int_distribution<std::int64_t> size(1, 90);
  for (int i = 0; i < 6; ++i) s.push_back({size(rng), size(rng), size(rng)});
  return s;
}

TEST(CpuGemmFp32, MatchesTheFloat64ReferenceOnEveryPath) {
  for (Isa isa : available_paths(Kernel::gemm_fp32)) {
    for (const Shape& s : shapes()) {
      // Leading dimensions larger than the rows, to catch stride mistakes; C's padding must
      // survive untouched.
      const std::int64_t lda = s.k + 3, ldb = s.n + 5, ldc = s.n + 2;
      std::vector<float> A(static_cast<std::size_t>(s.m * lda)), B(static_cast<std::size_t>(s.k * ldb));
      std::vector<float> C(static_cast<std::size_t>(s.m * ldc), -7.0f);
      fill_uniform(A.data(), A.size(), -1.0f, 1.0f, 1);
      fill_uniform(B.data(), B.size(), -1.0f, 1.0f, 2);
      ASSERT_EQ(gemm_fp32(s.m, s.n, s.k, A.data(), lda, B.data(), ldb, C.data(), ldc, isa), isa);
      const CheckResult check = check_gemm(C.data(), ldc, reference_gemm(s.m, s.n, s.k, A.data(), lda, B.data(), ldb));
      EXPECT_TRUE(check.passed) << describe(s, isa) << ": " << check.detail;
      EXPECT_LE(check.max_error_to_bound, 1.0);
      for (std::int64_t i = 0; i < s.m; ++i)
        for (std::int64_t j = s.n; j < ldc; ++j)
          ASSERT_EQ(C[static_cast<std::size_t>(i * ldc + j)], -7.0f) << describe(s, isa);
    }
  }
}

TEST(CpuGemmFp32, ErrorStaysWellInsideTheBoundOnLargeK) {
  // A longer dot product with all-positive terms, where rounding errors do not cancel:
  // the bound must hold, and it must not be so loose that it hides a wrong tile (the
  // error is a visible fraction of it).
  const Shape s{20, 40, 4000};
  std::vector<float> A(static_cast<std::size_t>(s.m * s.k)), B(static_cast<std::size_t>(s.k * s.n)),
      C(static_cast<std::size_t>(s.m * s.n));
  fill_uniform(A.data(), A.size(), 0.0f, 1.0f, 3);
  fill_uniform(B.data(), B.size(), 0.0f, 1.0f, 4);
  for (Isa isa : available_paths(Kernel::gemm_fp32)) {
    gemm_fp32(s.m, s.n, s.k, A.data(), s.k, B.data(), s.n, C.data(), s.n, isa);
    const CheckResult check = check_gemm(C.data(), s.n, reference_gemm(s.m, s.n, s.k, A.data(), s.k, B.data(), s.n));
    EXPECT_TRUE(check.passed) << describe(s, isa) << ": " << check.detail;
    EXPECT_GT(check.max_error, 0.0);  // the float32 result really was rounded
  }
}

TEST(CpuGemmFp32, DetectsAWrongResult) {
  const Shape s{5, 6, 7};
  std::vector<float> A(35), B(42), C(30);
  fill_uniform(A.data(), A.size(), -1.0f, 1.0f, 5);
  fill_uniform(B.data(), B.size(), -1.0f, 1.0f, 6);
  gemm_fp32(s.m, s.n, s.k, A.data(), s.k, B.data(), s.n, C.data(), s.n);
  C[13] += 1e-3f;
  const CheckResult check = check_gemm(C.data(), s.n, reference_gemm(s.m, s.n, s.k, A.data(), s.k, B.data(), s.n));
  EXPECT_FALSE(check.passed);
  EXPECT_EQ(check.mismatches, 1);
  EXPECT_NE(check.detail.find("(2, 1)"), std::string::npos) << check.detail;
}

TEST(CpuGemmFp32, EmptyAndZeroDepthProducts) {
  std::vector<float> C(6, 5.0f);
  float dummy = 1;
  for (Isa isa : available_paths(Kernel::gemm_fp32)) {
    std::fill(C.begin(), C.end(), 5.0f);
    gemm_fp32(2, 3, 0, &dummy, 0, &dummy, 3, C.data(), 3, isa);  // K = 0: C = 0
    for (float c : C) EXPECT_EQ(c, 0.0f);
    std::fill(C.begin(), C.end(), 5.0f);
    gemm_fp32(0, 3, 4, nullptr, 4, &dummy, 3, C.data(), 3, isa);  // nothing to do
    gemm_fp32(2, 0, 4, &dummy, 4, nullptr, 0, C.data(), 0, isa);
    for (float c : C) EXPECT_EQ(c, 5.0f);
  }
}

TEST(CpuGemmFp32, BadShapesNameTheParameter) {
  std::vector<float> x(64);
  auto message = [&](auto call) {
    try {
      call();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  EXPECT_NE(message([&] { gemm_fp32(-1, 2, 2, x.data(), 2, x.data(), 2, x.data(), 2); }).find("M=-1"),
            std::string::npos);
  EXPECT_NE(message([&] { gemm_fp32(2, 2, -3, x.data(), 2, x.data(), 2, x.data(), 2); }).find("K=-3"),
            std::string::npos);
  EXPECT_NE(message([&] { gemm_fp32(2, 4, 3, x.data(), 2, x.data(), 4, x.data(), 4); }).find("lda=2"),
            std::string::npos);
  EXPECT_NE(message([&] { gemm_fp32(2, 4, 3, x.data(), 3, x.data(), 3, x.data(), 4); }).find("ldb=3"),
            std::string::npos);
  EXPECT_NE(message([&] { gemm_fp32(2, 4, 3, x.data(), 3, x.data(), 4, x.data(), 1); }).find("ldc=1"),
            std::string::npos);
  EXPECT_NE(message([&] { gemm_fp32(2, 4, 3, nullptr, 3, x.data(), 4, x.data(), 4); }).find("A is null"),
            std::string::npos);
}

TEST(CpuBf16, ConversionRoundsToNearestEven) {
  EXPECT_EQ(to_bf16(1.0f).bits, 0x3f80);
  EXPECT_EQ(to_bf16(-2.0f).bits, 0xc000);
  EXPECT_EQ(to_bf16(1.0f + 0x1p-8f).bits, 0x3f80);             // halfway, down to even
  EXPECT_EQ(to_bf16(1.0f + 3 * 0x1p-8f).bits, 0x3f82);         // halfway, up to even
  EXPECT_EQ(to_bf16(1.0f + 0x1p-8f + 0x1p-20f).bits, 0x3f81);  // above halfway
  EXPECT_EQ(to_float(to_bf16(std::numeric_limits<float>::infinity())), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(to_float(to_bf16(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_EQ(to_float(Bf16{0x3f80}), 1.0f);
}

TEST(CpuGemmBf16, MatchesTheFloat64ReferenceOnEveryPath) {
  for (Isa isa : available_paths(Kernel::gemm_bf16)) {
    for (const Shape& s : shapes()) {
      const std::int64_t lda = s.k + 1, ldb = s.n + 3, ldc = s.n + 1;
      std::vector<Bf16> A(static_cast<std::size_t>(s.m * lda)), B(static_cast<std::size_t>(s.k * ldb));
      std::vector<float> C(static_cast<std::size_t>(s.m * ldc), -7.0f);
      fill_uniform(A.data(), A.size(), -1.0f, 1.0f, 7);
      fill_uniform(B.data(), B.size(), -1.0f, 1.0f, 8);
      ASSERT_EQ(gemm_bf16(s.m, s.n, s.k, A.data(), lda, B.data(), ldb, C.data(), ldc, isa), isa);
      const CheckResult check = check_gemm(C.data(), ldc, reference_gemm(s.m, s.n, s.k, A.data(), lda, B.data(), ldb));
      EXPECT_TRUE(check.passed) << describe(s, isa) << ": " << check.detail;
      for (std::int64_t i = 0; i < s.m; ++i)
        for (std::int64_t j = s.n; j < ldc; ++j) ASSERT_EQ(C[static_cast<std::size_t>(i * ldc + j)], -7.0f);
    }
  }
}

TEST(CpuGemmInt8, IsExactOnEveryPath) {
  for (Isa isa : available_paths(Kernel::gemm_int8)) {
    for (const Shape& s : shapes()) {
      const std::int64_t lda = s.k + 2, ldb = s.n + 1, ldc = s.n + 3;
      std::vector<std::uint8_t> A(static_cast<std::size_t>(s.m * lda));
      std::vector<std::int8_t> B(static_cast<std::size_t>(s.k * ldb));
      std::vector<std::int32_t> C(static_cast<std::size_t>(s.m * ldc), -7);
      fill_uniform(A.data(), A.size(), 9);
      fill_uniform(B.data(), B.size(), 10);
      ASSERT_EQ(gemm_u8s8s32(s.m, s.n, s.k, A.data(), lda, B.data(), ldb, C.data(), ldc, isa), isa);
      const CheckResult check =
          check_gemm(C.data(), ldc, s.m, s.n, reference_gemm(s.m, s.n, s.k, A.data(), lda, B.data(), ldb));
      EXPECT_TRUE(check.passed) << describe(s, isa) << ": " << check.detail;
      for (std::int64_t i = 0; i < s.m; ++i)
        for (std::int64_t j = s.n; j < ldc; ++j) ASSERT_EQ(C[static_cast<std::size_t>(i * ldc + j)], -7);
    }
  }
}

TEST(CpuGemmInt8, ExtremeValuesDoNotSaturate) {
  // 255 x -128 and 255 x 127 in every pair: a kernel with int16 pair sums (vpmaddubsw)
  // would saturate here.
  const Shape s{5, 35, 1001};
  std::vector<std::uint8_t> A(static_cast<std::size_t>(s.m * s.k), 255);
  std::vector<std::int8_t> B(static_cast<std::size_t>(s.k * s.n));
  for (std::size_t i = 0; i < B.size(); ++i) B[i] = (i / s.n) % 3 == 0 ? 127 : -128;
  std::vector<std::int32_t> C(static_cast<std::size_t>(s.m * s.n));
  for (Isa isa : available_paths(Kernel::gemm_int8)) {
    gemm_u8s8s32(s.m, s.n, s.k, A.data(), s.k, B.data(), s.n, C.data(), s.n, isa);
    const CheckResult check =
        check_gemm(C.data(), s.n, s.m, s.n, reference_gemm(s.m, s.n, s.k, A.data(), s.k, B.data(), s.n));
    EXPECT_TRUE(check.passed) << isa_name(isa) << ": " << check.detail;
  }
}

TEST(CpuGemmInt8, DepthThatCouldOverflowIsRefused) {
  std::uint8_t a = 0;
  std::int8_t b = 0;
  std::int32_t c = 0;
  try {
    gemm_u8s8s32(1, 1, kGemmInt8MaxK + 1, &a, kGemmInt8MaxK + 1, &b, 1, &c, 1);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("K=" + std::to_string(kGemmInt8MaxK + 1)), std::string::npos) << e.what();
  }
}

TEST(CpuGemmPackedB, SameResultBitForBitOnEveryPath) {
  for (const Shape& s : shapes()) {
    const std::int64_t lda = s.k + 1, ldb = s.n + 2, ldc = s.n;
    std::vector<float> A(static_cast<std::size_t>(s.m * lda)), B(static_cast<std::size_t>(s.k * ldb));
    std::vector<float> C1(static_cast<std::size_t>(s.m * ldc)), C2(C1.size());
    fill_uniform(A.data(), A.size(), -1.0f, 1.0f, 21);
    fill_uniform(B.data(), B.size(), -1.0f, 1.0f, 22);
    std::vector<Bf16> A16(A.size()), B16(B.size());
    to_bf16(A.data(), A16.data(), A.size());
    to_bf16(B.data(), B16.data(), B.size());
    std::vector<std::uint8_t> A8(A.size());
    std::vector<std::int8_t> B8(B.size());
    fill_uniform(A8.data(), A8.size(), 23);
    fill_uniform(B8.data(), B8.size(), 24);
    std::vector<std::int32_t> I1(C1.size()), I2(C1.size());
    for (Isa isa : available_paths(Kernel::gemm_fp32)) {
      const PackedB packed = pack_b_fp32(s.k, s.n, B.data(), ldb, isa);
      EXPECT_EQ(packed.path(), isa);
      gemm_fp32(s.m, s.n, s.k, A.data(), lda, B.data(), ldb, C1.data(), ldc, isa);
      EXPECT_EQ(gemm_fp32(s.m, A.data(), lda, packed, C2.data(), ldc), isa);
      EXPECT_EQ(C1, C2) << describe(s, isa);
    }
    for (Isa isa : available_paths(Kernel::gemm_bf16)) {
      const PackedB packed = pack_b_bf16(s.k, s.n, B16.data(), ldb, isa);
      gemm_bf16(s.m, s.n, s.k, A16.data(), lda, B16.data(), ldb, C1.data(), ldc, isa);
      EXPECT_EQ(gemm_bf16(s.m, A16.data(), lda, packed, C2.data(), ldc), isa);
      EXPECT_EQ(C1, C2) << describe(s, isa);
    }
    for (Isa isa : available_paths(Kernel::gemm_int8)) {
      const PackedB packed = pack_b_s8(s.k, s.n, B8.data(), ldb, isa);
      gemm_u8s8s32(s.m, s.n, s.k, A8.data(), lda, B8.data(), ldb, I1.data(), ldc, isa);
      EXPECT_EQ(gemm_u8s8s32(s.m, A8.data(), lda, packed, I2.data(), ldc), isa);
      EXPECT_EQ(I1, I2) << describe(s, isa);
    }
  }
}

TEST(CpuGemmPackedB, PackedForAnotherKernelIsRefused) {
  std::vector<std::int8_t> B(12, 1);
  const PackedB packed = pack_b_s8(3, 4, B.data(), 4);
  const PackedB copy = packed;  // shares the packed storage
  EXPECT_EQ(copy.data(), packed.data());
  EXPECT_EQ(copy.k(), 3);
  EXPECT_EQ(copy.n(), 4);
  std::vector<float> A(6), C(8);
  try {
    gemm_fp32(2, A.data(), 3, packed, C.data(), 4);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("gemm_int8"), std::string::npos) << e.what();
  }
  std::vector<std::uint8_t> A8(6, 1);
  std::vector<std::int32_t> C32(8);
  EXPECT_THROW(gemm_u8s8s32(2, A8.data(), 2, packed, C32.data(), 4), std::invalid_argument);  // lda < K
  gemm_u8s8s32(2, A8.data(), 3, packed, C32.data(), 4);
  for (std::int32_t c : C32) EXPECT_EQ(c, 3);
}

}  // namespace
}  // namespace sciperf::kernels::cpu
