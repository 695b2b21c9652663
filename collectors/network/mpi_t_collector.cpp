#include "collectors/network/mpi_t_collector.h"

#include <fmt/format.h>
#include <mpi.h>

#include <string>
#include <vector>

namespace sciperf::collectors {
namespace {

struct Variable {
  std::string name;
  int index;
  MPI_Datatype type;
  int var_class;
};

// The name, type, class (performance variables) and binding of variable `index`; empty on error.
std::string variable_name(bool performance, int index, MPI_Datatype* type, int* var_class, int* bind) {
  char name[256];
  int name_length = sizeof name, verbosity = 0, scope = 0, readonly = 0, continuous = 0, atomic = 0;
  MPI_T_enum enumtype;
  if (performance) {
    if (MPI_T_pvar_get_info(index, name, &name_length, &verbosity, var_class, type, &enumtype, nullptr, nullptr, bind,
                            &readonly, &continuous, &atomic) != MPI_SUCCESS)
      return "";
  } else if (MPI_T_cvar_get_info(index, name, &name_length, &verbosity, type, &enumtype, nullptr, nullptr, bind, &scope) !=
             MPI_SUCCESS) {
    return "";
  }
  return name;
}

bool numeric(MPI_Datatype type) {
  return type == MPI_UNSIGNED || type == MPI_UNSIGNED_LONG || type == MPI_UNSIGNED_LONG_LONG || type == MPI_INT ||
         type == MPI_DOUBLE || type == MPI_COUNT;
}

double as_double(MPI_Datatype type, const void* value) {
  if (type == MPI_UNSIGNED) return *static_cast<const unsigned*>(value);
  if (type == MPI_UNSIGNED_LONG) return static_cast<double>(*static_cast<const unsigned long*>(value));
  if (type == MPI_UNSIGNED_LONG_LONG) return static_cast<double>(*static_cast<const unsigned long long*>(value));
  if (type == MPI_INT) return *static_cast<const int*>(value);
  if (type == MPI_COUNT) return static_cast<double>(*static_cast<const MPI_Count*>(value));
  return *static_cast<const double*>(value);
}

// Control variables with a scalar numeric value, read once for the inventory.
nlohmann::json control_variables() {
  int count = 0;
  if (MPI_T_cvar_get_num(&count) != MPI_SUCCESS) return nlohmann::json::object();
  nlohmann::json out = nlohmann::json::object();
  for (int i = 0; i < count; ++i) {
    MPI_Datatype type;
    int bind = 0, unused = 0;
    const std::string name = variable_name(false, i, &type, &unused, &bind);
    if (name.empty() || bind != MPI_T_BIND_NO_OBJECT) continue;
    MPI_T_cvar_handle handle;
    int elements = 0;
    if (MPI_T_cvar_handle_alloc(i, nullptr, &handle, &elements) != MPI_SUCCESS) continue;
    if (elements == 1 && numeric(type)) {
      alignas(8) unsigned char value[16] = {};
      if (MPI_T_cvar_read(handle, value) == MPI_SUCCESS) out[name] = as_double(type, value);
    } else if (type == MPI_CHAR && elements > 0 && elements < 4096) {
      std::string value(static_cast<std::size_t>(elements), '\0');
      if (MPI_T_cvar_read(handle, value.data()) == MPI_SUCCESS) out[name] = std::string(value.c_str());
    }
    MPI_T_cvar_handle_free(&handle);
  }
  return out;
}

class MpiToolsCollector : public Collector {
 public:
  MpiToolsCollector() {
    int provided = 0;
    initialized_ = MPI_T_init_thread(MPI_THREAD_SINGLE, &provided) == MPI_SUCCESS;
    if (initialized_) discover();
  }
  ~MpiToolsCollector() override {
    if (session_ != MPI_T_PVAR_SESSION_NULL) MPI_T_pvar_session_free(&session_);
    if (initialized_) MPI_T_finalize();
  }
  MpiToolsCollector(const MpiToolsCollector&) = delete;
  MpiToolsCollector& operator=(const MpiToolsCollector&) = delete;

  std::string_view name() const override { return "mpi_t"; }

  std::optional<std::string> unavailable_reason() const override {
    if (!initialized_) return std::string("MPI_T_init_thread failed");
    if (pvar_count_ == 0) return std::string("this MPI library exposes no MPI_T performance variables (MPI_T_pvar_get_num = 0)");
    if (variables_.empty()) return fmt::format("none of the {} performance variables is a scalar number", pvar_count_);
    return std::nullopt;
  }

  nlohmann::json describe() const override {
    nlohmann::json names = nlohmann::json::array();
    for (const Variable& v : variables_) names.push_back(v.name);
    return {{"performance_variables", pvar_count_}, {"read_per_case", names}, {"control_variables", control_variables()}};
  }

  void begin() override {
    before_ = read_all();
  }

  std::vector<Counter> end() override {
    const std::vector<double> after = read_all();
    std::vector<Counter> out;
    for (std::size_t i = 0; i < variables_.size() && i < before_.size(); ++i)
      out.push_back({"mpi_t." + variables_[i].name, after[i] - before_[i],
                     variables_[i].var_class == MPI_T_PVAR_CLASS_TIMER ? "ticks" : "count"});
    return out;
  }

 private:
  // Scalar counters, timers and aggregates not bound to an object: those can be read
  // around a case without knowing which communicator or request they belong to.
  void discover() {
    if (MPI_T_pvar_get_num(&pvar_count_) != MPI_SUCCESS || pvar_count_ == 0) return;
    if (MPI_T_pvar_session_create(&session_) != MPI_SUCCESS) return;
    for (int i = 0; i < pvar_count_; ++i) {
      MPI_Datatype type;
      int var_class = 0, bind = 0;
      const std::string name = variable_name(true, i, &type, &var_class, &bind);
      const bool readable_class = var_class == MPI_T_PVAR_CLASS_COUNTER || var_class == MPI_T_PVAR_CLASS_TIMER ||
                                  var_class == MPI_T_PVAR_CLASS_AGGREGATE;
      if (name.empty() || bind != MPI_T_BIND_NO_OBJECT || !readable_class || !numeric(type)) continue;
      MPI_T_pvar_handle handle;
      int elements = 0;
      if (MPI_T_pvar_handle_alloc(session_, i, nullptr, &handle, &elements) != MPI_SUCCESS) continue;
      if (elements != 1) {
        MPI_T_pvar_handle_free(session_, &handle);
        continue;
      }
      MPI_T_pvar_start(session_, handle);
      variables_.push_back({name, i, type, var_class});
      handles_.push_back(handle);
    }
  }

  std::vector<double> read_all() {
    std::vector<double> values;
    for (std::size_t i = 0; i < variables_.size(); ++i) {
      alignas(8) unsigned char value[16] = {};
      MPI_T_pvar_read(session_, handles_[i], value);
      values.push_back(as_double(variables_[i].type, value));
    }
    return values;
  }

  bool initialized_ = false;
  int pvar_count_ = 0;
  MPI_T_pvar_session session_ = MPI_T_PVAR_SESSION_NULL;
  std::vector<Variable> variables_;
  std::vector<MPI_T_pvar_handle> handles_;
  std::vector<double> before_;
};

}  // namespace

std::unique_ptr<Collector> make_mpi_t_collector() { return std::make_unique<MpiToolsCollector>(); }

}  // namespace sciperf::collectors
