// How many single-character edits turn one word into another (Levenshtein): what "did you
// mean" suggestions for misspelled keys and names are ranked by.
#pragma once

#include <cstddef>
#include <string_view>

namespace sciperf {

enum class LetterCase { matters, ignored };

std::size_t edit_distance(std::string_view a, std::string_view b, LetterCase letter_case = LetterCase::matters);

}  // namespace sciperf
