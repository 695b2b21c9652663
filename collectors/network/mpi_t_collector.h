// MPI_T: the MPI library's own performance variables (counters, timers) read around each
// case, and its control variables recorded in the inventory. MPI_T works before MPI_Init,
// so `sciperf collectors` can list them too.
#pragma once

#include "harness/collector.h"

#include <memory>

namespace sciperf::collectors {

// Counters: mpi_t.<variable> for every scalar counter/timer/aggregate performance variable
// of a numeric type. Unavailable when the library exposes none (MPICH 4.0 here: 0).
std::unique_ptr<Collector> make_mpi_t_collector();

}  // namespace sciperf::collectors
