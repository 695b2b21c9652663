# Every dependency comes from the distribution (Debian packages); CUDA is optional.
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(benchmark REQUIRED)
find_package(Threads REQUIRED)

# MPICH is the distributed engine. Debian's mpi alternatives may point at OpenMPI when
# another package pulled it in, so prefer MPICH's own compiler wrapper and say which was found.
if(NOT MPI_CXX_COMPILER AND EXISTS /usr/bin/mpicxx.mpich)
  set(MPI_CXX_COMPILER /usr/bin/mpicxx.mpich)
  set(MPI_C_COMPILER /usr/bin/mpicc.mpich)
endif()
if(NOT MPIEXEC_EXECUTABLE AND EXISTS /usr/bin/mpiexec.mpich)
  set(MPIEXEC_EXECUTABLE /usr/bin/mpiexec.mpich CACHE FILEPATH "mpiexec used by tests and as the default launcher")
endif()
find_package(MPI REQUIRED COMPONENTS C CXX)
message(STATUS "sciperf: MPI ${MPI_CXX_VERSION} via ${MPI_CXX_COMPILER}; launcher ${MPIEXEC_EXECUTABLE}")

set(SCIPERF_HAVE_CUDA OFF)
set(SCIPERF_HAVE_NCCL OFF)
if(SCIPERF_WITH_CUDA)
  find_package(CUDAToolkit QUIET)
  if(CUDAToolkit_FOUND)
    set(SCIPERF_HAVE_CUDA ON)
    find_path(NCCL_INCLUDE_DIR nccl.h HINTS ${CUDAToolkit_INCLUDE_DIRS})
    find_library(NCCL_LIBRARY nccl HINTS ${CUDAToolkit_LIBRARY_DIR})
    if(NCCL_INCLUDE_DIR AND NCCL_LIBRARY)
      set(SCIPERF_HAVE_NCCL ON)
      file(STRINGS ${NCCL_INCLUDE_DIR}/nccl.h nccl_version_lines REGEX "^#define NCCL_(MAJOR|MINOR|PATCH) ")
      string(REGEX REPLACE ".*NCCL_MAJOR ([0-9]+).*NCCL_MINOR ([0-9]+).*NCCL_PATCH ([0-9]+).*" "\\1.\\2.\\3"
             SCIPERF_NCCL_VERSION "${nccl_version_lines}")
    endif()
  endif()
endif()
message(STATUS "sciperf: CUDA ${SCIPERF_HAVE_CUDA} (${CUDAToolkit_VERSION}), NCCL ${SCIPERF_HAVE_NCCL}")

# LibTorch (models, training and inference suites). Any LibTorch >= 1.13 given through
# Torch_DIR or CMAKE_PREFIX_PATH works; otherwise the one inside the `torch` wheel that
# ci/install-deps puts into .venv/torch (see docs/DECISIONS.md) is found through
# torch.utils.cmake_prefix_path.
if(NOT Torch_DIR)
  foreach(python ${PROJECT_SOURCE_DIR}/.venv/torch/bin/python python3)
    execute_process(COMMAND ${python} -c "import torch.utils; print(torch.utils.cmake_prefix_path)"
                    OUTPUT_VARIABLE torch_prefix OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE torch_status)
    if(torch_status EQUAL 0 AND EXISTS "${torch_prefix}/Torch/TorchConfig.cmake")
      set(Torch_DIR "${torch_prefix}/Torch" CACHE PATH "LibTorch's CMake package")
      break()
    endif()
  endforeach()
endif()
# A CUDA LibTorch probes the installed GPUs for its nvcc flags unless told the architectures
# (and the probe fails to build here); we compile no CUDA through Torch's flags anyway.
if(NOT DEFINED TORCH_CUDA_ARCH_LIST AND NOT DEFINED ENV{TORCH_CUDA_ARCH_LIST})
  set(TORCH_CUDA_ARCH_LIST "8.0;9.0")
