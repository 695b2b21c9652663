// The STREAM loops, once, for every vector path: a scalar head up to the first output element
// aligned to a whole vector, then two vectors per iteration with regular stores, then a
// scalar tail. Each *_avx2.cpp / *_avx512.cpp file instantiates them with its own vector
// operations V, declared in its anonymous namespace, so every instantiation is compiled with
// that file's target flags and stays private to it (no ODR merging across instruction sets).
//
// V provides: Reg, kWidth (doubles per register), load, store, set1, mul, add, fmadd(a, b, c)
// = a · b + c.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sciperf::kernels::cpu::detail {

template <class V>
struct StreamLoops {
  static constexpr std::size_t kW = V::kWidth;

  // Elements to do one by one before `out` is aligned to a whole vector; the arrays of a
  // STREAM run share their alignment, so the vector loop then reads and writes whole cache
  // lines (misaligned 64-byte accesses, e.g. on malloc's 16-byte boundary, cost ~5-10 %).
  static std::size_t peel(const double* out, std::size_t n) {
    const std::size_t misalign = reinterpret_cast<std::uintptr_t>(out) % (kW * sizeof(double));
    if (misalign % sizeof(double) != 0) return 0;  // not even double-aligned: don't bother
    const std::size_t head = misalign == 0 ? 0 : (kW * sizeof(double) - misalign) / sizeof(double);
    return head < n ? head : n;
  }

  // out[i] = scalar(i) for the head and tail, two vector(i) per iteration between.
  template <class Scalar, class Vector>
  static void run(double* out, std::size_t n, Scalar scalar, Vector vector) {
    std::size_t i = 0;
    for (const std::size_t head = peel(out, n); i < head; ++i) out[i] = scalar(i);
    for (; i + 2 * kW <= n; i += 2 * kW) {
      const typename V::Reg x0 = vector(i);
      const typename V::Reg x1 = vector(i + kW);
      V::store(out + i, x0);
      V::store(out + i + kW, x1);
    }
    for (; i < n; ++i) out[i] = scalar(i);
  }

  static void copy(const double* a, double* c, std::size_t n) {
    run(c, n, [=](std::size_t i) { return a[i]; }, [=](std::size_t i) { return V::load(a + i); });
  }
  static void scale(double* b, const double* c, double q, std::size_t n) {
    const typename V::Reg vq = V::set1(q);
    run(b, n, [=](std::size_t i) { return q * c[i]; }, [=](std::size_t i) { return V::mul(vq, V::load(c + i)); });
  }
  static void add(const double* a, const double* b, double* c, std::size_t n) {
    run(c, n, [=](std::size_t i) { return a[i] + b[i]; },
        [=](std::size_t i) { return V::add(V::load(a + i), V::load(b + i)); });
  }
  static void triad(double* a, const double* b, const double* c, double q, std::size_t n) {
    const typename V::Reg vq = V::set1(q);
    run(a, n, [=](std::size_t i) { return b[i] + q * c[i]; },
        [=](std::size_t i) { return V::fmadd(vq, V::load(c + i), V::load(b + i)); });
  }
};

}  // namespace sciperf::kernels::cpu::detail
