// The parameters that pick and size a model of the zoo, shared by every suite that runs one
// (training, inference, and compression to come), so that a case names its model the same
// way in each.
#pragma once

#include "harness/params.h"
#include "kernels/models/options.h"

#include <vector>

namespace sciperf::suites {

// model, size, layers, width, heads, seq_len; then a suite's own parameters; then
// model_run_param_specs() (precision, device, seed).
std::vector<ParamSpec> model_param_specs();
std::vector<ParamSpec> model_run_param_specs(const std::string& seed_help);
// The declared specs in order: the model's, the suite's own, the run's.
std::vector<ParamSpec> with_model_params(std::vector<ParamSpec> own, const std::string& seed_help);

models::ModelOptions model_options_of(const Params& params);

}  // namespace sciperf::suites
