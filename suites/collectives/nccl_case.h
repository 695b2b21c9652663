// The collectives suite's "nccl" algorithm: the same case on one GPU per rank. Defined in
// cuda/nccl_case.cpp, built only when the CUDA toolkit and NCCL are found.
#pragma once

#include "suites/collectives/collective_case.h"

#include <memory>
#include <optional>
#include <string>

namespace sciperf::suites {

// Why the nccl algorithm cannot run (not built, no device), or nullopt. Needs no MPI.
std::optional<std::string> nccl_unavailable_reason(const CaseContext& context);
std::unique_ptr<CaseInstance> make_nccl_case(const CollectiveSettings& settings, const CaseContext& context);

}  // namespace sciperf::suites
