// STREAM (McCalpin) on float64 arrays, one core: copy c = a, scale b = q c, add c = a + b,
// triad a = b + q c. Paths: avx512, avx2, scalar; regular (write-allocate) stores, as the
// reference stream.c compiled by a C compiler does, so the GB/s are comparable with it.
// Bytes counted as STREAM does: copy and scale 16 n, add and triad 24 n.
#pragma once

#include <cstddef>
#include <string_view>

#include "kernels/cpu/isa.h"

namespace sciperf::kernels::cpu {

enum class StreamKernel { copy, scale, add, triad };
std::string_view stream_kernel_name(StreamKernel kernel);
double stream_bytes(StreamKernel kernel, std::size_t n);

Isa stream_copy(const double* a, double* c, std::size_t n, Isa path = Isa::automatic);
Isa stream_scale(double* b, const double* c, double q, std::size_t n, Isa path = Isa::automatic);
Isa stream_add(const double* a, const double* b, double* c, std::size_t n, Isa path = Isa::automatic);
Isa stream_triad(double* a, const double* b, const double* c, double q, std::size_t n, Isa path = Isa::automatic);

}  // namespace sciperf::kernels::cpu
