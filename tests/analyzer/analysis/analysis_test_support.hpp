// What the analyzer's tests share: a bound of one function of an ELF, and test names per target.
#pragma once

#include <clockwork/analyzer/analysis.hpp>

#include <string>

namespace clockwork::test {

// Loads the ELF for target, reads loop bounds from its DWARF sources with the compile commands
// in compile_commands_dir, and bounds function.
inline llvm::Expected<reports::Bound>
analyze_function(const std::string& elf, const std::string& target,
                 const std::string& compile_commands_dir, const std::string& function,
                 const analyzer::AnalysisOptions& options = {}) {
    auto program = analyzer::binary::Program::load(elf, *analyzer::binary::find_target(target));
    if (!program) {
        return program.takeError();
    }
    std::vector<std::string> sources = (*program)->compile_unit_sources();
    analyzer::FlowFactsProvider facts = [&] {
        return analyzer::source::collect_flow_facts(compile_commands_dir, sources);
    };
    auto analyzer = analyzer::Analyzer::create(**program, facts, options);
    if (!analyzer) {
        return analyzer.takeError();
    }
    return (*analyzer)->analyze(function);
}

// "cortex-m4" -> "cortex_m4": GoogleTest names allow no '-'.
struct TargetTestName {
    template <class Info>
    std::string operator()(const Info& info) const {
        std::string name = info.param;
        for (char& c : name) {
            if (c == '-') {
                c = '_';
            }
        }
        return name;
    }
};

} // namespace clockwork::test
