// sciperf_cpu_kernels_bench: the CPU kernels' figures for docs/PERFORMANCE.md, side by side
// in one run on one core: peak multiply-add rates per precision, own fp32 GEMM against
// OpenBLAS sgemm (one thread), int8 and bf16 GEMM against own fp32, sparse kernels, STREAM.
// Every GEMM result is checked (sampled entries against float64 dot products) before it is
// timed. Each figure is the fastest call over `--rounds` rounds, the rounds interleaving the
// implementations, because the machine is shared and noisy.
//
//   sciperf_cpu_kernels_bench [--rounds N] [--quick] [--stream-mib M] [--only SECTIONS]
//
// SECTIONS: a comma-separated subset of peak,gemm,lowp,batch,sparse,stream (default all).
//
// OpenBLAS runs with one thread (openblas_set_num_threads(1)) and whatever core type the
// environment forces (OPENBLAS_CORETYPE); both are printed.
#include "kernels/cpu/gemm.h"
#include "kernels/cpu/isa.h"
#include "kernels/cpu/peak.h"
#include "kernels/cpu/reference.h"
#include "kernels/cpu/sparse.h"
#include "kernels/cpu/stream.h"

#ifdef SCIPERF_HAVE_OPENBLAS
#include <cblas.h>
extern "C" {
void openblas_set_num_threads(int num_threads);
char* openblas_get_corename(void);
char* openblas_get_config(void);
}
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace sciperf::kernels::cpu;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Seconds of the fastest call: after a warm-up call, calls are timed one by one until
// `min_seconds` have passed (and at least 3 calls). The fastest call is the one least
// disturbed by the other processes on this shared machine (STREAM reports its best pass
// the same way).
double time_per_call(const std::function<void()>& call, double min_seconds) {
  call();
  const double start = now();
  double best = INFINITY;
  for (int calls = 0; calls < 3 || now() - start < min_seconds; ++calls) {
    const double t0 = now();
    call();
    best = std::min(best, now() - t0);
  }
  return best;
}

struct Best {
  std::map<std::string, double> seconds;
  void add(const std::string& key, double s) {
    auto it = seconds.find(key);
    if (it == seconds.end() || s < it->second) seconds[key] = s;
  }
  double operator[](const std::string& key) const {
    auto it = seconds.find(key);
    return it == seconds.end() ? NAN : it->second;
  }
};

struct Shape {
  std::int64_t m, n, k;
  std::string name() const {
    return m == n && n == k ? std::to_string(m) + "^3"
                            : std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
  }
};

// Sampled check of a GEMM result against float64 dot products, with the documented bound.
template <class TA, class TB, class ToDouble>
bool sampled_check(const Shape& s, const TA* A, const TB* B, const float* C, ToDouble to_double, const char* what) {
  for (int t = 0; t < 256; ++t) {
    const std::int64_t i = (t * 7919) % s.m, j = (t * 104729 + 13) % s.n;
    double exact = 0, magnitude = 0;
    for (std::int64_t k = 0; k < s.k; ++k) {
      const double p = to_double(A[i * s.k + k]) * to_double(B[k * s.n + j]);
      exact += p;
      magnitude += std::fabs(p);
    }
    const double error = std::fabs(C[i * s.n + j] - exact);
    if (!(error <= dot_error_bound(s.k, magnitude))) {
      std::printf("CHECK FAILED %s %s at (%lld, %lld): %.9g vs %.9g\n", what, s.name().c_str(),
                  static_cast<long long>(i), static_cast<long long>(j), static_cast<double>(C[i * s.n + j]), exact);
      return false;
    }
  }
  return true;
}

