// Names from configs become file and job names; they must never add a path component
// ("../x", "/etc") or characters tools misread.
#pragma once

#include <string>

namespace sciperf {

// Keeps letters, digits, '-', '_' and '.' (a leading '.' becomes '_'); everything else
// becomes '_'. Empty input gives `fallback`.
std::string file_safe_name(std::string text, const std::string& fallback = "sciperf");

}  // namespace sciperf
