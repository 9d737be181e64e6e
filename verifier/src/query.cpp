#include <clockwork/verifier/query.hpp>

#include "model_transfer.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <sstream>

namespace clockwork::verifier {
namespace {

using Clock = std::chrono::steady_clock;

// A fork that has not written this within the time does not run the query: it may be stuck on
// a lock of Z3's shared state that another thread of the parent held at the fork.
constexpr char kStarted[] = "started\n";
constexpr std::chrono::milliseconds kStartLimit{2000};

// What TimedCheckScope and fork_between_timed_checks share: how many timed checks run, and whether
// a fork is being made or waited for. A waiting fork keeps new checks out, so that it is not
// starved by an encoder that runs one quick check after another.
struct ForkGate {
    std::mutex lock;
    std::condition_variable changed;
    unsigned timed_checks = 0;
    unsigned forks_waiting = 0;
    bool forking = false;
};

ForkGate& fork_gate() {
    static ForkGate gate;
    return gate;
}

// fork(), once no timed check runs. Only the parent opens the gate again: the child has no
// other thread, and another thread may have held the gate's lock at the fork.
pid_t fork_between_timed_checks() {
    ForkGate& gate = fork_gate();
    {
        std::unique_lock<std::mutex> hold(gate.lock);
        ++gate.forks_waiting;
        gate.changed.wait(hold, [&] { return gate.timed_checks == 0 && !gate.forking; });
        --gate.forks_waiting;
        gate.forking = true;
    }
    const pid_t child = ::fork();
    if (child != 0) {
        {
            const std::lock_guard<std::mutex> hold(gate.lock);
            gate.forking = false;
        }
        gate.changed.notify_all();
    }
    return child;
}

Query unknown(std::string reason) {
    Query query;
    query.reason = std::move(reason);
    return query;
}

// Z3's parameters are 32 bits: a product beyond them saturates rather than wraps.
unsigned saturating_product(unsigned limit_ms, unsigned factor) {
    const uint64_t product = uint64_t{limit_ms} * factor;
    return static_cast<unsigned>(std::min<uint64_t>(product, std::numeric_limits<unsigned>::max()));
}

unsigned resource_units(unsigned limit_ms) {
    return saturating_product(limit_ms, kResourceUnitsPerMs);
}

// Z3's reason for a query that used up its resource units is an implementation detail ("max.
// resource limit exceeded", or "canceled" from a tactic); the verifier names the limit instead.
std::string limit_reason(unsigned limit_ms, const std::string& solver_reason) {
    if (solver_reason.find("resource") == std::string::npos &&
        solver_reason.find("canceled") == std::string::npos) {
        return solver_reason;
    }
    return "out of resources: no answer within " + std::to_string(limit_ms) +
           " ms of solver work (" + std::to_string(resource_units(limit_ms)) +
           " Z3 resource units)";
}

// The query in this process, with Z3's own limits, which Z3 may overrun.
Query check_here(z3::context& z3, unsigned limit_ms, const z3::expr& formula) {
    const TimedCheckScope timed;
    z3::solver solver = make_query_solver(z3);
    z3::params params(z3);
    set_query_limits(params, limit_ms);
    solver.set(params);
    solver.add(formula);
    Query query;
    query.result = solver.check();
    if (query.result == z3::sat) {
        query.model = solver.get_model();
    } else if (query.result == z3::unknown) {
        query.reason = limit_reason(limit_ms, solver.reason_unknown());
    }
    return query;
}

void write_all(int fd, const std::string& text) {
    size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        written += static_cast<size_t>(n);
    }
}

// The child: the start line once it holds no lock another thread may have held at the fork
// (it has taken Z3's memory count, symbol table and parameter locks once each), then the verdict
// line, the reason line and the model. It sets no time limit, only the resource units: Z3's timer
// threads do not exist in a fork, and the parent kills it at the wall-clock stop.
void check_in_child(z3::context& z3, unsigned limit_ms, const z3::expr& formula, int fd) {
    try {
        static_cast<void>(Z3_get_estimated_alloc_size());
        static_cast<void>(z3.str_symbol("clockwork-query"));
        z3::solver solver = make_query_solver(z3);
        z3::params params(z3);
        params.set("rlimit", resource_units(limit_ms));
        solver.set(params);
        solver.add(formula);
        write_all(fd, kStarted);
        const z3::check_result result = solver.check();
        if (result == z3::sat) {
            write_all(fd, "sat\n\n" + serialize_model(solver.get_model(), formula));
        } else if (result == z3::unsat) {
            write_all(fd, "unsat\n\n");
        } else {
            write_all(fd, "unknown\n" + limit_reason(limit_ms, solver.reason_unknown()) + "\n");
        }
    } catch (const z3::exception& e) {
        write_all(fd, std::string(kStarted) + "unknown\n" + e.msg() + "\n");
    }
}

enum class Reading { ended, timed_out, failed };

// Appends what `fd` delivers until its end or `deadline`, or until `text` holds `enough` bytes.
Reading read_until(int fd, Clock::time_point deadline, std::string& text,
                   size_t enough = std::string::npos) {
    char buffer[1 << 16];
    while (text.size() < enough) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            return Reading::timed_out;
        }
        pollfd wait{fd, POLLIN, 0};
        const int ready = ::poll(&wait, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready < 0) {
            return Reading::failed;
        }
        if (ready == 0) {
            return Reading::timed_out;
        }
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return Reading::failed;
        }
        if (n == 0) {
            return Reading::ended;
        }
        text.append(buffer, static_cast<size_t>(n));
    }
    return Reading::ended;
}

