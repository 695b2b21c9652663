// Typed case parameters: what a suite declares (ParamSpec) and what one case gets (Params).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sciperf {

enum class ParamKind { integer, size, real, duration, text, boolean };

// Sizes and integers are int64, durations are seconds (double), text is one of the choices
// when the spec has any.
using ParamValue = std::variant<bool, std::int64_t, double, std::string>;

struct ParamSpec {
  std::string name;
  ParamKind kind;
  ParamValue default_value;
  std::string help;
  std::vector<std::string> choices;  // text parameters: the allowed values
  std::optional<double> min;         // numeric parameters: inclusive bounds
  std::optional<double> max;
};

std::string_view to_string(ParamKind kind);
// The unit a parameter's values carry in results ("bytes", "s", or "").
std::string_view unit_of(ParamKind kind);
// How a value reads in case names and tables: sizes as "64KiB", durations as "10ms".
std::string format_param(ParamKind kind, const ParamValue& value);
nlohmann::json param_to_json(const ParamValue& value);

// The parameters of one case, in the order the suite declares them.
class Params {
 public:
  void set(std::string name, ParamKind kind, ParamValue value);

  const ParamValue& at(const std::string& name) const;
  std::int64_t integer(const std::string& name) const { return std::get<std::int64_t>(at(name)); }
  double real(const std::string& name) const { return std::get<double>(at(name)); }
  const std::string& text(const std::string& name) const { return std::get<std::string>(at(name)); }
  bool boolean(const std::string& name) const { return std::get<bool>(at(name)); }

  struct Entry {
    std::string name;
    ParamKind kind;
    ParamValue value;
  };
  const std::vector<Entry>& entries() const { return entries_; }
  nlohmann::json to_json() const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace sciperf
