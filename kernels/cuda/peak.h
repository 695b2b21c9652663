// Peak multiply-add rate of the current device's CUDA cores per precision: every thread of a
// grid that fills all multiprocessors runs independent chains of one instruction, nothing else
// in the loop. Time a launch to get the ceiling; `ops` counts a multiply-add as two, as GEMM
// GFLOP/s do.
//
//   fp32: fmaf                 (2 operations per thread and instruction)
//   fp16: __hfma2 on half2     (4: two lanes)
//   bf16: __hfma2 on bfloat162 (4)
//   int8: __dp4a               (8: four multiply-adds of signed bytes into int32)
//
// These are the SIMT ceilings; tensor cores (which the fp16, bf16 and int8 GEMMs use) go beyond
// them and have no peak loop here.
#pragma once

#include "kernels/cuda/gemm.h"
#include "kernels/cuda/runtime.h"

#include <cstdint>

namespace sciperf::kernels::cuda {

class PeakFma {
 public:
  // `iterations` >= 1 rounds of the chains per launch (std::invalid_argument for 0); the grid
  // is sized for the current device.
  PeakFma(Precision precision, std::uint64_t iterations);
  void launch(const Stream* stream = nullptr);
  double ops() const { return ops_; }  // per launch
  // Waits for the launches on `stream`, then sums every thread's accumulators (as float64):
  // keeps the work observable, and the same for every launch of the same loop.
  double checksum(const Stream* stream = nullptr) const;

 private:
  Precision precision_;
  std::uint64_t iterations_;
  int blocks_ = 0;
  double ops_ = 0;
  DeviceBuffer sink_;  // one float per thread
};

}  // namespace sciperf::kernels::cuda