Query parse(z3::context& z3, const z3::expr& formula, const std::string& text) {
    std::istringstream in(text);
    std::string verdict, reason;
    std::getline(in, verdict);
    std::getline(in, reason);
    if (verdict == "unsat") {
        Query query;
        query.result = z3::unsat;
        return query;
    }
    if (verdict == "unknown") {
        return unknown(reason);
    }
    if (verdict != "sat" || !in) {
        return unknown("the solver's process ended without a verdict");
    }
    auto model = rebuild_model(z3, formula, text.substr(static_cast<size_t>(in.tellg())));
    if (!model) {
        return unknown("the model the solver's process found does not satisfy the query here");
    }
    Query query;
    query.result = z3::sat;
    query.model = std::move(*model);
    return query;
}

} // namespace

void set_query_limits(z3::params& params, unsigned limit_ms) {
    params.set("rlimit", resource_units(limit_ms));
    params.set("timeout", wall_clock_ms(limit_ms));
}

unsigned wall_clock_ms(unsigned limit_ms) {
    return saturating_product(limit_ms, kWallClockFactor);
}

std::string describe_query_limit(unsigned limit_ms) {
    const auto seconds = [](unsigned ms) {
        return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
    };
    return seconds(limit_ms) + " of solver work per query (" +
           std::to_string(resource_units(limit_ms)) + " Z3 resource units, stopped at " +
           seconds(wall_clock_ms(limit_ms)) + " of wall clock)";
}

// The path conditions define many values by equations (a load's result, a merged phi), and
// substituting them before the terms are simplified and bit-blasted leaves a smaller problem:
// the joint query of invariant_allocate.cpp took 15.2 M resource units instead of 20.1 M, that of
// invariant_reallocate_larger.cpp 41.7 M instead of 52.9 M (docs/verifier.md, Limits).
// One list for the solver and for its description in the Evidence, so the two cannot drift.
constexpr std::array<const char*, 5> kQueryTactics = {"propagate-values", "solve-eqs", "simplify",
                                                      "ackermannize_bv", "qfbv"};

z3::solver make_query_solver(z3::context& z3) {
    z3::tactic chain(z3, kQueryTactics.front());
    for (size_t i = 1; i < kQueryTactics.size(); ++i) {
        chain = chain & z3::tactic(z3, kQueryTactics[i]);
    }
    return chain.mk_solver();
}

std::string describe_solver(unsigned limit_ms) {
    std::string text = "tactic ";
    for (size_t i = 0; i < kQueryTactics.size(); ++i) {
        text += std::string(i == 0 ? "" : "; ") + kQueryTactics[i];
    }
    return text + ", " + describe_query_limit(limit_ms);
}

TimedCheckScope::TimedCheckScope() {
    ForkGate& gate = fork_gate();
    std::unique_lock<std::mutex> hold(gate.lock);
    gate.changed.wait(hold, [&] { return !gate.forking && gate.forks_waiting == 0; });
    ++gate.timed_checks;
}

TimedCheckScope::~TimedCheckScope() {
    ForkGate& gate = fork_gate();
    {
        const std::lock_guard<std::mutex> hold(gate.lock);
        --gate.timed_checks;
    }
    gate.changed.notify_all();
}

// Z3 4.8.12 checks its limits only at some points of its work: on the heap's largest queries a
// time limit of 20 s ended after 577 s, one of 5 s after 76 s (docs/verifier.md, Queries). So the
// query runs in a fork, which holds the terms already, and is killed at the wall-clock stop.
Query solve(z3::context& z3, unsigned limit_ms, const z3::expr& formula) {
    int ends[2];
    if (::pipe(ends) != 0) {
        return check_here(z3, limit_ms, formula);
    }
    const pid_t child = fork_between_timed_checks();
    if (child < 0) {
        ::close(ends[0]);
        ::close(ends[1]);
        return check_here(z3, limit_ms, formula);
    }
    if (child == 0) {
        // Only its own pipe end stays open: another thread's pipe end, inherited, would hold
        // back the end of that thread's query until this fork ends.
        if (ends[1] > 3) {
            ::close_range(3, static_cast<unsigned>(ends[1]) - 1, 0);
        }
        ::close_range(static_cast<unsigned>(ends[1]) + 1, ~0u, 0);
        check_in_child(z3, limit_ms, formula, ends[1]);
        ::_exit(0); // no destructors: what the fork copied belongs to the parent
    }
    ::close(ends[1]);
    // From the fork on: a wait for another thread's timed check is not the query's time.
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::milliseconds(wall_clock_ms(limit_ms));
    std::string text;
    Reading reading =
        read_until(ends[0], std::min(deadline, start + kStartLimit), text, sizeof kStarted - 1);
    const bool started = text.compare(0, sizeof kStarted - 1, kStarted) == 0;
    if (started) {
        reading = read_until(ends[0], deadline, text);
    }
    ::close(ends[0]);
    if (!started || reading != Reading::ended) {
        ::kill(child, SIGKILL);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (!started && Clock::now() < deadline) {
        // The fork was stuck: ask here after all, with the same resource units.
        return check_here(z3, limit_ms, formula);
    }
    if (reading == Reading::timed_out || !started) {
        return unknown("timeout: no answer in " + std::to_string(wall_clock_ms(limit_ms)) +
                       " ms of wall clock, the stop of a limit of " + std::to_string(limit_ms) +
                       " ms of solver work");
    }
    if (reading == Reading::failed || WIFSIGNALED(status)) {
        return unknown("the solver's process failed");
    }
    return parse(z3, formula, text.substr(sizeof kStarted - 1));
}

} // namespace clockwork::verifier
