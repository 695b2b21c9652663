#include "harness/progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

namespace sciperf {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const {
    if (file) std::fclose(file);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File temp_file() {
  File file(std::tmpfile());
  if (!file) throw std::runtime_error("tmpfile failed");
  return file;
}

std::string contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[512];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, n);
  return text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ProgressStyleName, AutoOnAFileIsPlain) {
  File file = temp_file();
  EXPECT_EQ(progress_style("auto", file.get()), ProgressStyle::plain);
}

TEST(ProgressStyleName, AutoOnATerminalIsBar) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    if (master >= 0) ::close(master);
    GTEST_SKIP() << "no pseudo-terminal available";
  }
  const char* name = ::ptsname(master);
  ASSERT_NE(name, nullptr);
  File terminal(std::fopen(name, "w"));
  if (!terminal) {
    ::close(master);
    GTEST_SKIP() << "cannot open " << name;
  }
  EXPECT_EQ(progress_style("auto", terminal.get()), ProgressStyle::bar);
  terminal.reset();
  ::close(master);
}

TEST(ProgressStyleName, ExplicitNamesParse) {
  File file = temp_file();
  EXPECT_EQ(progress_style("bar", file.get()), ProgressStyle::bar);  // even when not a terminal
  EXPECT_EQ(progress_style("plain", file.get()), ProgressStyle::plain);
  EXPECT_EQ(progress_style("none", file.get()), ProgressStyle::none);
}

TEST(ProgressStyleName, UnknownNameThrows) {
  File file = temp_file();
  EXPECT_THROW(progress_style("fancy", file.get()), std::invalid_argument);
  EXPECT_THROW(progress_style("", file.get()), std::invalid_argument);
  EXPECT_THROW(progress_style("Plain", file.get()), std::invalid_argument);
  try {
    progress_style("fancy", file.get());
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("fancy"), std::string::npos) << error.what();
  }
}

TEST(Progress, PlainWritesOneLinePerFinishedCase) {
  File file = temp_file();
  Progress progress(ProgressStyle::plain, 3, file.get());
  progress.start(0, "selftest/action:empty/rank:1");
  progress.finish(0, "selftest/action:empty/rank:1", "ok", "time_avg 20.0 ns");
  progress.start(1, "collectives/bytes:8B");
  progress.finish(1, "collectives/bytes:8B", "skipped", "alltoall does not reduce");
  progress.start(2, "collectives/bytes:16B");
  progress.finish(2, "collectives/bytes:16B", "failed", "validation failed");
  progress.close();
  const std::string text = contents(file.get());
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), 3u) << text;
  EXPECT_EQ(lines[0].rfind("[1/3] ok ", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("selftest/action:empty/rank:1"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("time_avg 20.0 ns"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1].rfind("[2/3] skipped ", 0), 0u) << lines[1];
  EXPECT_NE(lines[1].find("alltoall does not reduce"), std::string::npos) << lines[1];
  EXPECT_EQ(lines[2].rfind("[3/3] failed ", 0), 0u) << lines[2];
  EXPECT_NE(lines[2].find("validation failed"), std::string::npos) << lines[2];
  // Plain output is for logs: no carriage returns or terminal escapes.
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find('\033'), std::string::npos);
}

TEST(Progress, PlainAlignsTheCaseNames) {
  File file = temp_file();
  Progress progress(ProgressStyle::plain, 2, file.get());
  progress.finish(0, "case-a", "ok", "");
  progress.finish(1, "case-b", "skipped", "");
  const auto lines = lines_of(contents(file.get()));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].find("case-a"), lines[1].find("case-b"));
}

TEST(Progress, NoneWritesNothing) {
  File file = temp_file();
  Progress progress(ProgressStyle::none, 2, file.get());
  progress.start(0, "a");
  progress.finish(0, "a", "ok", "fast");
  progress.start(1, "b");
  progress.finish(1, "b", "failed", "slow");
  progress.close();
  EXPECT_EQ(contents(file.get()), "");
}

TEST(Progress, BarKeepsOnlyFailuresAndSkipsAsLines) {
  File file = temp_file();
  Progress progress(ProgressStyle::bar, 2, file.get());
  progress.start(0, "case-ok");
  progress.finish(0, "case-ok", "ok", "fine");
  progress.start(1, "case-bad");
  progress.finish(1, "case-bad", "failed", "it broke");
  progress.close();
  const std::string text = contents(file.get());
  EXPECT_NE(text.find("\r\033[K"), std::string::npos) << text;  // redrawn in place
  EXPECT_NE(text.find("[2/2] failed  case-bad  it broke\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("ok      case-ok"), std::string::npos) << text;  // successes only move the bar
  EXPECT_NE(text.find("done in"), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
}

TEST(Progress, BarFitsTheWidth) {
  File file = temp_file();
  Progress progress(ProgressStyle::bar, 1, file.get());
  progress.start(0, std::string(500, 'x'));
  const std::string text = contents(file.get());
  const auto start = text.rfind("\033[K");
  ASSERT_NE(start, std::string::npos);
  // Not a terminal: 100 columns are assumed, and the line stays inside them.
  EXPECT_LT(text.size() - (start + 3), 100u) << text;
}

TEST(Progress, BarElidesTheMiddleOfALongNameAndKeepsItsEnd) {
  File file = temp_file();
  Progress progress(ProgressStyle::bar, 4, file.get());
  const std::string name = "collectives/" + std::string(300, 'x') + "/dtype:float64/bytes:64MiB";
  progress.start(0, name);
  const std::string text = contents(file.get());
  EXPECT_EQ(text.rfind("\r\033[K[1/4] ", 0), 0u) << text;
  EXPECT_NE(text.find("collectives/"), std::string::npos) << text;
  EXPECT_NE(text.find("..."), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("/bytes:64MiB")) << text;
  EXPECT_LT(text.size() - 4, 100u) << text;
}

TEST(Progress, BarShowsShortNamesWhole) {
  File file = temp_file();
  Progress progress(ProgressStyle::bar, 4, file.get());
  progress.start(2, "selftest/action:empty/rank:1");
  const std::string text = contents(file.get());
  EXPECT_EQ(text.rfind("\r\033[K[3/4] [##########..........]", 0), 0u) << text;
  EXPECT_TRUE(text.ends_with("  selftest/action:empty/rank:1")) << text;
  EXPECT_EQ(text.substr(text.find(" eta ")).find("..."), std::string::npos) << text;  // no elision
}

}  // namespace
}  // namespace sciperf
