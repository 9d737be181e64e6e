#include <clockwork/verifier/query.hpp>

namespace clockwork::verifier {

Query solve(z3::context& z3, unsigned timeout_ms, const z3::expr& formula) {
    z3::solver solver =
        (z3::tactic(z3, "simplify") & z3::tactic(z3, "ackermannize_bv") & z3::tactic(z3, "qfbv"))
            .mk_solver();
    z3::params params(z3);
    params.set("timeout", timeout_ms);
    solver.set(params);
    solver.add(formula);
    Query query;
    query.result = solver.check();
    if (query.result == z3::sat) {
        query.model = solver.get_model();
    } else if (query.result == z3::unknown) {
        query.reason = solver.reason_unknown();
    }
    return query;
}

} // namespace clockwork::verifier
