// Harness self-checks: an empty operation that measures what the timing loop itself costs,
// and rank failures injected on purpose so the fault handling can be tested end to end.
#include "suites/selftest/selftest_suite.h"

#include <fmt/format.h>

#include <csignal>
#include <cstdlib>

#include <unistd.h>

namespace sciperf::suites {
namespace {

class EmptyOperation : public CaseInstance {
 public:
  void run_once() override { compiler_barrier(); }
  Validation validate() override { return {true, "none: the operation produces nothing", 0, 0, 0, ""}; }

 private:
  // Keeps the call from being optimised away without adding work to it.
  static void compiler_barrier() { asm volatile("" ::: "memory"); }
};

// An operation whose output is always wrong: the harness must fail the case and never
// report a time for it.
class WrongResult : public EmptyOperation {
 public:
  Validation validate() override { return {false, "exact", 1, 1, 1.0, "element 0 is 1, expected 0"}; }
};

bool misbehaves(const std::string& action) {
  return action == "exit" || action == "abort" || action == "kill" || action == "hang";
}

// The chosen rank ends the way a broken rank would, during the case's set-up.
void fail_as(const std::string& action) {
  if (action == "exit") ::_exit(3);
  if (action == "abort") std::abort();
  if (action == "kill") std::raise(SIGKILL);
  if (action == "hang")
    while (true) ::pause();
}

const std::vector<ParamSpec> kParams{
    {"action", ParamKind::text, std::string("empty"),
     "empty: time an operation that does nothing; wrong_result: an operation that fails validation; "
     "exit/abort/kill: that rank dies; hang: that rank never returns from set-up",
     {"empty", "wrong_result", "exit", "abort", "kill", "hang"}, {}, {}},
    {"rank", ParamKind::integer, std::int64_t{1}, "The rank that dies (for exit, abort, kill)", {}, 0.0, {}},
};

}  // namespace

std::string_view SelftestSuite::name() const { return "selftest"; }

std::string_view SelftestSuite::description() const {
  return "Harness self-checks: the cost of the timing loop, and injected rank failures";
}

const std::vector<ParamSpec>& SelftestSuite::params() const { return kParams; }

std::vector<std::string> SelftestSuite::headline_metrics() const { return {"time_avg"}; }

std::optional<std::string> SelftestSuite::skip_reason(const Params& params, const CaseContext& context) const {
  if (misbehaves(params.text("action")) && params.integer("rank") >= context.size)
    return fmt::format("rank {} does not exist in a {}-rank run", params.integer("rank"), context.size);
  return std::nullopt;
}

std::unique_ptr<CaseInstance> SelftestSuite::prepare(const Params& params, const CaseContext& context) const {
  const std::string& action = params.text("action");
  if (misbehaves(action) && params.integer("rank") == context.rank) fail_as(action);
  if (action == "wrong_result") return std::make_unique<WrongResult>();
  return std::make_unique<EmptyOperation>();
}

}  // namespace sciperf::suites
