#include "reports/bundle_fields.h"

#include <fmt/format.h>

namespace sciperf::reports {

using nlohmann::json;

std::string Place::path() const {
  if (parent == nullptr) return std::string(root);
  std::string out = parent->path();
  if (key.data() == nullptr) return out + fmt::format("[{}]", index);
  return out.empty() ? std::string(key) : out.append(".").append(key);
}

void fail_at(const std::string& file, const Place& place, std::string_view what) {
  const std::string path = place.path();
  throw BundleError(fmt::format("{}: {}: {}", file, path.empty() ? "(top level)" : path, what));
}

std::optional<Field> Field::find(std::string_view key) const& {
  require(json::value_t::object, "an object");
  const auto& object = value_.get_ref<const json::object_t&>();
  const auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  return Field(it->second, place_.member(it->first), file_);
}

Field Field::operator[](std::string_view key) const& {
  if (auto member = find(key)) return *member;
  fail_at(file_, place_.member(key), "missing");
}

std::vector<Field> Field::elements() const& {
  require(json::value_t::array, "an array");
  std::vector<Field> out;
  out.reserve(value_.size());
  for (std::size_t i = 0; i < value_.size(); ++i) out.push_back(Field(value_[i], place_.element(i), file_));
  return out;
}

std::vector<std::pair<std::string_view, Field>> Field::members() const& {
  require(json::value_t::object, "an object");
  std::vector<std::pair<std::string_view, Field>> out;
  for (const auto& [key, member] : value_.get_ref<const json::object_t&>())
    out.emplace_back(key, Field(member, place_.member(key), file_));
  return out;
}

std::string Field::string() const {
  require(json::value_t::string, "a string");
  return value_.get<std::string>();
}

std::optional<double> Field::nullable_number() const {
  if (value_.is_null()) return std::nullopt;
  if (!value_.is_number()) fail(fmt::format("expected a number or null, got {}", value_.type_name()));
  return value_.get<double>();
}

void Field::require(json::value_t type, std::string_view what) const {
  // Integers come in as signed or unsigned, both of which are numbers here.
  if (value_.type() != type) fail(fmt::format("expected {}, got {}", what, value_.type_name()));
}

}  // namespace sciperf::reports
