// Peak multiply-add rate of one core per precision: independent chains of vector
// multiply-adds (more chains than latency x issue width, so the FMA pipes never wait),
// nothing else in the loop. Time a call to get the ceiling in ops/s; `ops` counts a
// multiply-add as two operations, as GEMM GFLOP/s do.
//
//   fp32 / fp64: vfmadd231ps / pd   (avx512, avx2, scalar)
//   bf16:        vdpbf16ps          (avx512_bf16 only: 32 multiply-adds per instruction)
//   int8:        vpdpbusd           (avx512_vnni, avx_vnni; avx2 uses vpmaddwd + vpaddd on
//                                    int16, i.e. what the avx2 int8 GEMM runs)
#pragma once

#include <cstdint>
#include <string_view>

#include "kernels/cpu/isa.h"

namespace sciperf::kernels::cpu {

enum class Precision { fp32, fp64, bf16, int8 };
std::string_view precision_name(Precision precision);
Kernel peak_kernel(Precision precision);

struct PeakRun {
  Isa path = Isa::automatic;  // the path that ran
  double ops = 0;             // operations executed
  double checksum = 0;        // derived from every accumulator; keeps the work observable
};

// `iterations` >= 1 rounds of the chains (each round is a few hundred operations); throws
// std::invalid_argument for 0, IsaUnavailable for a path the CPU lacks.
PeakRun peak_fma(Precision precision, std::uint64_t iterations, Isa path = Isa::automatic);

}  // namespace sciperf::kernels::cpu
