// What our kernels and the library's share for one problem: the problem, an output buffer
// (poisoned before each check, so an output left unwritten fails), its check and its work
// counts. Subclasses say only how one call computes the output (and, on a device, how the
// output gets there and back: compute_output).
#pragma once

#include "suites/kernels/kernel_problems.h"
#include "suites/kernels/kernel_workload.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace sciperf::suites::kernels {

// Never a correct element: NaN for floating point; for int32 INT32_MIN, below every int8
// product sum (|sum| <= 255 * 128 * kGemmInt8MaxK < 2^31).
template <class Out>
Out poison() {
  if constexpr (std::is_same_v<Out, cpu::Bf16>) return cpu::to_bf16(std::numeric_limits<float>::quiet_NaN());
  else if constexpr (std::is_floating_point_v<Out>) return std::numeric_limits<Out>::quiet_NaN();
  else return std::numeric_limits<Out>::min();
}

inline std::size_t output_elements(const cpu::GemmReference& reference) { return reference.value.size(); }
inline std::size_t output_elements(const std::vector<std::int64_t>& reference) { return reference.size(); }

// A matrix product (dense or sparse A) into an m x n row-major output of Out.
template <class Problem, class Out>
class ProductWorkload : public KernelWorkload {
 public:
  using Check = cpu::CheckResult (*)(const Problem&, const Out*);
  ProductWorkload(Problem problem, Check check, std::string method, bool integer)
      : problem_(std::move(problem)),
        output_(output_elements(problem_.reference)),
        check_(check),
        method_(std::move(method)),
        integer_(integer) {}

  cpu::CheckResult check() override {
    std::fill(output_.begin(), output_.end(), poison<Out>());
    compute_output();
    return check_(problem_, output_.data());
  }
  std::string check_method() const override { return method_; }
  WorkCounts counts() const override { return {problem_.operations, problem_.bytes, integer_}; }

 protected:
  // One call whose result ends up in output_ (poisoned beforehand).
  virtual void compute_output() { run(); }

  Problem problem_;
  std::vector<Out> output_;

 private:
  Check check_;
  std::string method_;
  bool integer_;
};

// The problem's own check (its reference and tolerance).
template <class Problem, class Out>
cpu::CheckResult check_against_reference(const Problem& problem, const Out* c) {
  return problem.check(c);
}

// STREAM's arrays, written in place.
class StreamWorkload : public KernelWorkload {
 public:
  explicit StreamWorkload(StreamProblem problem) : problem_(std::move(problem)) {}
  cpu::CheckResult check() override {
    std::fill_n(problem_.output(), problem_.a.size(), poison<double>());
    compute_output();
    return problem_.check();
  }
  std::string check_method() const override { return kStreamCheckMethod; }
  WorkCounts counts() const override { return {problem_.operations, problem_.bytes, false}; }

 protected:
  // One call whose result ends up in the problem's output array (poisoned beforehand).
  virtual void compute_output() { run(); }

  StreamProblem problem_;
};

}  // namespace sciperf::suites::kernels
