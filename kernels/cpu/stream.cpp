#include "kernels/cpu/stream.h"

#include <initializer_list>
#include <stdexcept>
#include <string>

#include "kernels/cpu/detail/paths.h"

namespace sciperf::kernels::cpu {
namespace {

void check(const char* kernel, std::size_t n, std::initializer_list<const void*> arrays) {
  if (n == 0) return;
  for (const void* p : arrays)
    if (p == nullptr) throw std::invalid_argument(std::string(kernel) + ": null array with n=" + std::to_string(n));
}

}  // namespace

std::string_view stream_kernel_name(StreamKernel kernel) {
  switch (kernel) {
    case StreamKernel::copy:
      return "copy";
    case StreamKernel::scale:
      return "scale";
    case StreamKernel::add:
      return "add";
    case StreamKernel::triad:
      return "triad";
  }
  return "unknown";
}

double stream_bytes(StreamKernel kernel, std::size_t n) {
  const double words = kernel == StreamKernel::copy || kernel == StreamKernel::scale ? 2 : 3;
  return words * sizeof(double) * static_cast<double>(n);
}

Isa stream_copy(const double* a, double* c, std::size_t n, Isa path) {
  check("stream_copy", n, {a, c});
  const Isa isa = resolve_path(Kernel::stream, path);
  switch (isa) {
    case Isa::avx512:
      detail::stream_copy_avx512(a, c, n);
      break;
    case Isa::avx2:
      detail::stream_copy_avx2(a, c, n);
      break;
    default:
      detail::stream_copy_scalar(a, c, n);
      break;
  }
  return isa;
}

Isa stream_scale(double* b, const double* c, double q, std::size_t n, Isa path) {
  check("stream_scale", n, {b, c});
  const Isa isa = resolve_path(Kernel::stream, path);
  switch (isa) {
    case Isa::avx512:
      detail::stream_scale_avx512(b, c, q, n);
      break;
    case Isa::avx2:
      detail::stream_scale_avx2(b, c, q, n);
      break;
    default:
      detail::stream_scale_scalar(b, c, q, n);
      break;
  }
  return isa;
}

Isa stream_add(const double* a, const double* b, double* c, std::size_t n, Isa path) {
  check("stream_add", n, {a, b, c});
  const Isa isa = resolve_path(Kernel::stream, path);
  switch (isa) {
    case Isa::avx512:
      detail::stream_add_avx512(a, b, c, n);
      break;
    case Isa::avx2:
      detail::stream_add_avx2(a, b, c, n);
      break;
    default:
      detail::stream_add_scalar(a, b, c, n);
      break;
  }
  return isa;
}

Isa stream_triad(double* a, const double* b, const double* c, double q, std::size_t n, Isa path) {
  check("stream_triad", n, {a, b, c});
  const Isa isa = resolve_path(Kernel::stream, path);
  switch (isa) {
    case Isa::avx512:
      detail::stream_triad_avx512(a, b, c, q, n);
      break;
    case Isa::avx2:
      detail::stream_triad_avx2(a, b, c, q, n);
      break;
    default:
      detail::stream_triad_scalar(a, b, c, q, n);
      break;
  }
  return isa;
}

}  // namespace sciperf::kernels::cpu
