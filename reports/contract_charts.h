// Charts of what the bundle format names beyond sizes and headline metrics (docs/results.md,
// "Details and metrics that charts read"): training loss curves (a case's details.loss_curve),
// compressed models' accuracy against speed with their Pareto front (metrics speedup and
// accuracy_delta, param variant), and the roofline (metrics arithmetic_intensity and gflops
// under the ceilings that cases' details.roofline_ceiling measured). Like the size charts
// (reports/chart_spec.h) they are chosen from the bundles' content alone: any suite whose
// cases carry these gets them, whatever its name.
#pragma once

#include "reports/bundle_reader.h"
#include "reports/render.h"
#include "reports/svg_chart.h"

#include <optional>
#include <vector>

namespace sciperf::reports {

// Training and held-out loss against step, a line each per case that has a loss curve.
std::optional<LineChart> loss_curve_chart(const std::vector<Bundle>& bundles, const SuiteRows& suite);

// accuracy_delta against speedup, a point per case, each bundle's Pareto front joined.
std::optional<LineChart> pareto_chart(const std::vector<Bundle>& bundles, const SuiteRows& suite);
// The indices of the points on the Pareto front when higher x and higher y are both better:
// those no other point matches in both and beats in one. Equal points are all on it.
std::vector<std::size_t> pareto_front(const std::vector<Point>& points);

// gflops against arithmetic_intensity, log-log, under each bundle's roofs: per precision,
// min(peak, bandwidth × intensity), the bandwidth and each precision's peak being the highest
// that any case of the bundle measured.
std::optional<LineChart> roofline_chart(const std::vector<Bundle>& bundles, const SuiteRows& suite);
// Where a roof bends: the arithmetic intensity (FLOP/byte) at which `bandwidth` (GB/s)
// reaches `peak` (GFLOP/s).
double ridge_intensity(double peak, double bandwidth);

}  // namespace sciperf::reports
