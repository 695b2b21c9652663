// STREAM (McCalpin) on float64 device arrays, as kernels/cpu/stream.h defines the four kernels:
// copy c = a, scale b = q c, add c = a + b, triad a = b + q c (one fused multiply-add, so one
// rounding). Grid-stride loops over all multiprocessors of the current device; bytes counted as
// STREAM does (cpu::stream_bytes).
#pragma once

#include "kernels/cpu/stream.h"
#include "kernels/cuda/runtime.h"

#include <cstddef>

namespace sciperf::kernels::cuda {

// Enqueues `kernel` over the n elements of the device arrays a, b, c; each kernel reads and
// writes the arrays named above and leaves the others alone.
void run_stream(cpu::StreamKernel kernel, double* a, double* b, double* c, double q, std::size_t n,
                const Stream* stream = nullptr);

}  // namespace sciperf::kernels::cuda
