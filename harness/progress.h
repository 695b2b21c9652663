// Run progress on rank 0: a redrawn bar (case i/N, current case, elapsed, ETA) on a
// terminal, one plain line per case otherwise.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace sciperf {

enum class ProgressStyle { bar, plain, none };

// "auto" picks bar when `stream` is a terminal, plain otherwise. Throws on an unknown name.
ProgressStyle progress_style(const std::string& name, std::FILE* stream);

class Progress {
 public:
  Progress(ProgressStyle style, std::size_t total, std::FILE* stream);
  void start(std::size_t index, const std::string& name);
  // `outcome` is the status word; `detail` the headline figures or the reason.
  void finish(std::size_t index, const std::string& name, const std::string& outcome, const std::string& detail);
  void close();

 private:
  void draw_bar(std::size_t completed, const std::string& name);
  double elapsed() const;

  ProgressStyle style_;
  std::size_t total_;
  std::FILE* stream_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace sciperf
