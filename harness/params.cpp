#include "harness/params.h"

#include "harness/units.h"

#include <fmt/format.h>

#include <stdexcept>

namespace sciperf {

std::string_view to_string(ParamKind kind) {
  switch (kind) {
    case ParamKind::integer: return "integer";
    case ParamKind::size: return "size";
    case ParamKind::real: return "number";
    case ParamKind::duration: return "duration";
    case ParamKind::text: return "string";
    case ParamKind::boolean: return "boolean";
  }
  return "?";
}

std::string_view unit_of(ParamKind kind) {
  switch (kind) {
    case ParamKind::size: return "bytes";
    case ParamKind::duration: return "s";
    default: return "";
  }
}

std::string format_param(ParamKind kind, const ParamValue& value) {
  if (kind == ParamKind::size) {
    // Names must be exact and unique: a rounded form ("2.0KiB" for 2000) falls back to bytes.
    const auto bytes = static_cast<std::uint64_t>(std::get<std::int64_t>(value));
    std::string text = format_size(bytes);
    std::erase(text, ' ');
    return parse_size(text) == bytes ? text : fmt::format("{}B", bytes);
  }
  if (kind == ParamKind::duration) {
    std::string text = format_duration(std::get<double>(value));
    std::erase(text, ' ');
    return text;
  }
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>) return v;
        else return fmt::format("{}", v);
      },
      value);
}

nlohmann::json param_to_json(const ParamValue& value) {
  return std::visit([](const auto& v) { return nlohmann::json(v); }, value);
}

void Params::set(std::string name, ParamKind kind, ParamValue value) {
  for (Entry& entry : entries_)
    if (entry.name == name) {
      entry.kind = kind;
      entry.value = std::move(value);
      return;
    }
  entries_.push_back({std::move(name), kind, std::move(value)});
}

const ParamValue& Params::at(const std::string& name) const {
  for (const Entry& entry : entries_)
    if (entry.name == name) return entry.value;
  throw std::out_of_range(fmt::format("case has no parameter '{}'", name));
}

nlohmann::json Params::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const Entry& entry : entries_) out[entry.name] = param_to_json(entry.value);
  return out;
}

}  // namespace sciperf
