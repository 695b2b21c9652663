#include "harness/file_names.h"

#include <algorithm>
#include <cctype>

namespace sciperf {

std::string file_safe_name(std::string text, const std::string& fallback) {
  std::replace_if(
      text.begin(), text.end(), [](unsigned char c) { return !std::isalnum(c) && c != '-' && c != '_' && c != '.'; }, '_');
  if (!text.empty() && text.front() == '.') text.front() = '_';
  return text.empty() ? fallback : text;
}

}  // namespace sciperf
