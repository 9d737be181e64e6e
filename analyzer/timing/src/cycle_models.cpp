#include "cycle_models.hpp"

namespace clockwork::analyzer::timing {

llvm::Expected<std::unique_ptr<TimingModel>> make_cycle_model(const binary::TargetInfo& target,
                                                              const CycleModelOptions& options) {
    switch (target.kind) {
    case binary::TargetKind::cortex_m4:
        return make_cortex_m4_model(options.flash_wait_states);
    case binary::TargetKind::avr:
        return make_avr_model();
    case binary::TargetKind::rv32imc:
        return make_ibex_model();
    case binary::TargetKind::x86_64:
        break;
    }
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "error: x86-64 has no cycle model: an out-of-order core has no static cycle bound; note: "
        "use --metric instructions, and clockwork measure for host cycle statistics");
}

} // namespace clockwork::analyzer::timing
