// How the algorithms split a buffer into per-rank pieces.
#pragma once

#include <algorithm>
#include <cstddef>

namespace sciperf::comm {

// A buffer of `count` elements of `element_bytes` each, split into `parts` contiguous blocks
// whose element counts differ by at most one (the first count % parts blocks get the extra
// element), so any count works with any number of ranks. Offsets and sizes are in bytes;
// offset(parts) is the buffer's end, so [offset(i), offset(j)) spans blocks i..j-1.
struct Blocks {
  std::size_t count;
  std::size_t parts;
  std::size_t element_bytes;

  std::size_t offset(std::size_t block) const {
    return (block * (count / parts) + std::min(block, count % parts)) * element_bytes;
  }
  std::size_t size(std::size_t block) const { return offset(block + 1) - offset(block); }
  std::size_t largest() const { return size(0); }
};

}  // namespace sciperf::comm
