// Where a value of a bundle is, so that every complaint can say exactly where
// ("sciperf.cases[3].metrics.busbw"): for the bundle reader only. A Place knows its parent
// and its key or index; the path is spelt out only when something fails, since reading a
// 100,000-case bundle visits millions of places and complains about none.
#pragma once

#include "reports/bundle_reader.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sciperf::reports {

// A place refers to its parent: a child must not outlive it.
struct Place {
  const Place* parent = nullptr;
  std::string_view key;  // in the parent object; null (data() == nullptr) for an array element
  std::size_t index = 0;  // in the parent array
  std::string_view root;  // a place without a parent: where it is ("" for the whole document)

  Place member(std::string_view name) const { return {this, name, 0, {}}; }
  Place element(std::size_t i) const { return {this, {}, i, {}}; }
  std::string path() const;
};

// BundleError("FILE: PATH: what"), "(top level)" standing for an empty path.
[[noreturn]] void fail_at(const std::string& file, const Place& place, std::string_view what);

// One value of a parsed document and its place. Children are made only of named fields
// (the rvalue overloads are deleted), since they point at their parent's place.
class Field {
 public:
  // The whole document.
  Field(const nlohmann::json& document, const std::string& file) : value_(document), file_(file) {}

  [[noreturn]] void fail(std::string_view what) const { fail_at(file_, place_, what); }

  const nlohmann::json& value() const { return value_; }
  const std::string& file() const { return file_; }
  const Place& place() const { return place_; }

  std::optional<Field> find(std::string_view key) const&;
  Field operator[](std::string_view key) const&;  // BundleError "missing" when absent
  std::vector<Field> elements() const&;
  std::vector<std::pair<std::string_view, Field>> members() const&;
  std::optional<Field> find(std::string_view) const&& = delete;
  Field operator[](std::string_view) const&& = delete;
  std::vector<Field> elements() const&& = delete;
  std::vector<std::pair<std::string_view, Field>> members() const&& = delete;

  std::string string() const;
  std::optional<double> nullable_number() const;

 private:
  Field(const nlohmann::json& value, const Place& place, const std::string& file)
      : value_(value), file_(file), place_(place) {}
  void require(nlohmann::json::value_t type, std::string_view what) const;

  const nlohmann::json& value_;
  const std::string& file_;
  Place place_;
};

}  // namespace sciperf::reports
