// Summary statistics over samples. Percentiles interpolate linearly between order
// statistics (numpy's default), so p50 of an even count is the mean of the middle pair.
#pragma once

#include <vector>

namespace sciperf {

double mean(const std::vector<double>& samples);
double percentile(std::vector<double> samples, double p);  // p in [0, 100]
inline double median(std::vector<double> samples) { return percentile(std::move(samples), 50.0); }
double sample_stddev(const std::vector<double>& samples);  // n - 1 in the denominator

}  // namespace sciperf