bool sampled_check_int(const Shape& s, const std::uint8_t* A, const std::int8_t* B, const std::int32_t* C) {
  for (int t = 0; t < 256; ++t) {
    const std::int64_t i = (t * 7919) % s.m, j = (t * 104729 + 13) % s.n;
    std::int64_t exact = 0;
    for (std::int64_t k = 0; k < s.k; ++k) exact += static_cast<std::int64_t>(A[i * s.k + k]) * B[k * s.n + j];
    if (C[i * s.n + j] != exact) {
      std::printf("CHECK FAILED int8 %s at (%lld, %lld)\n", s.name().c_str(), static_cast<long long>(i),
                  static_cast<long long>(j));
      return false;
    }
  }
  return true;
}

struct Options {
  int rounds = 3;
  bool quick = false;
  double stream_mib = 160;  // per array; STREAM asks for >= 4x the last-level cache
  double min_time = 0.3;    // seconds per timed measurement
};

// Peak multiply-add rates; returns the fp32 peak of the widest path (GFLOP/s).
double run_peaks(const Options& o) {
  struct PeakCase {
    Precision precision;
    Isa isa;
    std::string key() const { return std::string(precision_name(precision)) + "/" + std::string(isa_name(isa)); }
  };
  std::vector<PeakCase> peaks;
  for (Precision p : {Precision::fp32, Precision::fp64, Precision::bf16, Precision::int8})
    for (Isa isa : available_paths(peak_kernel(p)))
      if (isa != Isa::scalar) peaks.push_back({p, isa});
  Best best;  // seconds per operation
  for (int r = 0; r < o.rounds; ++r)
    for (const PeakCase& c : peaks) {
      double ops = 0;
      const double s = time_per_call([&] { ops = peak_fma(c.precision, 100'000, c.isa).ops; }, o.min_time);
      best.add(c.key(), s / ops);
    }
  std::printf(
      "## Peak multiply-add rate (1 core; Gop/s, a multiply-add = 2 ops)\n\n| precision | path | Gop/s "
      "|\n|---|---|---|\n");
  for (const PeakCase& c : peaks)
    std::printf("| %s | %s | %.1f |\n", std::string(precision_name(c.precision)).c_str(),
                std::string(isa_name(c.isa)).c_str(), 1e-9 / best[c.key()]);
  const Isa widest = available_paths(Kernel::peak_fp32).front();
  return 1e-9 / best["fp32/" + std::string(isa_name(widest))];
}

bool run_gemm(const Options& o, double fp32_peak) {
  bool ok = true;
  std::vector<Shape> shapes = {{256, 256, 256},   {512, 512, 512},  {1024, 1024, 1024}, {2048, 2048, 2048},
                               {1031, 1013, 997}, {4096, 64, 4096}, {64, 4096, 1024}};
  if (o.quick) shapes = {{256, 256, 256}, {1024, 1024, 1024}, {1031, 1013, 997}};
  std::vector<Isa> paths;
  for (Isa isa : available_paths(Kernel::gemm_fp32))
    if (isa != Isa::scalar) paths.push_back(isa);
  Best best;
  for (int r = 0; r < o.rounds; ++r)
    for (const Shape& s : shapes) {
      std::vector<float> A(static_cast<std::size_t>(s.m * s.k)), B(static_cast<std::size_t>(s.k * s.n)),
          C(static_cast<std::size_t>(s.m * s.n));
      fill_uniform(A.data(), A.size(), -1.0f, 1.0f, 1);
      fill_uniform(B.data(), B.size(), -1.0f, 1.0f, 2);
      for (Isa isa : paths) {
        auto call = [&] { gemm_fp32(s.m, s.n, s.k, A.data(), s.k, B.data(), s.n, C.data(), s.n, isa); };
        call();
        if (r == 0)
          ok &= sampled_check(
              s, A.data(), B.data(), C.data(), [](float x) { return double(x); }, "fp32");
        best.add(s.name() + "/" + std::string(isa_name(isa)), time_per_call(call, o.min_time));
      }
#ifdef SCIPERF_HAVE_OPENBLAS
      auto blas = [&] {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(s.m), static_cast<int>(s.n),
                    static_cast<int>(s.k), 1.0f, A.data(), static_cast<int>(s.k), B.data(), static_cast<int>(s.n), 0.0f,
                    C.data(), static_cast<int>(s.n));
      };
      blas();
      if (r == 0)
        ok &= sampled_check(
            s, A.data(), B.data(), C.data(), [](float x) { return double(x); }, "openblas");
      best.add(s.name() + "/openblas", time_per_call(blas, o.min_time));
#endif
    }
  std::printf("\n## fp32 GEMM, 1 thread (GFLOP/s; %% of the measured fp32 peak %.1f GFLOP/s)\n\n| shape (MxNxK) |",
              fp32_peak);
  for (Isa isa : paths) std::printf(" own %s |", std::string(isa_name(isa)).c_str());
  std::printf(" OpenBLAS sgemm | own best / OpenBLAS |\n|---|");
  for (std::size_t i = 0; i < paths.size() + 2; ++i) std::printf("---|");
  std::printf("\n");
  for (const Shape& s : shapes) {
    const double ops = gemm_ops(s.m, s.n, s.k);
    std::printf("| %s |", s.name().c_str());
    double best_own = 0;
    for (Isa isa : paths) {
      const double g = ops / best[s.name() + "/" + std::string(isa_name(isa))] * 1e-9;
      best_own = std::max(best_own, g);
      if (std::isnan(fp32_peak)) {
        std::printf(" %.1f |", g);  // peaks not measured in this run (--only without peak)
      } else {
        std::printf(" %.1f (%.0f %%) |", g, 100 * g / fp32_peak);
      }
    }
    const double blas = ops / best[s.name() + "/openblas"] * 1e-9;
    std::printf(" %.1f | %.2fx |\n", blas, best_own / blas);
  }
  return ok;
}

// bf16 and int8 GEMM against own fp32 GEMM, all on their best path, interleaved.
bool run_low_precision(const Options& o) {
  bool ok = true;
  std::vector<Shape> shapes = {{1024, 1024, 1024}, {2048, 2048, 2048}};
  if (o.quick) shapes = {{1024, 1024, 1024}};
  const Isa f32_isa = available_paths(Kernel::gemm_fp32).front();
  const Isa bf16_isa = available_paths(Kernel::gemm_bf16).front();
  const Isa i8_isa = available_paths(Kernel::gemm_int8).front();
  Best best;
  for (int r = 0; r < o.rounds; ++r)
    for (const Shape& s : shapes) {
      const auto mk = static_cast<std::size_t>(s.m * s.k), kn = static_cast<std::size_t>(s.k * s.n);
      std::vector<float> A(mk), B(kn), C(static_cast<std::size_t>(s.m * s.n));
      fill_uniform(A.data(), mk, -1.0f, 1.0f, 1);
      fill_uniform(B.data(), kn, -1.0f, 1.0f, 2);
      auto f32 = [&] { gemm_fp32(s.m, s.n, s.k, A.data(), s.k, B.data(), s.n, C.data(), s.n, f32_isa); };
      best.add(s.name() + "/fp32", time_per_call(f32, o.min_time));

      std::vector<Bf16> A16(mk), B16(kn);
      fill_uniform(A16.data(), mk, -1.0f, 1.0f, 3);
      fill_uniform(B16.data(), kn, -1.0f, 1.0f, 4);
      auto bf16 = [&] { gemm_bf16(s.m, s.n, s.k, A16.data(), s.k, B16.data(), s.n, C.data(), s.n, bf16_isa); };
      bf16();
      if (r == 0)
        ok &= sampled_check(
            s, A16.data(), B16.data(), C.data(), [](Bf16 x) { return double(to_float(x)); }, "bf16");
      best.add(s.name() + "/bf16", time_per_call(bf16, o.min_time));

      std::vector<std::uint8_t> A8(mk);
      std::vector<std::int8_t> B8(kn);
      std::vector<std::int32_t> C32(static_cast<std::size_t>(s.m * s.n));
      fill_uniform(A8.data(), mk, 5);
      fill_uniform(B8.data(), kn, 6);
      auto i8 = [&] { gemm_u8s8s32(s.m, s.n, s.k, A8.data(), s.k, B8.data(), s.n, C32.data(), s.n, i8_isa); };
      i8();
      if (r == 0) ok &= sampled_check_int(s, A8.data(), B8.data(), C32.data());
      best.add(s.name() + "/int8", time_per_call(i8, o.min_time));
    }
  std::printf("\n## Low-precision GEMM against own fp32 GEMM (1 thread; Gop/s, a multiply-add = 2 ops)\n\n");
  std::printf(
      "| shape | fp32 (%s) | bf16 (%s) | bf16 / fp32 | int8 u8s8s32 (%s) | int8 / fp32 |\n|---|---|---|---|---|---|\n",
      std::string(isa_name(f32_isa)).c_str(), std::string(isa_name(bf16_isa)).c_str(),
      std::string(isa_name(i8_isa)).c_str());
  for (const Shape& s : shapes) {
    const double ops = gemm_ops(s.m, s.n, s.k);
    const double f32 = ops / best[s.name() + "/fp32"] * 1e-9;
    const double bf = ops / best[s.name() + "/bf16"] * 1e-9;
    const double i8 = ops / best[s.name() + "/int8"] * 1e-9;
    std::printf("| %s | %.1f | %.1f | %.2fx | %.1f | %.2fx |\n", s.name().c_str(), f32, bf, bf / f32, i8, i8 / f32);
  }
  return ok;
}

// Inference-shaped products: few rows of A (a batch) times a weight matrix B, with B packed
// on every call and packed once ahead (PackedB), per precision on its best path.
void run_batch(const Options& o) {
  const std::int64_t N = 1024, K = 1024;
  std::vector<std::int64_t> batches = {1, 16, 64, 256};
  if (o.quick) batches = {16, 64};
  std::vector<float> Bf(static_cast<std::size_t>(K * N));
  fill_uniform(Bf.data(), Bf.size(), -1.0f, 1.0f, 2);
  std::vector<Bf16> B16(Bf.size());
  to_bf16(Bf.data(), B16.data(), Bf.size());
  std::vector<std::int8_t> B8(Bf.size());
  fill_uniform(B8.data(), B8.size(), 6);
  const PackedB Pf = pack_b_fp32(K, N, Bf.data(), N), P16 = pack_b_bf16(K, N, B16.data(), N),
                P8 = pack_b_s8(K, N, B8.data(), N);
  Best best;
  for (int r = 0; r < o.rounds; ++r)
    for (std::int64_t M : batches) {
      const auto mk = static_cast<std::size_t>(M * K), mn = static_cast<std::size_t>(M * N);
      std::vector<float> A(mk), C(mn);
      fill_uniform(A.data(), mk, -1.0f, 1.0f, 1);
      std::vector<Bf16> A16(mk);
      to_bf16(A.data(), A16.data(), mk);
      std::vector<std::uint8_t> A8(mk);
      fill_uniform(A8.data(), mk, 5);
      std::vector<std::int32_t> C32(mn);
      const std::string m = std::to_string(M);
      best.add(m + "/fp32",
               time_per_call([&] { gemm_fp32(M, N, K, A.data(), K, Bf.data(), N, C.data(), N); }, o.min_time));
      best.add(m + "/fp32p", time_per_call([&] { gemm_fp32(M, A.data(), K, Pf, C.data(), N); }, o.min_time));
      best.add(m + "/bf16",
               time_per_call([&] { gemm_bf16(M, N, K, A16.data(), K, B16.data(), N, C.data(), N); }, o.min_time));
      best.add(m + "/bf16p", time_per_call([&] { gemm_bf16(M, A16.data(), K, P16, C.data(), N); }, o.min_time));
      best.add(m + "/int8",
               time_per_call([&] { gemm_u8s8s32(M, N, K, A8.data(), K, B8.data(), N, C32.data(), N); }, o.min_time));
      best.add(m + "/int8p", time_per_call([&] { gemm_u8s8s32(M, A8.data(), K, P8, C32.data(), N); }, o.min_time));
    }
  std::printf("\n## Batch x weights, M x 1024 x 1024 (1 thread; Gop/s, B packed per call / packed ahead)\n\n");
  std::printf("| M | fp32 | fp32 packed B | bf16 | bf16 packed B | int8 | int8 packed B | int8 / fp32 (packed) |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  for (std::int64_t M : batches) {
    const double ops = gemm_ops(M, N, K) * 1e-9;
    const std::string m = std::to_string(M);
    std::printf("| %lld | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2fx |\n", static_cast<long long>(M),
                ops / best[m + "/fp32"], ops / best[m + "/fp32p"], ops / best[m + "/bf16"], ops / best[m + "/bf16p"],
                ops / best[m + "/int8"], ops / best[m + "/int8p"], best[m + "/fp32p"] / best[m + "/int8p"]);
  }
}

void run_sparse(const Options& o) {
  const std::int64_t M = o.quick ? 512 : 1024, K = M, N = o.quick ? 256 : 512;
  std::vector<float> dense(static_cast<std::size_t>(M * K)), B(static_cast<std::size_t>(K * N)),
      C(static_cast<std::size_t>(M * N));
  fill_uniform(dense.data(), dense.size(), -1.0f, 1.0f, 7);
  fill_uniform(B.data(), B.size(), -1.0f, 1.0f, 8);
  const Sparse24Matrix s24 = prune_2_4(dense.data(), M, K, K);
  std::vector<CsrMatrix> csr;
  for (double sparsity : {0.5, 0.75, 0.9, 0.95}) csr.push_back(random_csr(M, K, sparsity, 9));
  Best best;
  for (int r = 0; r < o.rounds; ++r) {
    best.add("dense",
             time_per_call([&] { gemm_fp32(M, N, K, dense.data(), K, B.data(), N, C.data(), N); }, o.min_time));
    best.add("2:4", time_per_call([&] { gemm_sparse24(s24, N, B.data(), N, C.data(), N); }, o.min_time));
    for (std::size_t i = 0; i < csr.size(); ++i)
      best.add("csr" + std::to_string(i),
               time_per_call([&] { spmm_csr(csr[i], N, B.data(), N, C.data(), N); }, o.min_time));
  }
  std::printf("\n## Sparse x dense, fp32: %lldx%lld sparse A times %lldx%lld dense B (1 thread, %s)\n\n",
              static_cast<long long>(M), static_cast<long long>(K), static_cast<long long>(K),
              static_cast<long long>(N), std::string(isa_name(available_paths(Kernel::spmm_csr).front())).c_str());
  std::printf(
      "| kernel | sparsity | time (ms) | useful GFLOP/s | speedup over dense fp32 GEMM |\n|---|---|---|---|---|\n");
  const double t_dense = best["dense"];
  std::printf("| dense gemm_fp32 | 0 | %.3f | %.1f | 1.00x |\n", t_dense * 1e3, gemm_ops(M, N, K) / t_dense * 1e-9);
  std::printf("| 2:4 gemm_sparse24 | 0.5 | %.3f | %.1f | %.2fx |\n", best["2:4"] * 1e3,
              sparse24_ops(s24, N) / best["2:4"] * 1e-9, t_dense / best["2:4"]);
  for (std::size_t i = 0; i < csr.size(); ++i) {
    const double t = best["csr" + std::to_string(i)];
    std::printf("| CSR spmm_csr | %.3f | %.3f | %.1f | %.2fx |\n", csr[i].sparsity(), t * 1e3,
                spmm_ops(csr[i], N) / t * 1e-9, t_dense / t);
  }
}

void run_stream(const Options& o) {
  const std::size_t n = static_cast<std::size_t>(o.stream_mib * 1024 * 1024 / sizeof(double));
  // One 64-byte aligned block holding a, b, c back to back, as stream.c's static arrays are.
  std::unique_ptr<double, decltype(&std::free)> block(
      static_cast<double*>(std::aligned_alloc(64, (3 * n * sizeof(double) + 63) / 64 * 64)), &std::free);
  double* a = block.get();
  double* b = a + n;
  double* c = b + n;
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = 1.0;
    b[i] = 2.0;
    c[i] = 0.0;
  }
  const double q = 3.0;
  const std::vector<Isa> paths = available_paths(Kernel::stream);
  Best best;
  const int ntimes = 10;  // as stream.c: best of NTIMES passes of the four kernels
  for (Isa isa : paths) stream_triad(a, b, c, q, n, isa);
  for (int r = 0; r < o.rounds; ++r)
    for (Isa isa : paths)
      for (int t = 0; t < ntimes; ++t) {
        const std::string p(isa_name(isa));
        double t0 = now();
        stream_copy(a, c, n, isa);
        best.add("copy/" + p, now() - t0);
        t0 = now();
        stream_scale(b, c, q, n, isa);
        best.add("scale/" + p, now() - t0);
        t0 = now();
        stream_add(a, b, c, n, isa);
        best.add("add/" + p, now() - t0);
        t0 = now();
        stream_triad(a, b, c, q, n, isa);
        best.add("triad/" + p, now() - t0);
      }
  std::printf("\n## STREAM, float64, %zu elements per array (%.0f MiB each), 1 thread (best rate, GB/s = 1e9 B/s)\n\n",
              n, o.stream_mib);
  std::printf("| path | copy | scale | add | triad |\n|---|---|---|---|---|\n");
  for (Isa isa : paths) {
    const std::string p(isa_name(isa));
    std::printf("| %s |", p.c_str());
    for (StreamKernel k : {StreamKernel::copy, StreamKernel::scale, StreamKernel::add, StreamKernel::triad})
      std::printf(" %.1f |", stream_bytes(k, n) / best[std::string(stream_kernel_name(k)) + "/" + p] * 1e-9);
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string only = "peak,gemm,lowp,batch,sparse,stream";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc)
      o.rounds = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--quick"))
      o.quick = true;
    else if (!std::strcmp(argv[i], "--stream-mib") && i + 1 < argc)
      o.stream_mib = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
      only = argv[++i];
    else {
      std::printf("usage: %s [--rounds N] [--quick] [--stream-mib M] [--only peak,gemm,lowp,batch,sparse,stream]\n",
                  argv[0]);
      return 2;
    }
  }
  if (o.quick) o.min_time = 0.05;
  auto section = [&](const char* name) {
    return ("," + only + ",").find("," + std::string(name) + ",") != std::string::npos;
  };

  std::printf("# sciperf CPU kernels benchmark\n\nCPU features: %s\n", describe(cpu_features()).c_str());
#ifdef SCIPERF_HAVE_OPENBLAS
  openblas_set_num_threads(1);
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  std::printf("OpenBLAS: %s, core %s, OPENBLAS_CORETYPE=%s, 1 thread\n", openblas_get_config(), openblas_get_corename(),
              coretype ? coretype : "(unset)");
#else
  std::printf("OpenBLAS: not built in\n");
#endif
  std::printf("rounds: %d (fastest call over all rounds; implementations interleaved within a round)\n\n", o.rounds);

  bool ok = true;
  double fp32_peak = NAN;
  if (section("peak")) fp32_peak = run_peaks(o);
  if (section("gemm")) ok &= run_gemm(o, fp32_peak);
  if (section("lowp")) ok &= run_low_precision(o);
  if (section("batch")) run_batch(o);
  if (section("sparse")) run_sparse(o);
  if (section("stream")) run_stream(o);
  std::printf("\nresult checks: %s\n", ok ? "all passed" : "FAILED");
  return ok ? 0 : 1;
}
