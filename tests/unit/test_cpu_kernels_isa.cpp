// CPU kernels: instruction-set detection, path lists and forced paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "kernels/cpu/gemm.h"
#include "kernels/cpu/isa.h"
#include "kernels/cpu/peak.h"

namespace sciperf::kernels::cpu {
namespace {

const Kernel kAllKernels[] = {Kernel::gemm_fp32,     Kernel::gemm_bf16, Kernel::gemm_int8, Kernel::spmm_csr,
                              Kernel::gemm_sparse24, Kernel::stream,    Kernel::peak_fp32, Kernel::peak_fp64,
                              Kernel::peak_bf16,     Kernel::peak_int8};

CpuFeatures avx512_without_bf16() {
  CpuFeatures f;
  f.avx2 = f.fma = f.avx512f = f.avx512bw = f.avx512vl = f.avx512_vnni = true;
  return f;
}

TEST(CpuIsa, NamesRoundTrip) {
  for (Isa isa :
       {Isa::automatic, Isa::scalar, Isa::avx2, Isa::avx512, Isa::avx512_bf16, Isa::avx_vnni, Isa::avx512_vnni})
    EXPECT_EQ(parse_isa(isa_name(isa)), isa);
  try {
    parse_isa("sse9");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("sse9"), std::string::npos);
  }
}

TEST(CpuIsa, MissingFeaturesAreNamedAsVendorsSpellThem) {
  const CpuFeatures none;
  EXPECT_EQ(missing_features(Isa::scalar, none), "");
  EXPECT_EQ(missing_features(Isa::avx2, none), "AVX2 FMA");
  EXPECT_EQ(missing_features(Isa::avx512_bf16, avx512_without_bf16()), "AVX512_BF16");
  EXPECT_EQ(missing_features(Isa::avx_vnni, avx512_without_bf16()), "AVX_VNNI");
  EXPECT_EQ(missing_features(Isa::avx512_vnni, avx512_without_bf16()), "");
}

TEST(CpuIsa, ForcingAPathTheCpuLacksIsAClearSkipNotACrash) {
  try {
    resolve_path(Kernel::gemm_bf16, Isa::avx512_bf16, avx512_without_bf16());
    FAIL() << "no exception";
  } catch (const IsaUnavailable& e) {
    EXPECT_STREQ(e.what(), "skipped: no AVX512_BF16");
    EXPECT_EQ(e.isa(), Isa::avx512_bf16);
  }
  // A CPU without any vector extension: the automatic choice is the portable path, and
  // kernels without one say what they would need.
  const CpuFeatures none;
  EXPECT_EQ(resolve_path(Kernel::gemm_fp32, Isa::automatic, none), Isa::scalar);
  EXPECT_EQ(resolve_path(Kernel::gemm_int8, Isa::automatic, none), Isa::scalar);
  EXPECT_THROW(resolve_path(Kernel::peak_bf16, Isa::automatic, none), IsaUnavailable);
  EXPECT_TRUE(available_paths(Kernel::peak_bf16, none).empty());
  EXPECT_EQ(resolve_path(Kernel::gemm_bf16, Isa::automatic, avx512_without_bf16()), Isa::avx512);
}

TEST(CpuIsa, APathAKernelDoesNotImplementIsAnInvalidArgument) {
  try {
    resolve_path(Kernel::gemm_fp32, Isa::avx512_vnni);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("gemm_fp32"), std::string::npos);
    EXPECT_NE(what.find("avx512_vnni"), std::string::npos);
  }
  EXPECT_THROW(peak_fma(Precision::bf16, 1, Isa::scalar), std::invalid_argument);
}

TEST(CpuIsa, AvailablePathsAreImplementedRunnableAndBestFirst) {
  for (Kernel kernel : kAllKernels) {
    const std::vector<Isa> implemented = implemented_paths(kernel);
    const std::vector<Isa> available = available_paths(kernel);
    ASSERT_FALSE(implemented.empty()) << kernel_name(kernel);
    for (Isa isa : available) {
      EXPECT_NE(std::find(implemented.begin(), implemented.end(), isa), implemented.end());
      EXPECT_EQ(missing_features(isa), "");
      EXPECT_EQ(resolve_path(kernel, isa), isa);
    }
    if (!available.empty()) {
      EXPECT_EQ(resolve_path(kernel, Isa::automatic), available.front()) << kernel_name(kernel);
    }
    // Every implemented path the CPU lacks is refused with the skip message.
    for (Isa isa : implemented)
      if (!missing_features(isa).empty()) {
        EXPECT_THROW(resolve_path(kernel, isa), IsaUnavailable) << isa_name(isa);
      }
  }
}

TEST(CpuIsa, KernelCallsReportThePathThatRan) {
  float a = 2, b = 3, c = 0;
  for (Isa isa : available_paths(Kernel::gemm_fp32)) {
    EXPECT_EQ(gemm_fp32(1, 1, 1, &a, 1, &b, 1, &c, 1, isa), isa);
    EXPECT_EQ(c, 6.0f);
  }
  EXPECT_EQ(gemm_fp32(1, 1, 1, &a, 1, &b, 1, &c, 1), available_paths(Kernel::gemm_fp32).front());
  // A forced path the CPU lacks throws from the kernel call too.
  for (Isa isa : implemented_paths(Kernel::gemm_int8))
    if (!missing_features(isa).empty()) {
      std::uint8_t ua = 1;
      std::int8_t sb = 1;
      std::int32_t ic = 0;
      EXPECT_THROW(gemm_u8s8s32(1, 1, 1, &ua, 1, &sb, 1, &ic, 1, isa), IsaUnavailable);
    }
}

TEST(CpuIsa, DetectionIsConsistent) {
  const CpuFeatures& f = cpu_features();
  // AVX-512 implies the 256-bit features on every CPU that has it.
  if (f.avx512f) {
    EXPECT_TRUE(f.avx2 && f.fma);
  }
  if (f.avx512_vnni || f.avx512_bf16) {
    EXPECT_TRUE(f.avx512f);
  }
  EXPECT_EQ(&cpu_features(), &f);  // detected once
}

}  // namespace
}  // namespace sciperf::kernels::cpu
