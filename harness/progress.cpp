#include "harness/progress.h"

#include <fmt/format.h>

#include <stdexcept>

#include <sys/ioctl.h>
#include <unistd.h>

namespace sciperf {
namespace {

std::string clock_text(double seconds) {
  const auto total = static_cast<long>(seconds + 0.5);
  if (total >= 3600) return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

int terminal_width(std::FILE* stream) {
  winsize size{};
  if (::ioctl(::fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 20) return size.ws_col;
  return 100;
}

}  // namespace

ProgressStyle progress_style(const std::string& name, std::FILE* stream) {
  if (name == "auto") return ::isatty(::fileno(stream)) ? ProgressStyle::bar : ProgressStyle::plain;
  if (name == "bar") return ProgressStyle::bar;
  if (name == "plain") return ProgressStyle::plain;
  if (name == "none") return ProgressStyle::none;
  throw std::invalid_argument(fmt::format("--progress '{}': expected auto, bar, plain or none", name));
}

Progress::Progress(ProgressStyle style, std::size_t total, std::FILE* stream)
    : style_(style), total_(total), stream_(stream), started_(std::chrono::steady_clock::now()) {}

double Progress::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

void Progress::draw_bar(std::size_t completed, const std::string& name) {
  constexpr int kBarWidth = 20;
  const double fraction = total_ ? static_cast<double>(completed) / static_cast<double>(total_) : 1.0;
  const auto filled = static_cast<int>(fraction * kBarWidth);
  const std::string eta = completed ? clock_text(elapsed() / static_cast<double>(completed) * static_cast<double>(total_ - completed)) : "?";
  std::string line = fmt::format("[{}/{}] [{}{}] elapsed {} eta {}  ", std::min(completed + 1, total_), total_,
                                 std::string(static_cast<std::size_t>(filled), '#'),
                                 std::string(static_cast<std::size_t>(kBarWidth - filled), '.'), clock_text(elapsed()), eta);
  // A case name's tail (the sizes) tells cases apart best: elide its middle, not its end.
  const auto width = static_cast<std::size_t>(terminal_width(stream_) - 1);
  const std::size_t room = width > line.size() + 8 ? width - line.size() : 8;
  line += name.size() <= room ? name : name.substr(0, room / 3) + "..." + name.substr(name.size() - (room - room / 3 - 3));
  fmt::print(stream_, "\r\033[K{}", line);
  std::fflush(stream_);
}

void Progress::start(std::size_t index, const std::string& name) {
  if (style_ == ProgressStyle::bar) draw_bar(index, name);
}

void Progress::finish(std::size_t index, const std::string& name, const std::string& outcome, const std::string& detail) {
  if (style_ == ProgressStyle::none) return;
  const std::string line = fmt::format("[{}/{}] {:<7} {}  {}", index + 1, total_, outcome, name, detail);
  if (style_ == ProgressStyle::plain) {
    fmt::print(stream_, "{}\n", line);
  } else if (outcome != "ok") {
    // Keep failures and skips on screen above the bar.
    fmt::print(stream_, "\r\033[K{}\n", line);
    draw_bar(index + 1, name);
  }
  std::fflush(stream_);
}

void Progress::close() {
  if (style_ == ProgressStyle::bar) fmt::print(stream_, "\r\033[K[{}/{}] done in {}\n", total_, total_, clock_text(elapsed()));
  std::fflush(stream_);
}

}  // namespace sciperf
