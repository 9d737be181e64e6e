// One solver query of the verifier, with the tactic every property check uses.
#pragma once
#include <z3++.h>

#include <optional>
#include <string>

namespace clockwork::verifier {

struct Query {
    z3::check_result result = z3::unknown;
    std::string reason;             // unknown: the solver's reason
    std::optional<z3::model> model; // sat: the model
};

// A query's limit counts the solver's work, not the clock. The limit in milliseconds becomes
// Z3 resource units (its "rlimit"), kResourceUnitsPerMs each, so a query gets the same verdict on
// a loaded machine as on an idle one: on the wall clock, the same harness's proof took 15 to 28 s
// on an idle machine, and proofs near their limit came and went with the load. The rate is about
// what the heap's queries reach on the reference 2-core machine (1.3 to 2.0 M units a second).
// The clock stops only a solver that overruns its count: at kWallClockFactor times the limit.
constexpr unsigned kResourceUnitsPerMs = 2000;
constexpr unsigned kWallClockFactor = 4;

// Z3's "rlimit" and "timeout" parameters for a limit of `limit_ms`.
void set_query_limits(z3::params& params, unsigned limit_ms);
// The wall-clock stop of a limit of `limit_ms`.
unsigned wall_clock_ms(unsigned limit_ms);
// "60 s of solver work per query (120000000 Z3 resource units, stopped at 240 s of wall clock)"
std::string describe_query_limit(unsigned limit_ms);
// The tactic solve() uses and describe_query_limit: what an Evidence records of Z3's parameters.
std::string describe_solver(unsigned limit_ms);

// The solver of the tactic above, without limits: every query of the verifier that must give the
// same answer, and the same model, in every run (the default solver's answers varied from run to
// run with the work of other threads).
z3::solver make_query_solver(z3::context& z3);

// Memory is an array only where a read's address is symbolic; Ackermann reduction turns those
// reads into bit-vectors and the whole query is then bit-blasted. On the heap's queries this is
// one to two orders of magnitude faster than Z3's default combination.
Query solve(z3::context& z3, unsigned limit_ms, const z3::expr& formula);

// Held around every check in this process that runs on Z3's own time limit (a solver's
// "timeout" parameter, set_query_limits sets it). solve() forks, and Z3 4.8.12 stops and deletes
// its timer threads before every fork, also a timer another thread is using at that moment: that
// corrupted the heap of `clockwork verify --mutants --jobs 2` within a minute. A fork therefore
// waits until no such check runs, and none starts until the fork is made.
class TimedCheckScope {
  public:
    TimedCheckScope();
    ~TimedCheckScope();
    TimedCheckScope(const TimedCheckScope&) = delete;
    TimedCheckScope& operator=(const TimedCheckScope&) = delete;
};

} // namespace clockwork::verifier
