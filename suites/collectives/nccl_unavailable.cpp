// The nccl algorithm in a build without NCCL: always skipped, with the reason.
#include "suites/collectives/nccl_case.h"

#ifndef SCIPERF_HAVE_NCCL
#include <stdexcept>

namespace sciperf::suites {

std::optional<std::string> nccl_unavailable_reason(const CaseContext&) {
  return std::string("this build has no NCCL (the CUDA toolkit or NCCL was not found at configure time)");
}

std::unique_ptr<CaseInstance> make_nccl_case(const CollectiveSettings&, const CaseContext&) {
  throw std::logic_error("make_nccl_case called in a build without NCCL");
}

}  // namespace sciperf::suites
#endif
