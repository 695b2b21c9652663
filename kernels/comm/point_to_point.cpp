#include "kernels/comm/point_to_point.h"

#include "kernels/comm/reduce.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <climits>
#include <cstring>

namespace sciperf::comm {
namespace {

// One tag serves every algorithm: messages between a pair of ranks match in order, and each
// call sends exactly what its peers expect, so calls cannot steal each other's messages.
constexpr int kTag = 0x5c1;

// Plain copies go out in as few messages as MPI's int counts allow.
constexpr std::size_t kMaxMessageBytes = std::size_t{1} << 30;
static_assert(kMaxMessageBytes <= INT_MAX && kPipelineBytes <= kMaxMessageBytes);

std::size_t num_pieces(std::size_t bytes, std::size_t piece) { return (bytes + piece - 1) / piece; }

int piece_bytes(std::size_t bytes, std::size_t piece, std::size_t index) {
  return static_cast<int>(std::min(piece, bytes - index * piece));
}

// Sends `out` and receives `in` as messages of at most `piece` bytes, with two of each
// direction in flight. landing(k) says where incoming piece k goes; arrived(k, data, bytes)
// runs once it is there, before piece k + 2 may land.
template <class Landing, class Arrived>
void stream(const Outgoing& out, const Incoming& in, std::size_t piece, Landing landing, Arrived arrived,
            MPI_Comm comm) {
  const std::size_t sends = num_pieces(out.bytes, piece);
  const std::size_t receives = num_pieces(in.bytes, piece);
  std::array<MPI_Request, 2> send_requests = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
  std::array<MPI_Request, 2> receive_requests = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
  auto post_receive = [&](std::size_t k) {
    MPI_Irecv(landing(k), piece_bytes(in.bytes, piece, k), MPI_BYTE, in.peer, kTag, comm, &receive_requests[k % 2]);
  };
  if (receives > 0) {
    post_receive(0);
  }
  for (std::size_t k = 0; k < std::max(sends, receives); ++k) {
    if (k + 1 < receives) {
      post_receive(k + 1);
    }
    if (k < sends) {
      MPI_Wait(&send_requests[k % 2], MPI_STATUS_IGNORE);
      MPI_Isend(out.data + k * piece, piece_bytes(out.bytes, piece, k), MPI_BYTE, out.peer, kTag, comm,
                &send_requests[k % 2]);
    }
    if (k < receives) {
      MPI_Wait(&receive_requests[k % 2], MPI_STATUS_IGNORE);
      arrived(k, landing(k), static_cast<std::size_t>(piece_bytes(in.bytes, piece, k)));
    }
  }
  MPI_Waitall(2, send_requests.data(), MPI_STATUSES_IGNORE);
}

}  // namespace

void exchange(const Outgoing& out, const Incoming& in, MPI_Comm comm) {
  stream(
      out, in, kMaxMessageBytes, [&](std::size_t k) { return in.data + k * kMaxMessageBytes; },
      [](std::size_t, std::byte*, std::size_t) {}, comm);
}

std::size_t reduce_staging_bytes(std::size_t incoming_bytes) { return 2 * std::min(kPipelineBytes, incoming_bytes); }

void exchange_reduce(const Outgoing& out, const Incoming& in, const std::byte* own, const Combine& combine,
                     std::span<std::byte> staging, MPI_Comm comm) {
  const std::size_t element_bytes = size_of(combine.type);
  auto reduce = [&](const std::byte* from, std::byte* into, std::size_t bytes, bool from_is_left) {
    reduce_ordered(combine.type, combine.op, from, into, bytes / element_bytes,
                   from_is_left ? Operands::in_first : Operands::inout_first);
  };
  if (own == nullptr) {
    assert(staging.size() >= reduce_staging_bytes(in.bytes));
    const std::size_t slot_bytes = staging.size() / 2;
    stream(
        out, in, kPipelineBytes, [&](std::size_t k) { return staging.data() + (k % 2) * slot_bytes; },
        [&](std::size_t k, std::byte* piece, std::size_t bytes) {
          reduce(piece, in.data + k * kPipelineBytes, bytes, combine.received_first);
        },
        comm);
  } else {
    stream(
        out, in, kPipelineBytes, [&](std::size_t k) { return in.data + k * kPipelineBytes; },
        [&](std::size_t k, std::byte* piece, std::size_t bytes) {
          reduce(own + k * kPipelineBytes, piece, bytes, !combine.received_first);
        },
        comm);
  }
}

void send_for_reduction(const Outgoing& out, MPI_Comm comm) {
  exchange_reduce(out, {}, nullptr, {}, {}, comm);
}

void copy_bytes(std::byte* to, const std::byte* from, std::size_t bytes) {
  if (bytes > 0) {
    std::memcpy(to, from, bytes);
  }
}

int comm_rank(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

int comm_size(MPI_Comm comm) {
  int size = 0;
  MPI_Comm_size(comm, &size);
  return size;
}

}  // namespace sciperf::comm