endif()
# Torch's package finds its Caffe2 package and its libraries with find_package/find_library,
# which search the system's directories before the package's own: with Debian's libtorch-dev
# installed, the wheel's Torch_DIR linked Debian's 1.13 libraries under the wheel's headers.
# Its own prefix searched first keeps a LibTorch whole.
if(Torch_DIR)
  get_filename_component(torch_install_prefix "${Torch_DIR}/../../.." ABSOLUTE)
  list(PREPEND CMAKE_PREFIX_PATH "${torch_install_prefix}")
endif()
# TorchConfig warns about optional pieces a wheel does not ship (kineto); nothing here uses them.
find_package(Torch REQUIRED)
if(Torch_VERSION VERSION_LESS 1.13)
  message(FATAL_ERROR "sciperf needs LibTorch >= 1.13; Torch_DIR=${Torch_DIR} has ${Torch_VERSION}")
endif()
# Torch's imported targets carry its compile flags (e.g. the C++ ABI) and libraries.
add_library(sciperf_torch INTERFACE)
target_link_libraries(sciperf_torch INTERFACE ${TORCH_LIBRARIES})
# The wheel's libtorch.so exports pieces of the newer libstdc++ it was built with (string
# streams, std::filesystem, tzdb). Looked up before the system's libstdc++, they replace its
# functions for the whole program, and std::filesystem::remove_all crashed through them.
# Needing libstdc++ first in every executable puts the system's definitions ahead.
target_link_options(sciperf_torch INTERFACE "LINKER:--push-state,--no-as-needed" -lstdc++ "LINKER:--pop-state")
set(SCIPERF_TORCH_HAS_CUDA OFF)
if(TARGET torch_cuda OR "${TORCH_LIBRARIES}" MATCHES "c10_cuda")
  set(SCIPERF_TORCH_HAS_CUDA ON)
endif()
message(STATUS "sciperf: LibTorch ${Torch_VERSION} from ${Torch_DIR} (CUDA ${SCIPERF_TORCH_HAS_CUDA})")

# Our CUDA kernels (kernels/cuda) need nvcc as well as the toolkit. A CUDA LibTorch has already
# enabled the language (and set CMAKE_CUDA_ARCHITECTURES to OFF: our target names its own);
# enabling it again is harmless. The architectures are the targets of TORCH_CUDA_ARCH_LIST's
# default above, 8.0 and 9.0: SASS for sm_80, SASS and PTX for sm_90 (PTX lets newer GPUs run it).
set(SCIPERF_HAVE_CUDA_KERNELS OFF)
set(SCIPERF_CUDA_ARCHITECTURES "80-real;90" CACHE STRING "CUDA architectures of kernels/cuda")
if(SCIPERF_HAVE_CUDA)
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    enable_language(CUDA)
    set(SCIPERF_HAVE_CUDA_KERNELS ON)
  endif()
endif()
message(STATUS "sciperf: CUDA kernels ${SCIPERF_HAVE_CUDA_KERNELS} (${SCIPERF_CUDA_ARCHITECTURES})")

# The torch wheel ships its own fmt headers (a newer major version, compiled into LibTorch
# with hidden symbols) in its include directory, which would shadow the fmt we link and
# leave undefined references. Our fmt's headers are put first, through a directory that
# holds only a link to them (-I is searched before the -isystem directories of imports).
get_target_property(fmt_include_dirs fmt::fmt INTERFACE_INCLUDE_DIRECTORIES)
find_path(SCIPERF_FMT_INCLUDE_DIR fmt/format.h HINTS ${fmt_include_dirs} NO_CMAKE_PATH NO_CMAKE_ENVIRONMENT_PATH)
set(fmt_first "${PROJECT_BINARY_DIR}/include-first")
file(MAKE_DIRECTORY "${fmt_first}")
file(CREATE_LINK "${SCIPERF_FMT_INCLUDE_DIR}/fmt" "${fmt_first}/fmt" SYMBOLIC)
include_directories(BEFORE "${fmt_first}")
