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

// Memory is an array only where a read's address is symbolic; Ackermann reduction turns those
// reads into bit-vectors and the whole query is then bit-blasted. On the heap's queries this is
// one to two orders of magnitude faster than Z3's default combination.
Query solve(z3::context& z3, unsigned timeout_ms, const z3::expr& formula);

// Held around every check in this process that runs on Z3's own time limit (a solver's
// "timeout" parameter). solve() forks, and Z3 4.8.12 stops and deletes its timer threads before
// every fork, also a timer another thread is using at that moment: that corrupted the heap of
// `clockwork verify --mutants --jobs 2` within a minute. A fork therefore waits until no such
// check runs, and none starts until the fork is made.
class TimedCheckScope {
  public:
    TimedCheckScope();
    ~TimedCheckScope();
    TimedCheckScope(const TimedCheckScope&) = delete;
    TimedCheckScope& operator=(const TimedCheckScope&) = delete;
};

} // namespace clockwork::verifier
