// The per-target cycle models behind make_cycle_model.
#pragma once

#include <clockwork/analyzer/timing/timing_model.hpp>

namespace clockwork::analyzer::timing {

std::unique_ptr<TimingModel> make_cortex_m4_model(unsigned wait_states);
std::unique_ptr<TimingModel> make_avr_model();
std::unique_ptr<TimingModel> make_ibex_model();

} // namespace clockwork::analyzer::timing
