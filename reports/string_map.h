// A map from names to values kept as one sorted vector: what a case's few metrics, samples
// and parameter kinds need, in one allocation rather than one per entry (a 100,000-case
// bundle has millions of entries, and allocating and freeing them was most of what reading
// it cost). The std::map operations reports use, with lookups by any string-like key.
// Unlike std::map's, iterators and references do not survive an insertion.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace sciperf::reports {

template <typename Value>
class StringMap {
 public:
  using key_type = std::string;
  using mapped_type = Value;
  using value_type = std::pair<std::string, Value>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  StringMap() = default;
  StringMap(std::initializer_list<value_type> entries) : StringMap(std::vector<value_type>(entries)) {}
  // Any entries, in any order; of equal keys the last is kept.
  explicit StringMap(std::vector<value_type> entries) : entries_(std::move(entries)) {
    const auto before = [](const value_type& a, const value_type& b) { return a.first < b.first; };
    const auto out_of_order = [&](const value_type& a, const value_type& b) { return !before(a, b); };
    if (std::adjacent_find(entries_.begin(), entries_.end(), out_of_order) == entries_.end()) return;  // as JSON has them
    std::stable_sort(entries_.begin(), entries_.end(), before);
    const auto last_of_equals = [](const value_type& a, const value_type& b) { return a.first == b.first; };
    std::reverse(entries_.begin(), entries_.end());
    entries_.erase(std::unique(entries_.begin(), entries_.end(), last_of_equals), entries_.end());
    std::reverse(entries_.begin(), entries_.end());
  }
  // From a std::map or any range of key-value pairs.
  template <typename Map>
    requires(!std::is_same_v<std::decay_t<Map>, StringMap> && requires(const Map& m) { m.begin()->second; })
  explicit StringMap(const Map& map) : entries_(map.begin(), map.end()) {}

  iterator begin() { return entries_.begin(); }
  iterator end() { return entries_.end(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }

  iterator find(std::string_view key) { return found(lower_bound(key), key); }
  const_iterator find(std::string_view key) const { return const_cast<StringMap&>(*this).find(key); }
  bool contains(std::string_view key) const { return find(key) != end(); }
  Value& at(std::string_view key) { return checked(find(key))->second; }
  const Value& at(std::string_view key) const { return const_cast<StringMap&>(*this).at(key); }

  // Inserts when the key is new; either way, where the key's entry is.
  template <typename... Args>
  std::pair<iterator, bool> emplace(std::string_view key, Args&&... args) {
    const iterator at = lower_bound(key);
    if (at != end() && at->first == key) return {at, false};
    return {entries_.emplace(at, std::piecewise_construct, std::forward_as_tuple(key), std::forward_as_tuple(std::forward<Args>(args)...)),
            true};
  }
  Value& operator[](std::string_view key) { return emplace(key).first->second; }
  std::size_t erase(std::string_view key) {
    const iterator at = find(key);
    if (at == end()) return 0;
    entries_.erase(at);
    return 1;
  }

  friend bool operator==(const StringMap&, const StringMap&) = default;

 private:
  iterator lower_bound(std::string_view key) {
    return std::lower_bound(entries_.begin(), entries_.end(), key,
                            [](const value_type& entry, std::string_view k) { return entry.first < k; });
  }
  iterator found(iterator at, std::string_view key) { return at != end() && at->first == key ? at : end(); }
  iterator checked(iterator at) {
    if (at == end()) throw std::out_of_range("StringMap::at: no such key");
    return at;
  }

  std::vector<value_type> entries_;
};

}  // namespace sciperf::reports
