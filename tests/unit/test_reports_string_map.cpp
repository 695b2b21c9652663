#include "reports/string_map.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace sciperf::reports {
namespace {

TEST(StringMap, KeepsKeysSortedAndFindsThemByAnyStringKind) {
  StringMap<int> map;
  EXPECT_TRUE(map.emplace("time_avg", 1).second);
  EXPECT_TRUE(map.emplace("busbw", 2).second);
  map["algbw"] = 3;
  EXPECT_FALSE(map.emplace("busbw", 9).second);  // as std::map: an existing key keeps its value
  std::vector<std::string> keys;
  for (const auto& [key, value] : map) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"algbw", "busbw", "time_avg"}));
  EXPECT_EQ(map.at("busbw"), 2);
  EXPECT_EQ(map.at(std::string("time_avg")), 1);
  EXPECT_TRUE(map.contains(std::string_view("algbw")));
  EXPECT_EQ(map.find("time_max"), map.end());
  EXPECT_THROW(map.at("time_max"), std::out_of_range);
  EXPECT_EQ(map.erase("busbw"), 1u);
  EXPECT_EQ(map.erase("busbw"), 0u);
  EXPECT_EQ(map.size(), 2u);
}

TEST(StringMap, FromEntriesInAnyOrderTheLastOfEqualKeysWins) {
  const StringMap<int> map(std::vector<std::pair<std::string, int>>{{"b", 1}, {"a", 2}, {"b", 3}, {"c", 4}});
  EXPECT_EQ(map, (StringMap<int>{{"a", 2}, {"b", 3}, {"c", 4}}));
  const StringMap<std::string> from_map(std::map<std::string, std::string>{{"bytes", "size"}, {"algorithm", "string"}});
  EXPECT_EQ(from_map.begin()->first, "algorithm");
  EXPECT_EQ(from_map.at("bytes"), "size");
}

}  // namespace
}  // namespace sciperf::reports
